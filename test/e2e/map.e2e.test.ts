import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelStats } from './png-stats.js';

// Browser check of the command map: the built client, served by the real server,
// must draw the base map and the level-1 grids and switch its UI language.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  // Software WebGL, so the test runs on machines without a GPU.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
const VIEWPORT = { width: 1920, height: 1080 };
const READY_TIMEOUT_MS = 60_000;
const SCREENSHOT_DIR = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));
const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const CLIENT_SOURCES = fileURLToPath(new URL('../../client/', import.meta.url));
const VITE_CONFIG = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
// Must match basemapColors.background in client/map/theme.ts.
const BACKGROUND_RGB = [0x07, 0x12, 0x26] as const;

interface GridCollection {
  features: Array<{ properties: { name: string } }>;
}
interface MapExtent {
  center: [number, number];
}
/** The slice of the page's globals the test uses; the test is type-checked without DOM libs. */
interface PageGlobals {
  __pinganMap?: {
    project(lngLat: [number, number]): { x: number; y: number };
    queryRenderedFeatures(options: { layers: string[] }): Array<{ properties: Record<string, unknown> }>;
  };
}

/** True when dist/client is missing or older than any client source or the Vite config. */
async function clientBuildIsStale(): Promise<boolean> {
  if (!existsSync(CLIENT_INDEX)) return true;
  const builtAt = statSync(CLIENT_INDEX).mtimeMs;
  if ((await stat(VITE_CONFIG)).mtimeMs > builtAt) return true;
  for (const entry of await readdir(CLIENT_SOURCES, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && (await stat(`${entry.parentPath}/${entry.name}`)).mtimeMs > builtAt) return true;
  }
  return false;
}

if (!hasChromium) {
  console.warn(`[map.e2e] skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser tests)`);
}

describe.skipIf(!hasChromium)(`command map in Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let server: { baseUrl: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;

  async function getJson<T>(path: string): Promise<T> {
    const response = await fetch(`${server!.baseUrl}${path}`);
    expect(response.status, `GET ${path}`).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    // The server serves the built client: rebuild it when the sources changed, so the
    // test never passes or fails on a stale bundle.
    if (await clientBuildIsStale()) {
      const { build } = await import('vite');
      await build({ configFile: VITE_CONFIG, logLevel: 'warn' });
    }
    await mkdir(SCREENSHOT_DIR, { recursive: true });

    const { startTestServer } = await import('../support/server.js');
    const started = await startTestServer();
    server = started;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    // A fresh context: no locale left in localStorage by an earlier run.
    context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    page = await context.newPage();

    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${started.baseUrl}/?e2e=1`);
    try {
      await page.waitForSelector('body[data-map-ready="true"]', { state: 'attached', timeout: READY_TIMEOUT_MS });
    } catch (error) {
      await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-not-ready.png` }).catch(() => undefined);
      throw new Error(`map never became ready; page errors: ${pageErrors.join(' | ') || 'none'}`, { cause: error });
    }
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-zh-CN.png` });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
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
