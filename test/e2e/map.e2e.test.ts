import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiSession } from '../support/session.js';
import {
  CHROMIUM,
  hasChromium,
  launchChromium,
  openPage,
  prepareClient,
  SCREENSHOT_DIR,
  settleMap,
  submitLogin,
  VIEWPORT,
  waitForMap,
  type PageGlobals,
  type TestPage,
} from './browser.js';
import { changedShare, pixelStats } from './png-stats.js';

// Browser checks of the command map: the built client, served by the real server, on
// the demo district. What the map draws and what its panels say are compared with the
// API as the same user sees it.

const DISTRICT_OPERATOR = 'operator.district';
const PASSWORD = 'Pingan@2026';
// Must match basemapColors.background in client/map/theme.ts.
const BACKGROUND_RGB = [0x07, 0x12, 0x26] as const;
/** Everything but the two layers that start hidden. */
const POINT_LAYERS = ['patrols', 'cameras', 'incidents', 'centers'];

interface GridCollection {
  features: Array<{ id: number; properties: { id: number; code: string; name: string; level: number } }>;
}
/** What the page functions below read; the tests are type-checked without DOM libs. */
interface PageDocument {
  document: { querySelector(selector: string): { textContent: string | null; value?: string } | null };
  location: { search: string };
}
interface MapExtent {
  center: [number, number];
  bbox: [number, number, number, number];
}

if (!hasChromium) {
  console.warn(`[map.e2e] skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser tests)`);
}

