import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { signIn } from '../support/session.js';
import { CHROMIUM, hasChromium, launchChromium, prepareClient, READY_TIMEOUT_MS, SCREENSHOT_DIR, submitLogin, type PageGlobals, type TestPage } from './browser.js';

// The grid worker's page on a phone (375 × 812, touch): a report filed offline waits in
// the browser's outbox, survives a reload, and is sent once the network is back; a
// network that loses answers still stores one incident; "my tasks" lists what is
// dispatched to the worker and takes the worker's steps. What the server stored is
// read from the database, by the report's idempotency key.

const WORKER = 'worker.village';
const PASSWORD = 'Pingan@2026';
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const SENT_TIMEOUT_MS = 45_000;

/** A photo as a phone camera takes it: larger than the page sends, with detail for the encoder. */
function cameraPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      png.data[i] = (x * 255) / width;
      png.data[i + 1] = (y * 255) / height;
      png.data[i + 2] = ((x ^ y) & 0x3f) * 4;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** Width and height from a JPEG's start-of-frame segment. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`not a JPEG segment at byte ${at}`);
    const marker = bytes[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  throw new Error('no start-of-frame segment');
}

if (!hasChromium) {
  console.warn(`[report.e2e] skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser tests)`);
}

describe.skipIf(!hasChromium)(`grid-worker report page on a phone in Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let db: Database;
  const opened: TestPage[] = [];
  /** A point inside a level-3 grid of the worker's village. */
  let inside: [number, number];

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    db = server.db;
    browser = await launchChromium();
    const { rows } = await db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
         SELECT ST_PointOnSurface(g.geom) AS p FROM grids AS g
         WHERE g.kind = 'general' AND g.level = 3
           AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = (SELECT center_id FROM users WHERE username = $1))
         ORDER BY g.id LIMIT 1) AS s`,
      [WORKER],
    );
    inside = [rows[0]!.lon, rows[0]!.lat];
  }, 180_000);

  // A test that failed during its outage must not leave the next one without a server.
  afterEach(() => server?.setReachable(true));

  afterAll(async () => {
    for (const target of opened) await target.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  /** A fresh phone browser signed in as the worker, on the report page with its map drawn. */
  async function openPhone(): Promise<TestPage> {
    const context = await browser!.newContext(PHONE);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const target = { context, page, errors };
    opened.push(target);
    await page.goto(`${server!.baseUrl}/report?e2e=1`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, WORKER, PASSWORD);
    await page.getByTestId('report-page').waitFor();
    await waitForReportMap(target);
    return target;
  }

  async function waitForReportMap(target: TestPage): Promise<void> {
    try {
      await target.page.waitForSelector('body[data-map-ready="true"]', { state: 'attached', timeout: READY_TIMEOUT_MS });
    } catch (error) {
      throw new Error(`report map never became ready; page errors: ${target.errors.join(' | ') || 'none'}`, { cause: error });
    }
  }

  /** Brings `lngLat` to the middle of the small map and taps it there. */
  async function tapOnMap(target: TestPage, lngLat: [number, number]): Promise<void> {
    const { page } = target;
    await page.getByTestId('report-map').scrollIntoViewIfNeeded();
    await page.evaluate(
      (c) =>
        new Promise<void>((resolve) => {
          const map = (globalThis as PageGlobals).__pinganMap!;
          map.once('idle', () => resolve());
          map.jumpTo({ center: c, zoom: 18 });
        }),
      lngLat,
    );
    const box = (await page.getByTestId('report-map').boundingBox())!;
    const point = await page.evaluate((p) => (globalThis as PageGlobals).__pinganMap!.project(p), lngLat);
    await page.touchscreen.tap(box.x + point.x, box.y + point.y);
    await page.getByTestId('report-coordinates').waitFor();
  }

  async function fillReport(target: TestPage, description: string, photo: { name: string; buffer: Buffer } | null, screenshot?: string): Promise<void> {
    const { page } = target;
    await tapOnMap(target, inside);
    await page.getByTestId('report-category-safety_hazard').tap();
    expect(await page.getByTestId('report-title').inputValue()).toBe('安全隐患（网格上报）');
    if (screenshot) {
      await page.getByTestId('report-location-status').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}${screenshot}` });
    }
    await page.getByTestId('report-severity-medium').tap();
    await page.getByTestId('report-description').fill(description);
    if (photo) {
      await page.getByTestId('report-photo-input').setInputFiles({ ...photo, mimeType: 'image/png' });
      await page.getByTestId('report-photos').locator('li').first().waitFor();
    }
  }

  /** Nothing on the page is wider than the screen (no sideways scrolling on a phone). */
  const noSidewaysScroll = (target: TestPage) =>
    target.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ scrollWidth: number; clientWidth: number }> } }).document;
      return [...doc.querySelectorAll('.report-page, .report-page__body')].every((el) => el.scrollWidth <= el.clientWidth);
    });

  const stored = async (key: string) => {
    const { rows } = await db.query<{ id: number; number: string; title: string; description: string | null; photos: number }>(
      `SELECT i.id, i.number, i.title, i.description, (SELECT count(*)::int FROM incident_photos AS p WHERE p.incident_id = i.id) AS photos
       FROM incidents AS i WHERE i.idempotency_key = $1`,
      [key],
    );
    return rows;
  };

  /** The offline shell has installed (its files cached), taken control of the page and kept the session. */
  const offlineShellActive = (target: TestPage) =>
    target.page.waitForFunction(
      () => (globalThis as unknown as { navigator: { serviceWorker: { controller: { state: string } | null } } }).navigator.serviceWorker.controller?.state === 'activated',
      undefined,
      { timeout: READY_TIMEOUT_MS },
    );

  /** Grid lines and names the small map draws, from the server or the offline shell's kept tiles. */
  const drawnGridFeatures = (target: TestPage) =>
    target.page.evaluate(() => (globalThis as PageGlobals).__pinganMap!.queryRenderedFeatures({ layers: ['report-grid-lines', 'report-grid-labels'] }).length);

  it('files reports offline, also on a page opened offline, keeps them, and sends them once the network is back', async () => {
    const target = await openPhone();
    const { page, context } = target;
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-new.png` });
    await offlineShellActive(target);
    // The worker has used the page online before (the shell then sees its map load and keeps
    // the tiles) and has looked at this very place.
    await page.reload();
    await waitForReportMap(target);
    await tapOnMap(target, inside);

    // The outage: the browser says it is offline, and the server cannot be reached.
    await context.setOffline(true);
    server!.setReachable(false);
    await page.getByTestId('report-offline').waitFor();
    expect((await page.getByTestId('report-network').textContent())?.trim()).toBe('离线');
    await fillReport(target, '人行道井盖缺失，已放置临时警示锥。', { name: 'scene.png', buffer: cameraPng(2400, 1200) }, 'report-phone-location.png');
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-filled.png` });
    expect(await noSidewaysScroll(target), 'the page fits the phone’s width').toBe(true);
    await page.getByTestId('report-submit').tap();

    const entry = page.getByTestId('outbox-entry');
    await entry.waitFor();
    expect(await entry.count()).toBe(1);
    expect((await entry.getByTestId('outbox-state').textContent())?.trim()).toBe('等待网络');
    expect((await page.getByTestId('report-waiting-count').textContent())?.trim()).toBe('1');
    const key = (await entry.getAttribute('data-key'))!;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-queued-offline.png` });

    // Still offline, the page is opened again: the offline shell (the service worker)
    // serves the page, its scripts, the session and the map's set-up and kept tiles.
    const reopened = await page.reload();
    expect(reopened?.fromServiceWorker(), 'the page came from the offline shell').toBe(true);
    await page.getByTestId('report-page').waitFor();
    expect((await page.getByTestId('report-network').textContent())?.trim()).toBe('离线');
    await page.getByTestId('report-tab-outbox').tap();
    const reloaded = page.locator(`[data-testid="outbox-entry"][data-key="${key}"]`);
    await reloaded.waitFor();
    expect((await reloaded.getByTestId('outbox-state').textContent())?.trim()).toBe('等待网络');

    // A second report, filed on the page opened offline, on its map drawn from kept tiles.
    await page.getByTestId('report-tab-new').tap();
    await waitForReportMap(target);
    await page.getByTestId('report-map').scrollIntoViewIfNeeded();
    expect(await drawnGridFeatures(target), 'grids drawn offline from kept tiles').toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-reopened-offline.png` });
    await fillReport(target, '路灯不亮，夜间行人较多。', null);
    await page.getByTestId('report-submit').tap();
    await expect.poll(() => page.locator('[data-testid="outbox-entry"][data-state="waiting"]').count()).toBe(2);
    const secondKey = (await page.locator('[data-testid="outbox-entry"]').first().getAttribute('data-key'))!;
    expect(secondKey).not.toBe(key);
    expect(await stored(key)).toEqual([]);
    expect(await stored(secondKey)).toEqual([]);

    // Back online: the `online` event sends both at once rather than at the end of their backoff.
    server!.setReachable(true);
    await context.setOffline(false);
    await page.waitForSelector(`[data-key="${key}"][data-state="sent"]`, { timeout: SENT_TIMEOUT_MS });
    await page.waitForSelector(`[data-key="${secondKey}"][data-state="sent"]`, { timeout: SENT_TIMEOUT_MS });
    expect(await stored(secondKey)).toMatchObject([{ title: '安全隐患（网格上报）', description: '路灯不亮，夜间行人较多。', photos: 0 }]);
    const rows = await stored(key);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: '安全隐患（网格上报）', description: '人行道井盖缺失，已放置临时警示锥。', photos: 1 });
    expect((await reloaded.getByTestId('outbox-number').textContent())?.trim()).toBe(`事件编号 ${rows[0]!.number}`);
    expect(await page.getByTestId('report-waiting-count').count()).toBe(0);

    // The camera-sized photo went out downscaled, as a JPEG.
    const { rows: photos } = await db.query<{ content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM incident_photos WHERE incident_id = $1', [rows[0]!.id]);
    expect(photos[0]!.content_type).toBe('image/jpeg');
    expect(jpegSize(photos[0]!.bytes)).toEqual({ width: 1920, height: 960 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-sent.png` });
    expect(target.errors).toEqual([]);
  });

  it('stores one incident and one photo when answers are lost and requests fail before succeeding', async () => {
    const target = await openPhone();
    const { page } = target;
    const seen: string[] = [];
    // 1st report POST reaches the server but its answer is lost; 2nd never gets there; 3rd goes through.
    await page.route('**/api/incidents', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      seen.push('report');
      const n = seen.filter((s) => s === 'report').length;
      if (n === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      if (n === 2) return route.abort('connectionrefused');
      return route.continue();
    });
    // The 1st photo upload is stored, its answer lost; the retry finds it stored.
    await page.route('**/api/incidents/*/photos', async (route) => {
      seen.push('photo');
      if (seen.filter((s) => s === 'photo').length === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });

    await fillReport(target, '楼道堆放杂物堵塞消防通道。', { name: 'corridor.png', buffer: cameraPng(640, 480) });
    await page.getByTestId('report-submit').tap();
    const entry = page.getByTestId('outbox-entry').first();
    await entry.waitFor();
    const key = (await entry.getAttribute('data-key'))!;
    await page.waitForSelector(`[data-key="${key}"][data-state="sent"]`, { timeout: SENT_TIMEOUT_MS });

    expect(seen.filter((s) => s === 'report')).toHaveLength(3);
    expect(seen.filter((s) => s === 'photo')).toHaveLength(2);
    const rows = await stored(key);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.photos).toBe(1);
    expect((await entry.getByTestId('outbox-number').textContent())?.trim()).toBe(`事件编号 ${rows[0]!.number}`);
    // A small PNG is sent as it is.
    const { rows: photos } = await db.query<{ content_type: string }>('SELECT content_type FROM incident_photos WHERE incident_id = $1', [rows[0]!.id]);
    expect(photos.map((p) => p.content_type)).toEqual(['image/png']);
    expect(target.errors).toEqual([]);
  });

  it('shows a refused report with the reason, and resends it edited under a new key', async () => {
    const { rows } = await db.query<{ lon: number; lat: number }>(
      `SELECT ST_XMax(e) + 0.05 AS lon, (ST_YMin(e) + ST_YMax(e)) / 2 AS lat FROM (SELECT ST_Extent(geom)::geometry AS e FROM grids) AS x`,
    );
    const outside: [number, number] = [rows[0]!.lon, rows[0]!.lat];
    const target = await openPhone();
    const { page } = target;
    await tapOnMap(target, outside);
    await page.getByTestId('report-category-public_order').tap();
    await page.getByTestId('report-submit').tap();
    const entry = page.getByTestId('outbox-entry').first();
    await entry.waitFor();
    const refusedKey = (await entry.getAttribute('data-key'))!;
    await page.waitForSelector(`[data-key="${refusedKey}"][data-state="rejected"]`, { timeout: SENT_TIMEOUT_MS });
    expect((await entry.getByTestId('outbox-state').textContent())?.trim()).toBe('被拒绝');
    expect((await entry.getByTestId('outbox-rejection').textContent())?.trim()).toBe('位置不在本区任何网格内：请检查定位或地图点选的位置后重发。');
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-rejected.png` });

    await entry.getByTestId('outbox-edit').tap();
    await page.getByTestId('report-editing').waitFor();
    expect(await page.getByTestId('report-title').inputValue()).toBe('治安问题（网格上报）');
    await tapOnMap(target, inside);
    await page.getByTestId('report-submit').tap();
    const resent = page.getByTestId('outbox-entry');
    await page.waitForSelector('[data-testid="outbox-entry"][data-state="sent"]', { timeout: SENT_TIMEOUT_MS });
    expect(await resent.count()).toBe(1);
    const key = (await resent.getAttribute('data-key'))!;
    expect(key).not.toBe(refusedKey);
    expect(await stored(refusedKey)).toEqual([]);
    expect(await stored(key)).toHaveLength(1);
    expect(target.errors).toEqual([]);
  });

  it('keeps a report when the session ends while offline, and sends it after signing in again', async () => {
    const target = await openPhone();
    const { page, context } = target;
    await context.setOffline(true);
    await fillReport(target, '路灯损坏，夜间无照明。', null);
    await page.getByTestId('report-submit').tap();
    const entry = page.getByTestId('outbox-entry').first();
    await entry.waitFor();
    const key = (await entry.getAttribute('data-key'))!;

    // The session ends on the server meanwhile (idle timeout, revoked from the desk).
    await db.query(
      `UPDATE sessions SET ended_at = now(), end_reason = 'expired'
       WHERE ended_at IS NULL AND user_id = (SELECT id FROM users WHERE username = $1)`,
      [WORKER],
    );
    await context.setOffline(false);
    await page.getByTestId('report-signed-out').waitFor({ timeout: SENT_TIMEOUT_MS });
    await page.waitForSelector(`[data-key="${key}"][data-state="signedOut"]`);
    expect((await entry.getByTestId('outbox-state').textContent())?.trim()).toBe('等待登录');
    expect(page.url()).toContain('/report');
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-signed-out.png` });
    expect(await stored(key)).toEqual([]);

    await page.getByTestId('report-sign-in').tap();
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, WORKER, PASSWORD);
    await page.getByTestId('report-page').waitFor();
    await page.waitForSelector(`[data-key="${key}"][data-state="sent"]`, { timeout: SENT_TIMEOUT_MS });
    expect(await stored(key)).toHaveLength(1);
    expect(target.errors).toEqual([]);
  });

  it('reads well on a desktop screen, in English', async () => {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const target = { context, page, errors: [] as string[] };
    page.on('pageerror', (error) => target.errors.push(error.message));
    opened.push(target);
    await page.goto(`${server!.baseUrl}/report?e2e=1`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, WORKER, PASSWORD);
    await page.getByTestId('report-page').waitFor();
    await waitForReportMap(target);
    await page.getByTestId('locale-en').click();
    expect((await page.getByTestId('report-submit').textContent())?.trim()).toBe('Submit report');
    await page.getByTestId('report-category-dispute').click();
    expect(await page.getByTestId('report-title').inputValue()).toBe('Dispute (grid report)');
    expect(await noSidewaysScroll(target)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-desktop-en.png` });
    await page.getByTestId('report-tab-outbox').click();
    await page.getByTestId('outbox').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}report-desktop-outbox-en.png` });
    expect(target.errors).toEqual([]);
  });

  it("lists the tasks dispatched to the worker, also offline as last seen, and takes the worker's steps", async () => {
    // The demo accounts are not linked to staff records: link the worker to one of its village's grid workers for this test.
    const { rows: link } = await db.query<{ user_id: number; had: number | null; staff_id: number }>(
      `SELECT u.id AS user_id, u.staff_id AS had,
              coalesce(u.staff_id, (SELECT gs.staff_id FROM grid_staff AS gs JOIN grids AS g ON g.id = gs.grid_id
                                    WHERE gs.duty = 'worker'
                                      AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = u.center_id)
                                    ORDER BY gs.staff_id LIMIT 1)) AS staff_id
       FROM users AS u WHERE u.username = $1`,
      [WORKER],
    );
    const { user_id: userId, had, staff_id: staffId } = link[0]!;
    expect(staffId).not.toBeNull();
    await db.query('UPDATE users SET staff_id = $2 WHERE id = $1', [userId, staffId]);
    try {
      const operator = await signIn(server!.baseUrl, 'operator.village');
      const filed = await operator.send(
        'POST',
        '/api/incidents',
        { category: 'dispute', severity: 'high', title: '邻里噪音纠纷（派发给网格员）', location: inside, source: 'hotline' },
        { headers: { 'idempotency-key': `e2e-task-${Date.now()}` } },
      );
      expect(filed.status, await filed.clone().text()).toBe(201);
      const { incident } = (await filed.json()) as { incident: { id: number; number: string } };
      const dispatched = await operator.send('POST', `/api/incidents/${incident.id}/actions`, { action: 'dispatch', assignee: { kind: 'staff', id: staffId } });
      expect(dispatched.status, await dispatched.clone().text()).toBe(200);

      const target = await openPhone();
      const { page, context } = target;
      await offlineShellActive(target);
      await page.getByTestId('report-tab-tasks').tap();
      const task = page.getByTestId('task').filter({ hasText: incident.number });
      await task.waitFor();
      expect((await task.getByTestId('task-status').textContent())?.trim()).toBe('已派发');
      expect(await page.getByTestId('tasks-offline-copy').count()).toBe(0);

      // Out of signal, the page opened again lists the tasks as last seen, says so, and offers no steps.
      await context.setOffline(true);
      server!.setReachable(false);
      await page.reload();
      await task.waitFor();
      const copyNotice = (await page.getByTestId('tasks-offline-copy').textContent())?.trim();
      expect(copyNotice).toMatch(/^当前无网络：显示的是 .+ 的任务清单，联网后自动刷新。$/);
      await task.locator('button[aria-expanded]').tap();
      await task.getByTestId('task-steps-offline').waitFor();
      expect(await task.getByTestId('task-step-accept').count()).toBe(0);
      await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-tasks-offline.png` });
      // Back online: read afresh, and the open task offers its steps.
      server!.setReachable(true);
      await context.setOffline(false);
      await page.getByTestId('tasks-offline-copy').waitFor({ state: 'detached' });
      await task.getByTestId('task-step-accept').tap();
      await page.waitForFunction(
        (n) => [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid="task"]')]
          .some((el) => el.textContent?.includes(n) && el.textContent.includes('处置中')),
        incident.number,
      );
      await task.getByTestId('task-step-feedback').tap();
      await task.getByTestId('task-note').fill('已上门调解，双方达成一致。');
      await page.screenshot({ path: `${SCREENSHOT_DIR}report-phone-tasks.png` });
      await task.getByTestId('task-submit').tap();
      await page.waitForFunction(
        (n) => [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid="task"]')]
          .some((el) => el.textContent?.includes(n) && el.textContent.includes('已反馈')),
        incident.number,
      );
      const { rows: steps } = await db.query<{ action: string; note: string | null }>(
        'SELECT action, note FROM incident_events WHERE incident_id = $1 ORDER BY id',
        [incident.id],
      );
      expect(steps.map((s) => s.action)).toEqual(['receive', 'dispatch', 'accept', 'feedback']);
      expect(steps.at(-1)!.note).toBe('已上门调解，双方达成一致。');
      expect(target.errors).toEqual([]);
    } finally {
      await db.query('UPDATE users SET staff_id = $2 WHERE id = $1', [userId, had]);
    }
  });
});
