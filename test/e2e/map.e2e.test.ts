import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiSession } from '../support/session.js';
import {
  CHROMIUM,
  hasChromium,
  launchChromium,
  openPage,
  prepareClient,
  SCREENSHOT_DIR,
  submitLogin,
  VIEWPORT,
  waitForMap,
  type PageGlobals,
  type TestPage,
} from './browser.js';
import { pixelStats } from './png-stats.js';

// Browser check of the command map: the built client, served by the real server,
// must draw the base map and the level-1 grids of a district user and switch its UI
// language. Every page needs a session, so the test signs in first.

const DISTRICT_OPERATOR = 'operator.district';
const PASSWORD = 'Pingan@2026';
// Must match basemapColors.background in client/map/theme.ts.
const BACKGROUND_RGB = [0x07, 0x12, 0x26] as const;

interface GridCollection {
  features: Array<{ properties: { name: string } }>;
}
interface MapExtent {
  center: [number, number];
}

if (!hasChromium) {
  console.warn(`[map.e2e] skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser tests)`);
}

describe.skipIf(!hasChromium)(`command map in Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let server: { baseUrl: string; close(): Promise<void> } | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let target: TestPage | undefined;
  let page: TestPage['page'];
  let api: ApiSession;

  /** The API as the same user sees it: the reference the rendered map is compared with. */
  async function getJson<T>(path: string): Promise<T> {
    const response = await api.get(path);
    expect(response.status, `GET ${path}`).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    const started = await startTestServer();
    server = started;
    api = await signIn(started.baseUrl, DISTRICT_OPERATOR, PASSWORD);
    browser = await launchChromium();
    // A fresh context: no cookie, no locale left in localStorage by an earlier run.
    target = await openPage(browser);
    page = target.page;

    // Without a session the map sends the user to the login page, and back after it.
    await page.goto(`${started.baseUrl}/?e2e=1`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, DISTRICT_OPERATOR, PASSWORD);
    await waitForMap(target, 'command-map-not-ready.png');
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-zh-CN.png` });
  }, 180_000);

  afterAll(async () => {
    await target?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('draws the map in the middle of the district', async () => {
    const extent = await getJson<MapExtent>('/api/map/extent');
    const centre = await page.evaluate((lngLat) => {
      const point = (globalThis as PageGlobals).__pinganMap!.project(lngLat);
      return { x: point.x, y: point.y };
    }, extent.center);

    const width = 480;
    const height = 320;
    const clip = {
      x: Math.min(Math.max(0, centre.x - width / 2), VIEWPORT.width - width),
      y: Math.min(Math.max(0, centre.y - height / 2), VIEWPORT.height - height),
      width,
      height,
    };
    // A map that failed to draw (no WebGL, broken style, failed sources) leaves the
    // page background showing; a drawn district has fills, roads and labels.
    const stats = pixelStats(await page.screenshot({ clip }), BACKGROUND_RGB);
    expect(stats.nonBackgroundShare, 'share of non-background pixels').toBeGreaterThan(0.3);
    expect(stats.distinctColours, 'distinct colours').toBeGreaterThanOrEqual(8);
  });

  it('renders every level-1 grid, with its name label', async () => {
    const grids = await getJson<GridCollection>('/api/grids?level=1&kind=general');
    const expected = [...new Set(grids.features.map((f) => f.properties.name))].sort();
    expect(expected).toHaveLength(5);

    const rendered = await page.evaluate(() => {
      const map = (globalThis as PageGlobals).__pinganMap!;
      const names = (layer: string) =>
        [...new Set(map.queryRenderedFeatures({ layers: [layer] }).map((f) => String(f.properties.name)))].sort();
      return { fills: names('grids-l1-fill'), labels: names('grids-l1-label') };
    });
    expect(rendered.fills).toEqual(expected);
    // Labels come from local fonts (no glyph server): placed labels prove text rendering works.
    expect(rendered.labels).toEqual(expected);
  });

  it('switches the interface to English', async () => {
    const name = page.getByTestId('app-name');
    expect(await name.textContent()).toContain('平安一张图');

    await page.getByTestId('locale-en').click();
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });

    expect(await name.textContent()).toContain('Pingan Map');
    expect(await page.getByTestId('map-legend').textContent()).toContain('Legend');
    expect(await page.evaluate('localStorage.getItem("pingan-map.locale")')).toBe('en');
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-en.png` });
  });
});
