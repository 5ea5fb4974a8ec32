import { randomUUID } from 'node:crypto';
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
  waitForMap,
  type PageGlobals,
  type TestPage,
} from './browser.js';

// Key areas (重点区域) on the command map, in Chromium against the real server: the duty
// operator draws one around a spot corner by corner, names it and saves it; the map draws
// it; an incident reported inside it raises a live alert; ending it takes it off the map.

const OPERATOR = 'operator.district';
const PASSWORD = 'Pingan@2026';
const LIVE_TIMEOUT_MS = 45_000;
const AREA = `学校周边测试区 ${randomUUID().slice(0, 6)}`;

interface GeofenceFeature {
  properties: { id: number; name: string; active: boolean; alerts: number };
}

if (!hasChromium) console.warn(`[geofences.e2e] skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium)('key areas on the command map in Chromium', () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let target: TestPage | undefined;
  let page: TestPage['page'];
  let operator: ApiSession;
  /** The spot the area is drawn around: a grid's label point, in the middle of the screen. */
  let spot: [number, number];
  let areaId: number;

  /** The screen position of a WGS84 point (the built-in base map is WGS84). */
  const screenOf = (lonLat: [number, number]) => page.evaluate((p) => (globalThis as PageGlobals).__pinganMap!.project(p), lonLat);

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    operator = await signIn(server.baseUrl, OPERATOR, PASSWORD);
    const { rows } = await server.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids
       WHERE kind = 'general' AND level = 3 ORDER BY id LIMIT 1`,
    );
    spot = [rows[0]!.lon, rows[0]!.lat];
    browser = await launchChromium();
    target = await openPage(browser);
    page = target.page;
    await page.goto(`${server.baseUrl}/?e2e=1&at=${spot[0]},${spot[1]},15`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, OPERATOR, PASSWORD);
    await waitForMap(target, 'geofences-map-not-ready.png');
  }, 180_000);

  afterAll(async () => {
    await target?.context.close();
    await browser?.close();
    if (server && areaId) await server.db.query('UPDATE geofences SET ends_at = now() WHERE id = $1 AND (ends_at IS NULL OR ends_at > now())', [areaId]);
    await server?.close();
  });

  it('draws a key area corner by corner and saves it with a name and a kind', async () => {
    await page.getByTestId('geofences-manage').click();
    await page.getByTestId('geofence-panel').waitFor();
    await page.getByTestId('geofence-start').click();
    const centre = await screenOf(spot);
    // Four corners around the spot, 60 px out; a click on the map places each.
    for (const [dx, dy] of [[-60, -60], [60, -60], [60, 60], [-60, 60]] as const) {
      await page.mouse.click(centre.x + dx, centre.y + dy);
    }
    await expect.poll(() => page.getByTestId('geofence-corners').textContent()).toMatch(/4/);
    // Drawing took the clicks: nothing got selected on the map.
    expect(new URL(page.url()).searchParams.get('sel')).toBeNull();
    await page.screenshot({ path: `${SCREENSHOT_DIR}geofences-drawing.png` });
    await page.getByTestId('geofence-finish').click();
    await page.getByTestId('geofence-name').fill(AREA);
    await page.getByTestId('geofence-kind').selectOption('school');
    await page.getByTestId('geofence-save').click();

    const item = page.locator('[data-testid^="geofence-"]').filter({ hasText: AREA });
    await item.first().waitFor();
    const listed = (await (await operator.get('/api/geofences')).json()) as { features: GeofenceFeature[] };
    const saved = listed.features.find((f) => f.properties.name === AREA);
    expect(saved?.properties).toMatchObject({ active: true, alerts: 0 });
    areaId = saved!.properties.id;
    // The map draws it: the fill is under the spot.
    await expect
      .poll(async () => {
        const { x, y } = await screenOf(spot);
        return page.evaluate(
          ([px, py]) => {
            const map = (globalThis as PageGlobals).__pinganMap!;
            return map.queryRenderedFeatures([px, py], { layers: ['geofence-fill'] }).map((f) => f.properties.name);
          },
          [x, y] as [number, number],
        );
      }, { timeout: 15_000 })
      .toContain(AREA);
    await page.screenshot({ path: `${SCREENSHOT_DIR}geofences-saved.png` });
  });

  it('raises a live alert when an incident is reported inside the area', async () => {
    const response = await operator.send(
      'POST',
      '/api/incidents',
      { category: 'public_order', severity: 'high', title: '校门口聚集滋事', location: spot, source: 'hotline' },
      { headers: { 'idempotency-key': `geofence-e2e-${randomUUID()}` } },
    );
    expect(response.status).toBe(201);
    const { incident } = (await response.json()) as { incident: { number: string; alerts: { geofenceId: number }[] } };
    expect(incident.alerts.map((a) => a.geofenceId)).toContain(areaId);
    await page.getByTestId('toast').filter({ hasText: AREA }).filter({ hasText: incident.number }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator(`[data-testid="geofence-${areaId}"]`).filter({ hasText: /1/ }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.screenshot({ path: `${SCREENSHOT_DIR}geofences-alert.png` });
  });

  it('ends the area with a confirmed click and takes it off the map', async () => {
    const end = page.getByTestId(`geofence-end-${areaId}`);
    await end.click();
    await end.click();
    await page.locator(`[data-testid="geofence-${areaId}"]`).waitFor({ state: 'detached' });
    const listed = (await (await operator.get('/api/geofences')).json()) as { features: GeofenceFeature[] };
    expect(listed.features.map((f) => f.properties.id)).not.toContain(areaId);
    await page.getByTestId('geofence-close').click();
    await page.getByTestId('geofence-panel').waitFor({ state: 'detached' });
  });
});
