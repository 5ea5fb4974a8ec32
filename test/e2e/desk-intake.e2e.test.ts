import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../geodata/seed/demo-accounts.js';
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
  waitForMap,
  type PageGlobals,
  type TestPage,
} from './browser.js';

// 一门受理 at the desk, in Chromium against the real server: the district's duty operator
// registers a hotline call from the incident queue's 登记事件 form, picking the spot on
// the command map. One incident per filled form (a lost answer and a second press
// included), refusals shown at their fields, likely duplicates listed after filing.

const OPERATOR = 'operator.district';
/** Long waits: the map flies to the new incident, which takes a while when drawn in software. */
const UI_TIMEOUT_MS = 45_000;
/** Where the spot is put on the 1920-px screen: right of the form, left of the details panel. */
const SPOT_X = 1300;
const RUN = randomUUID().slice(0, 6);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface StoredIncident {
  id: number;
  number: string;
  source: string;
  category: string;
  severity: string;
  title: string;
  description: string | null;
  address: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_id_number: string | null;
  grid_id: number | null;
  off_m: number;
}


if (!hasChromium) console.warn(`[desk-intake.e2e] skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium)('desk intake (登记事件) on the command map in Chromium', () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let target: TestPage | undefined;
  let page: TestPage['page'];
  let operator: ApiSession;
  /** A level-3 grid's label point inside the district, and that grid. */
  let spot: [number, number];
  let spotGrid: { id: number; name: string };
  /** West of every grid. */
  let outside: [number, number];

  /** Incidents with this title, with how far each lies from the spot. */
  async function stored(title: string): Promise<StoredIncident[]> {
    const { rows } = await server!.db.query<StoredIncident>(
      `SELECT id, number, source, category, severity, title, description, address, reporter_name, reporter_phone,
              reporter_id_number, grid_id,
              ST_Distance(location::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS off_m
       FROM incidents WHERE title = $1 ORDER BY id`,
      [title, spot[0], spot[1]],
    );
    return rows;
  }

  /** Waits until the map has stopped moving (a flight to an opened incident) and drawn everything. */
  const settle = () => settleMap(page);

  /** Shows `lngLat` at zoom 16, SPOT_X across and halfway down the map. */
  async function bringIntoView(lngLat: [number, number]): Promise<void> {
    await settle();
    await page.evaluate(
      ([p, x]) => {
        const map = (globalThis as PageGlobals).__pinganMap!;
        map.jumpTo({ center: p, zoom: 16 });
        const at = map.project(p);
        // Moving the centre left by the shift moves the point right by it.
        const centre = map.unproject([at.x - (x - at.x), at.y]);
        map.jumpTo({ center: [centre.lng, centre.lat], zoom: 16 });
      },
      [lngLat, SPOT_X] as const,
    );
    await settle();
  }

  /** Clicks the map at a WGS84 point (the built-in base map is WGS84), in page coordinates. */
  async function clickMapAt(lngLat: [number, number]): Promise<{ x: number; y: number }> {
    const box = (await page.getByTestId('command-map').boundingBox())!;
    const p = await page.evaluate((q) => (globalThis as PageGlobals).__pinganMap!.project(q), lngLat);
    const at = { x: box.x + p.x, y: box.y + p.y };
    await page.mouse.click(at.x, at.y);
    return at;
  }

  /** The reasons shown under the field holding this control. */
  const fieldErrors = (testid: string) => page.locator('.pa-field', { has: page.getByTestId(testid) }).locator('.pa-field__error');

  /** Opens the form, empties it (清空: it keeps a draft while closed) and picks `lngLat` on the map. */
  async function openFormAndPick(lngLat: [number, number]): Promise<void> {
    await bringIntoView(lngLat);
    if ((await page.getByTestId('desk-intake').count()) === 0) await page.getByTestId('intake-open').click();
    await page.getByTestId('intake-clear').click();
    // An empty form waits for the spot.
    expect(await page.getByTestId('intake-pick').getAttribute('aria-pressed')).toBe('true');
    await clickMapAt(lngLat);
    await page.getByTestId('intake-location').filter({ hasText: '经度' }).waitFor();
  }

  async function fill(fields: { category: string; severity?: string; title: string; description?: string }): Promise<void> {
    await page.getByTestId('intake-category').selectOption(fields.category);
    if (fields.severity) await page.getByTestId('intake-severity').selectOption(fields.severity);
    await page.getByTestId('intake-title').fill(fields.title);
    if (fields.description) await page.getByTestId('intake-description').fill(fields.description);
  }

  /** Submits and waits for the details panel of the incident the form registered. */
  async function submitAndOpen(): Promise<number> {
    await page.getByTestId('intake-submit').click();
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: UI_TIMEOUT_MS });
    const id = Number(await result.getAttribute('data-incident-id'));
    await page.locator(`[data-testid="details-incident"][data-id="${id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    return id;
  }

  const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  /** The form stays inside the window, clear of the layer panel, the queue, the details panel and the time bar. */
  async function expectClearLayout(): Promise<void> {
    const form = (await page.getByTestId('desk-intake').boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(form.x + form.width).toBeLessThanOrEqual(viewport.width);
    expect(form.y + form.height).toBeLessThanOrEqual(viewport.height);
    for (const other of ['layer-panel', 'incident-queue', 'details-incident', 'time-bar']) {
      const locator = page.getByTestId(other);
      if ((await locator.count()) === 0) continue;
      const box = (await locator.boundingBox())!;
      expect(intersects(form, box), `the form overlaps ${other}`).toBe(false);
    }
    // The submit button is reachable without scrolling the page.
    const submit = (await page.getByTestId('intake-submit').boundingBox())!;
    expect(submit.y + submit.height).toBeLessThanOrEqual(form.y + form.height);
  }

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    operator = await signIn(server.baseUrl, OPERATOR, DEMO_PASSWORD);
    const { rows } = await server.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids
       WHERE kind = 'general' AND level = 3 AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
       ORDER BY id LIMIT 1`,
      [operator.session.user.center.id],
    );
    spot = [rows[0]!.lon, rows[0]!.lat];
    // The grid attribution picks: the level-3 grid covering the point, the lowest id on a shared edge.
    const grids = await server.db.query<{ id: number; name: string }>(
      `SELECT id, name FROM grids WHERE kind = 'general' AND level = 3
       AND ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY id LIMIT 1`,
      spot,
    );
    spotGrid = grids.rows[0]!;
    const west = await server.db.query<{ lon: number; lat: number; covered: boolean }>(
      `WITH e AS (SELECT ST_Extent(geom) AS box FROM grids), p AS (
         SELECT ST_XMin(box) - 0.01 AS lon, (ST_YMin(box) + ST_YMax(box)) / 2 AS lat FROM e)
       SELECT lon, lat, EXISTS (SELECT 1 FROM grids WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(lon, lat), 4326))) AS covered FROM p`,
    );
    expect(west.rows[0]!.covered).toBe(false);
    outside = [west.rows[0]!.lon, west.rows[0]!.lat];

    browser = await launchChromium();
    target = await openPage(browser);
    page = target.page;
    await page.goto(`${server.baseUrl}/?e2e=1&at=${spot[0]},${spot[1]},16`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, OPERATOR, DEMO_PASSWORD);
    await waitForMap(target, 'desk-intake-map-not-ready.png');
  }, 180_000);

  afterAll(async () => {
    await target?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('registers a hotline call picked on the map: one incident, its grid, opened in the details panel', async () => {
    const title = `热线测试：楼上漏水纠纷 ${RUN}`;
    await bringIntoView(spot);
    await page.getByTestId('intake-open').click();
    await page.getByTestId('desk-intake').waitFor();
    expect(await page.getByTestId('intake-source').inputValue()).toBe('hotline');
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-intake-open.png` });

    const clicked = await clickMapAt(spot);
    await page.getByTestId('intake-location').filter({ hasText: spotGrid.name }).waitFor();
    // The map marks the picked spot; the click selected nothing.
    const box = (await page.getByTestId('command-map').boundingBox())!;
    await expect
      .poll(() =>
        page.evaluate(
          ([x, y]) => (globalThis as PageGlobals).__pinganMap!.queryRenderedFeatures([x, y], { layers: ['pick-marker-dot'] }).length,
          [clicked.x - box.x, clicked.y - box.y] as [number, number],
        ),
      )
      .toBe(1);
    expect(new URL(page.url()).searchParams.get('sel')).toBeNull();

    await page.getByTestId('intake-category').selectOption('dispute');
    // The title follows the category and the channel until typed over.
    expect(await page.getByTestId('intake-title').inputValue()).toBe('矛盾纠纷（热线来电）');
    await fill({ category: 'dispute', severity: 'medium', title, description: '来电人反映楼上住户卫生间漏水，协商未果，双方争吵。' });
    await page.getByTestId('intake-address').fill('幸福路 18 号 3 单元 502 室');
    await page.getByTestId('intake-reporter-name').fill('王女士');
    await page.getByTestId('intake-reporter-phone').fill('13800001234');
    await page.getByTestId('intake-reporter-id-number').fill('33010219800101123x');
    await expectClearLayout();
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-intake-filled.png` });

    const id = await submitAndOpen();
    const rows = await stored(title);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id,
      source: 'hotline',
      category: 'dispute',
      severity: 'medium',
      description: '来电人反映楼上住户卫生间漏水，协商未果，双方争吵。',
      address: '幸福路 18 号 3 单元 502 室',
      reporter_name: '王女士',
      reporter_phone: '13800001234',
      reporter_id_number: '33010219800101123X',
      grid_id: spotGrid.id,
    });
    // Where it was clicked, to within a pixel or two at zoom 16.
    expect(rows[0]!.off_m).toBeLessThan(5);
    await page.getByTestId('toast').filter({ hasText: `已登记事件 ${rows[0]!.number}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('sel')).toBe(`incident:${id}`);
    // The form is empty again, ready for the next call, the marker gone.
    expect(await page.getByTestId('intake-title').inputValue()).toBe('');
    expect(await page.getByTestId('intake-location').textContent()).toContain('尚未选点');
    await settle();
    await expectClearLayout();
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-intake-filed.png` });
  });

  it('stores one incident when the answer is lost and the button is pressed again', async () => {
    const title = `热线测试：答复丢失后重按 ${RUN}`;
    await openFormAndPick(spot);
    await page.getByTestId('intake-source').selectOption('walk_in');
    await fill({ category: 'livelihood', title });
    let dropped = 0;
    await page.route('**/api/incidents', async (route) => {
      if (route.request().method() !== 'POST' || dropped > 0) return route.fallback();
      dropped += 1;
      // The report reaches the server and is stored; its answer never reaches the page.
      await route.fetch();
      await route.abort('failed');
    });
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-notice').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(dropped).toBe(1);
    expect(await stored(title)).toHaveLength(1);
    // Nothing was lost from the form.
    expect(await page.getByTestId('intake-title').inputValue()).toBe(title);

    const replay = page.waitForResponse((r) => r.url().endsWith('/api/incidents') && r.request().method() === 'POST');
    await page.getByTestId('intake-submit').dblclick();
    const answer = await replay;
    expect(answer.status()).toBe(200);
    expect(answer.headers()['idempotent-replayed']).toBe('true');
    const id = Number(await page.getByTestId('intake-result').getAttribute('data-incident-id'));
    await page.locator(`[data-testid="details-incident"][data-id="${id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.unroute('**/api/incidents');
    const rows = await stored(title);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, source: 'walk_in' });
  });

  it('keeps a half-taken call while the key-area panel has its place or the form is closed, and starts afresh once emptied', async () => {
    const title = `热线测试：未完成的来电 ${RUN}`;
    await openFormAndPick(spot);
    await fill({ category: 'dispute', title, description: '来电人情绪激动，通话中断。' });
    await page.getByTestId('geofences-manage').click();
    await page.getByTestId('desk-intake').waitFor({ state: 'detached' });
    await page.getByTestId('geofence-close').click();
    await page.getByTestId('intake-open').click();
    expect(await page.getByTestId('intake-title').inputValue()).toBe(title);
    expect(await page.getByTestId('intake-description').inputValue()).toBe('来电人情绪激动，通话中断。');
    expect(await page.getByTestId('intake-location').textContent()).toContain('经度');
    expect(await page.getByTestId('intake-pick').getAttribute('aria-pressed'), 'a kept spot is not picked again').toBe('false');
    await page.getByTestId('intake-close').click();
    await page.getByTestId('intake-open').click();
    expect(await page.getByTestId('intake-title').inputValue()).toBe(title);
    await page.getByTestId('intake-clear').click();
    expect(await page.getByTestId('intake-title').inputValue()).toBe('');
    expect(await page.getByTestId('intake-pick').getAttribute('aria-pressed')).toBe('true');
    expect(await stored(title)).toHaveLength(0);
  });

  it('shows a spot outside every grid at the location field and stores nothing', async () => {
    const title = `热线测试：网格外 ${RUN}`;
    await openFormAndPick(outside);
    await fill({ category: 'other', title });
    await page.getByTestId('intake-submit').click();
    await fieldErrors('intake-pick').filter({ hasText: '不在任何网格内' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('intake-title').inputValue()).toBe(title);
    expect(await stored(title)).toHaveLength(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-intake-outside.png` });
  });

  it('explains a malformed phone number at its field, and puts the server’s reasons at theirs, storing nothing', async () => {
    const title = `热线测试：电话有误 ${RUN}`;
    await openFormAndPick(spot);
    await fill({ category: 'public_order', title });
    await page.getByTestId('intake-reporter-phone').fill('138 0000 1234');
    const posts: string[] = [];
    const onRequest = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/incidents')) posts.push(request.url());
    };
    page.on('request', onRequest);
    await page.getByTestId('intake-submit').click();
    await fieldErrors('intake-reporter-phone').filter({ hasText: '5–20 位数字' }).waitFor();
    expect(await page.getByTestId('intake-reporter-phone').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toHaveLength(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-intake-phone.png` });

    // What the server refuses (here an ID number altered on the way) lands at its field too.
    await page.getByTestId('intake-reporter-phone').fill('0571-88881234');
    await page.route('**/api/incidents', (route) =>
      route.continue({ postData: JSON.stringify({ ...(route.request().postDataJSON() as object), reporterIdNumber: '1234' }) }),
    );
    await page.getByTestId('intake-submit').click();
    await fieldErrors('intake-reporter-id-number').filter({ hasText: '18-character' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.unroute('**/api/incidents');
    page.off('request', onRequest);
    expect(posts).toHaveLength(1);
    expect(await stored(title)).toHaveLength(0);
  });

  it('lists a report at the same place and of the same category as a likely duplicate, and opens it', async () => {
    const response = await operator.send(
      'POST',
      '/api/incidents',
      { category: 'safety_hazard', severity: 'high', title: `楼道堆放杂物（已有事件）${RUN}`, location: spot, source: 'grid_app' },
      { headers: { 'Idempotency-Key': randomUUID() } },
    );
    expect(response.status).toBe(201);
    const earlier = ((await response.json()) as { incident: { id: number; number: string } }).incident;

    await openFormAndPick(spot);
    await fill({ category: 'safety_hazard', severity: 'high', title: `热线测试：楼道堆物堵塞 ${RUN}` });
    const id = await submitAndOpen();
    const duplicates = page.getByTestId('intake-duplicates');
    await duplicates.waitFor();
    const item = page.getByTestId(`intake-duplicate-${earlier.id}`);
    expect(await item.textContent()).toContain(earlier.number);
    expect(await item.textContent()).toMatch(/约 \d+ 米/);
    await settle();
    await expectClearLayout();
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-intake-duplicate.png` });

    await item.click();
    await page.locator(`[data-testid="details-incident"][data-id="${earlier.id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(id).not.toBe(earlier.id);
  });

  it('fits a 1366 × 768 screen beside the queue and the details panel', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('intake-open-filed').click();
    await page.locator('[data-testid="details-incident"]').waitFor();
    await settle();
    await expectClearLayout();
    await page.screenshot({ path: `${SCREENSHOT_DIR}desk-intake-1366.png` });
  });
});