describe.skipIf(!hasChromium)(`command map in Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let target: TestPage | undefined;
  let page: TestPage['page'];
  let api: ApiSession;

  async function getJson<T>(path: string): Promise<T> {
    const response = await api.get(path);
    expect(response.status, `GET ${path}`).toBe(200);
    return (await response.json()) as T;
  }

  /** Resolves once MapLibre has drawn everything it is waiting for (tiles, deck.gl layers). */
  const settle = () => settleMap(page);

  /** The map without the floating panels: the middle of the screen. */
  const MAP_CLIP = { x: 360, y: 80, width: 1150, height: 880 };
  const mapShot = () => page.screenshot({ clip: MAP_CLIP });

  async function setLayer(id: string, on: boolean): Promise<void> {
    const toggle = page.getByTestId(`layer-toggle-${id}`);
    if ((await toggle.isChecked()) !== on) await toggle.click();
    await settle();
  }

  async function jumpTo(center: [number, number], zoom: number): Promise<void> {
    await page.evaluate(([c, z]) => (globalThis as PageGlobals).__pinganMap!.jumpTo({ center: c, zoom: z }), [center, zoom] as const);
    await settle();
  }

  /** Clicks the map at a longitude/latitude, in page coordinates. */
  async function clickAt(lngLat: [number, number]): Promise<void> {
    const box = (await page.getByTestId('command-map').boundingBox())!;
    const point = await page.evaluate((p) => (globalThis as PageGlobals).__pinganMap!.project(p), lngLat);
    await page.mouse.click(box.x + point.x, box.y + point.y);
  }

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    api = await signIn(server.baseUrl, DISTRICT_OPERATOR, PASSWORD);
    browser = await launchChromium();
    target = await openPage(browser);
    page = target.page;

    // What the default view costs: every byte the page receives (scripts, API, tiles)
    // until the map reports base map and grids drawn. Printed, not asserted.
    let bytes = 0;
    page.on('response', (response) => {
      response.body().then((body) => (bytes += body.length), () => undefined);
    });
    await page.goto(`${server.baseUrl}/?e2e=1`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, DISTRICT_OPERATOR, PASSWORD);
    const started = Date.now();
    await waitForMap(target, 'command-map-not-ready.png');
    await settle();
    console.info(`[map.e2e] default view: first full render ${Date.now() - started} ms after sign-in, ${(bytes / 1e6).toFixed(2)} MB received`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-default.png` });
  }, 180_000);

  afterAll(async () => {
    await target?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('draws the map in the middle of the district', async () => {
    const extent = await getJson<MapExtent>('/api/map/extent');
    const centre = await page.evaluate((lngLat) => (globalThis as PageGlobals).__pinganMap!.project(lngLat), extent.center);
    const width = 480;
    const height = 320;
    const clip = {
      x: Math.min(Math.max(0, centre.x - width / 2), VIEWPORT.width - width),
      y: Math.min(Math.max(0, centre.y - height / 2), VIEWPORT.height - height),
      width,
      height,
    };
    // A map that failed to draw (no WebGL, broken style, failed tiles) leaves the page
    // background showing; a drawn district has fills, roads, grids and points.
    const stats = pixelStats(await page.screenshot({ clip }), BACKGROUND_RGB);
    expect(stats.nonBackgroundShare, 'share of non-background pixels').toBeGreaterThan(0.3);
    expect(stats.distinctColours, 'distinct colours').toBeGreaterThanOrEqual(8);
  });

  it('names every level-1 grid on the map', async () => {
    const grids = await getJson<GridCollection>('/api/grids?level=1&kind=general');
    const expected = [...new Set(grids.features.map((f) => f.properties.name))].sort();
    expect(expected.length).toBeGreaterThan(1);
    const rendered = await page.evaluate(() => {
      const map = (globalThis as PageGlobals).__pinganMap!;
      return [...new Set(map.queryRenderedFeatures({ layers: ['grids-1-label'] }).map((f) => String(f.properties.name)))].sort();
    });
    // Labels come from local fonts (no glyph server): placed labels prove text rendering works.
    expect(rendered).toEqual(expected);
  });

  it('changes the picture when any layer is switched', async () => {
    // 30 days: the demo district has incidents in every part of it.
    await page.getByTestId('time-preset-30d').click();
    await settle();
    const layers = await page.getByTestId('layer-panel').locator('[data-layer]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-layer')!));
    expect(layers).toEqual(['grids-1', 'grids-2', 'grids-3', 'specialist-grids', 'geofences', 'patrols', 'cameras', 'incidents', 'heatmap', 'centers']);
    const baseline = await mapShot();
    // Key areas are a few hundred metres across: a handful of pixels at district scale, checked close up below.
    for (const id of layers.filter((l) => l !== 'geofences')) {
      const toggle = page.getByTestId(`layer-toggle-${id}`);
      await toggle.click();
      await settle();
      expect(changedShare(baseline, await mapShot()), `pixels changed by switching ${id}`).toBeGreaterThan(0.0005);
      await toggle.click();
      await settle();
    }
    const { rows: areas } = await server!.db.query<{ lon: number; lat: number }>(
      'SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM geofences WHERE ends_at IS NULL ORDER BY id LIMIT 1',
    );
    const framed = await page.evaluate(() => {
      const map = (globalThis as PageGlobals).__pinganMap!;
      const { lng, lat } = map.getCenter();
      return { center: [lng, lat] as [number, number], zoom: map.getZoom() };
    });
    await jumpTo([areas[0]!.lon, areas[0]!.lat], 15);
    await settle();
    const close = await mapShot();
    await page.getByTestId('layer-toggle-geofences').click();
    await settle();
    expect(changedShare(close, await mapShot()), 'pixels changed by switching key areas').toBeGreaterThan(0.0005);
    await page.getByTestId('layer-toggle-geofences').click();
    await jumpTo(framed.center, framed.zoom);
    await settle();
    // The opacity slider fades a layer without hiding it.
    const before = await mapShot();
    await page.getByTestId('layer-opacity-grids-1').evaluate((input) => {
      (input as unknown as { value: string }).value = '20';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await settle();
    expect(changedShare(before, await mapShot()), 'pixels changed by fading level-1 grids').toBeGreaterThan(0.001);
  }, 300_000);

  it('opens the panel of the grid clicked, with the data the API gives', async () => {
    const grids = await getJson<GridCollection>('/api/grids?level=3&kind=general');
    const grid = grids.features[Math.floor(grids.features.length / 2)]!.properties;
    const { rows } = await server!.db.query<{ lon: number; lat: number }>('SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE id = $1', [grid.id]);
    const inside: [number, number] = [rows[0]!.lon, rows[0]!.lat];
    for (const id of POINT_LAYERS) await setLayer(id, false);
    await jumpTo(inside, 15);

    const detailRequest = page.waitForResponse((r) => /\/api\/grids\/\d+\?/.test(r.url()));
    await clickAt(inside);
    const panel = page.getByTestId('details-grid');
    await panel.waitFor();
    expect(await panel.getAttribute('data-id')).toBe(String(grid.id));
    // The very request the panel made, asked again through the API.
    const url = new URL((await detailRequest).url());
    const detail = await getJson<{
      properties: { name: string; code: string; population: number; cameras: number; parents: Array<{ name: string }>; staff: Array<{ name: string }>; incidents_in_window: { total: number; by_category: Record<string, number> } };
    }>(`${url.pathname}${url.search}`);
    const p = detail.properties;
    await page.getByTestId('grid-code').waitFor();
    expect((await page.getByTestId('details-title').textContent())?.trim()).toBe(p.name);
    expect((await page.getByTestId('grid-code').textContent())?.trim()).toBe(p.code);
    expect((await page.getByTestId('grid-population').textContent())?.replace(/\D/g, '')).toBe(String(p.population));
    expect((await page.getByTestId('grid-cameras').textContent())?.replace(/\D/g, '')).toBe(String(p.cameras));
    const chain = await page.getByTestId('grid-chain').locator('a, span:not([aria-hidden])').allTextContents();
    expect(chain.map((s) => s.trim())).toEqual(p.parents.map((x) => x.name));
    expect(p.parents).toHaveLength(2);
    expect(await page.getByTestId('grid-staff').locator('li').count()).toBe(Math.max(1, p.staff.length));
    expect(Number(await page.getByTestId('grid-incidents-total').textContent())).toBe(p.incidents_in_window.total);
    const bars = await page.getByTestId('grid-incidents').locator('li').evaluateAll((nodes) =>
      Object.fromEntries(nodes.map((n) => [n.getAttribute('data-category')!, Number(n.getAttribute('data-count'))])),
    );
    expect(bars).toEqual(p.incidents_in_window.by_category);
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-grid-panel.png` });

    // The parent in the chain is one click away and brings its grid into view.
    await page.getByTestId('grid-chain').locator('a').last().click();
    await page.waitForFunction((name) => (globalThis as unknown as PageDocument).document.querySelector('[data-testid="details-title"]')?.textContent?.trim() === name, p.parents[1]!.name);
  });

  it('opens the panel of the camera clicked', async () => {
    const extent = await getJson<MapExtent>('/api/map/extent');
    const cameras = await getJson<{ features: Array<{ geometry: { coordinates: [number, number] }; properties: { id: number; code: string } }> }>(
      `/api/cameras?bbox=${extent.bbox.join(',')}&limit=50`,
    );
    const camera = cameras.features[17]!;
    await page.getByTestId('details-close').click();
    await setLayer('cameras', true);
    await jumpTo(camera.geometry.coordinates, 18);
    await clickAt(camera.geometry.coordinates);
    const panel = page.getByTestId('details-camera');
    await panel.waitFor();
    expect(await panel.getAttribute('data-id')).toBe(String(camera.properties.id));
    const detail = await getJson<{ properties: { code: string; grid: { name: string } | null } }>(`/api/cameras/${camera.properties.id}`);
    await page.getByTestId('camera-code').waitFor();
    expect((await page.getByTestId('camera-code').textContent())?.trim()).toBe(detail.properties.code);
    if (detail.properties.grid) expect((await page.getByTestId('camera-grid').textContent())?.trim()).toBe(detail.properties.grid.name);
    await setLayer('cameras', false);
  });

  it('opens the panel of the incident clicked, with its timeline', async () => {
    // One of the last 20 days (inside the 30-day window) that has been worked on.
    const { rows } = await server!.db.query<{ id: number; lon: number; lat: number }>(
      `SELECT i.id, ST_X(i.location) AS lon, ST_Y(i.location) AS lat FROM incidents AS i
       WHERE i.reported_at > now() - interval '20 days' AND (SELECT count(*) FROM incident_events AS e WHERE e.incident_id = i.id) > 1
       ORDER BY i.id LIMIT 1`,
    );
    const incident = { id: Number(rows[0]!.id), location: [rows[0]!.lon, rows[0]!.lat] as [number, number] };
    await page.getByTestId('details-close').click();
    await setLayer('incidents', true);
    await jumpTo(incident.location, 18);
    await clickAt(incident.location);
    const panel = page.getByTestId('details-incident');
    await panel.waitFor();
    expect(await panel.getAttribute('data-id')).toBe(String(incident.id));
    const detail = await getJson<{ number: string; timeline: unknown[] }>(`/api/incidents/${incident.id}`);
    await page.getByTestId('incident-number').waitFor();
    expect((await page.getByTestId('incident-number').textContent())?.trim()).toBe(detail.number);
    expect(detail.timeline.length).toBeGreaterThan(1);
    expect(await page.getByTestId('incident-timeline').locator('li').count()).toBe(detail.timeline.length);
    await page.getByTestId('details-close').click();
  });

  it('opens the panel of the patrol unit clicked', async () => {
    const units = await getJson<{ features: Array<{ geometry: { coordinates: [number, number] }; properties: { unit_id: number; callsign: string } }> }>('/api/patrols/positions');
    const unit = units.features[5]!;
    for (const id of POINT_LAYERS) await setLayer(id, id === 'patrols');
    await jumpTo(unit.geometry.coordinates, 18);
    await clickAt(unit.geometry.coordinates);
    const panel = page.getByTestId('details-patrol');
    await panel.waitFor();
    expect(await panel.getAttribute('data-id')).toBe(String(unit.properties.unit_id));
    await page.getByTestId('patrol-callsign').waitFor();
    expect((await page.getByTestId('patrol-callsign').textContent())?.trim()).toBe(unit.properties.callsign);
    await page.getByTestId('details-close').click();
    for (const id of POINT_LAYERS) await setLayer(id, true);
  });

  it('finds a grid by its code and opens it, bringing it into view', async () => {
    const grids = await getJson<GridCollection>('/api/grids?level=2&kind=general');
    const grid = grids.features[3]!.properties;
    await page.getByTestId('map-search-input').fill(grid.code);
    const first = page.getByTestId('map-search-results').locator('[role="option"]').first();
    await first.waitFor();
    expect(await first.getAttribute('data-kind')).toBe('grid');
    expect(await first.getAttribute('data-id')).toBe(String(grid.id));
    await page.getByTestId('map-search-input').press('Enter');
    const panel = page.locator(`[data-testid="details-grid"][data-id="${grid.id}"]`);
    await panel.waitFor();
    // The map flies to the grid: once it stops, the grid's label point is on screen.
    await page.waitForFunction(() => (globalThis as unknown as PageDocument).location.search.includes('sel=grid'));
    await settle();
    const { rows } = await server!.db.query<{ lon: number; lat: number }>('SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE id = $1', [grid.id]);
    const onScreen = await page.evaluate((p) => (globalThis as PageGlobals).__pinganMap!.project(p), [rows[0]!.lon, rows[0]!.lat] as [number, number]);
    expect(onScreen.x).toBeGreaterThan(0);
    expect(onScreen.x).toBeLessThan(VIEWPORT.width);
    expect(onScreen.y).toBeGreaterThan(0);
    expect(onScreen.y).toBeLessThan(VIEWPORT.height);
    // The URL now names the view, so it can be shared: reloading restores the selection.
    expect(decodeURIComponent(page.url())).toContain(`sel=grid:${grid.id}`);
    await page.reload();
    await page.locator(`[data-testid="details-grid"][data-id="${grid.id}"]`).waitFor();
    await waitForMap(target!, 'command-map-reload-not-ready.png');
    await page.getByTestId('details-close').click();
  });

  it('plays incidents and the heat map back through the window', async () => {
    await page.getByTestId('time-preset-7d').click();
    await setLayer('heatmap', true);
    const extent = await getJson<MapExtent>('/api/map/extent');
    await jumpTo(extent.center, 11.5);
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-heatmap.png` });
    const layerIds = () => page.evaluate(() => (globalThis as PageGlobals).__pinganDeckLayers ?? []);
    expect(await layerIds()).toContain('incident-heatmap');

    const frameText = page.getByTestId('time-frame');
    const wholeWindow = await frameText.textContent();
    await page.getByTestId('time-play').click();
    await page.waitForFunction(() => Number((globalThis as unknown as PageDocument).document.querySelector('[data-testid="time-slider"]')?.value) >= 2);
    const playing = await frameText.textContent();
    expect(playing).not.toBe(wholeWindow);
    expect(await layerIds()).toEqual(expect.arrayContaining(['incident-heatmap', 'incident-frame-points']));
    await page.waitForFunction((seen) => (globalThis as unknown as PageDocument).document.querySelector('[data-testid="time-frame"]')?.textContent !== seen, playing);
    await page.getByTestId('time-play').click();
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-playback.png` });
    await page.getByTestId('time-stop').click();
    expect(await frameText.textContent()).toBe(wholeWindow);
    expect(await layerIds()).not.toContain('incident-frame-points');
  });

  it('switches the interface to English', async () => {
    expect(await page.getByTestId('app-name').textContent()).toContain('平安一张图');
    await page.getByTestId('locale-en').click();
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('app-name').textContent()).toContain('Pingan Map');
    const panel = await page.getByTestId('layer-panel').textContent();
    expect(panel).toContain('Layers');
    expect(panel).toContain('Level-1 grids');
    expect(await page.getByTestId('time-preset-24h').textContent()).toContain('24 h');
    expect(await page.getByTestId('map-search-input').getAttribute('placeholder')).toContain('Grid');
    expect(await page.evaluate('localStorage.getItem("pingan-map.locale")')).toBe('en');
    await page.screenshot({ path: `${SCREENSHOT_DIR}command-map-en.png` });
  });
});
