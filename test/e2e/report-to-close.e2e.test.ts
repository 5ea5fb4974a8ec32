import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import {
  CHROMIUM,
  hasChromium,
  launchChromium,
  openPage,
  prepareClient,
  READY_TIMEOUT_MS,
  SCREENSHOT_DIR,
  submitLogin,
  waitForMap,
  type PageGlobals,
  type TestPage,
} from './browser.js';

// One incident's whole life across two screens, as the center works: a grid worker files
// it from /report on a phone; it arrives on the duty operator's open command map and queue;
// the operator dispatches it to that worker from the dispatch helper; the worker accepts it
// and reports back from 我的任务 on the phone; the operator reviews, records the return
// visit and closes it with the panel's buttons.

const OPERATOR = 'operator.village';
const WORKER = 'worker.village';
const PASSWORD = 'Pingan@2026';
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const LIVE_TIMEOUT_MS = 45_000;
const DESCRIPTION = `小区门口电动车乱停放堵塞通道（全流程测试 ${Date.now().toString(36)}）`;

if (!hasChromium) console.warn(`[report-to-close.e2e] skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium)('from a grid worker’s report to 办结, in two browsers', () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let db: Database;
  let desk: TestPage;
  let phone: TestPage;
  /** Inside the grid the worker's staff record works in, so the dispatch helper offers the worker. */
  let spot: [number, number];
  let staffId: number;
  let incident: { id: number; number: string };

  const statusShown = (text: string) =>
    desk.page.getByTestId('incident-status').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).waitFor({ timeout: LIVE_TIMEOUT_MS });

  async function takeStep(step: string, expected: string, fill?: () => Promise<void>): Promise<void> {
    await desk.page.getByTestId(`step-${step}`).click();
    await desk.page.getByTestId('step-form').waitFor();
    await fill?.();
    await desk.page.getByTestId('step-form-submit').click();
    await statusShown(expected);
  }

  /** Waits until the phone's task list shows the incident in this status. */
  const taskShows = (text: string) =>
    phone.page.getByTestId('task').filter({ hasText: incident.number }).getByTestId('task-status').filter({ hasText: text }).waitFor({ timeout: LIVE_TIMEOUT_MS });

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    db = server.db;
    const { rows } = await db.query<{ staff_id: number; lon: number; lat: number }>(
      `SELECT u.staff_id, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
       FROM users AS u
       JOIN grid_staff AS gs ON gs.staff_id = u.staff_id AND gs.duty = 'worker'
       JOIN grids AS g ON g.id = gs.grid_id
       WHERE u.username = $1
       ORDER BY g.id LIMIT 1`,
      [WORKER],
    );
    expect(rows[0], 'the demo grid worker is linked to a staff member with a grid').toBeDefined();
    staffId = rows[0]!.staff_id;
    spot = [rows[0]!.lon, rows[0]!.lat];
    browser = await launchChromium();

    desk = await openPage(browser);
    await desk.page.goto(`${server.baseUrl}/?e2e=1`);
    await desk.page.getByTestId('login-page').waitFor();
    await submitLogin(desk.page, OPERATOR, PASSWORD);
    await waitForMap(desk, 'report-to-close-map-not-ready.png');
    await desk.page.getByTestId('live-state').and(desk.page.locator('[data-state="live"]')).waitFor({ timeout: LIVE_TIMEOUT_MS });

    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    phone = { context, page, errors: [] };
    page.on('pageerror', (error) => phone.errors.push(error.message));
    await page.goto(`${server.baseUrl}/report?e2e=1`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, WORKER, PASSWORD);
    await page.getByTestId('report-page').waitFor();
    await page.waitForSelector('body[data-map-ready="true"]', { state: 'attached', timeout: READY_TIMEOUT_MS });
  }, 240_000);

  afterAll(async () => {
    await phone?.context.close();
    await desk?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('files the report from the phone: tap on the map, category, description', async () => {
    const { page } = phone;
    await page.getByTestId('report-map').scrollIntoViewIfNeeded();
    await page.evaluate(
      (c) =>
        new Promise<void>((resolve) => {
          const map = (globalThis as PageGlobals).__pinganMap!;
          map.once('idle', () => resolve());
          map.jumpTo({ center: c, zoom: 18 });
        }),
      spot,
    );
    const box = (await page.getByTestId('report-map').boundingBox())!;
    const point = await page.evaluate((p) => (globalThis as PageGlobals).__pinganMap!.project(p), spot);
    await page.touchscreen.tap(box.x + point.x, box.y + point.y);
    await page.getByTestId('report-coordinates').waitFor();
    await page.getByTestId('report-category-city_management').tap();
    await page.getByTestId('report-severity-medium').tap();
    await page.getByTestId('report-description').fill(DESCRIPTION);
    await page.getByTestId('report-submit').tap();
    const entry = page.getByTestId('outbox-entry').first();
    await entry.waitFor();
    const key = (await entry.getAttribute('data-key'))!;
    await page.waitForSelector(`[data-key="${key}"][data-state="sent"]`, { timeout: LIVE_TIMEOUT_MS });
    const { rows } = await db.query<{ id: number; number: string; source: string; grid_id: number }>(
      'SELECT id, number, source, grid_id FROM incidents WHERE idempotency_key = $1',
      [key],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.source).toBe('grid_app');
    incident = { id: rows[0]!.id, number: rows[0]!.number };
    await page.screenshot({ path: `${SCREENSHOT_DIR}lifecycle-phone-sent.png` });
  });

  it('arrives live at the top of the operator’s queue and on the map', async () => {
    const { page } = desk;
    const row = page.locator(`[data-testid="queue-rows"] > li:first-child [data-incident-id="${incident.id}"]`);
    await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Toasts stack (a key-area alert may name the same incident): wait for the arrival's.
    await page.getByTestId('toast').filter({ hasText: `新事件 ${incident.number}` }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await row.click();
    const panel = page.getByTestId('details-incident');
    await panel.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await panel.getAttribute('data-id')).toBe(String(incident.id));
    // The map flew to it: its dot is drawn from the incident tiles at the spot.
    await expect
      .poll(
        async () => {
          const { x, y } = await page.evaluate((p) => (globalThis as PageGlobals).__pinganMap!.project(p), spot);
          return page.evaluate(
            ([px, py]) =>
              (globalThis as PageGlobals).__pinganMap!
                .queryRenderedFeatures([[px - 6, py - 6], [px + 6, py + 6]], { layers: ['incident-points'] })
                .map((f) => Number(f.id)),
            [x, y] as [number, number],
          );
        },
        { timeout: LIVE_TIMEOUT_MS },
      )
      .toContain(incident.id);
    await page.screenshot({ path: `${SCREENSHOT_DIR}lifecycle-desk-arrived.png` });
  });

  it('is dispatched to the grid worker from the dispatch helper and shows in the worker’s tasks', async () => {
    const { page } = desk;
    const worker = page.getByTestId('dispatch-worker').and(page.locator(`[data-staff-id="${staffId}"]`)).first();
    await worker.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await worker.getByTestId('dispatch-worker-go').click();
    await statusShown('已派发');
    await phone.page.getByTestId('report-tab-tasks').tap();
    await taskShows('已派发');
  });

  it('is accepted and reported back from the phone; the operator sees each step live', async () => {
    const task = phone.page.getByTestId('task').filter({ hasText: incident.number });
    await task.locator('button[aria-expanded]').tap();
    await task.getByTestId('task-step-accept').tap();
    await taskShows('处置中');
    await statusShown('处置中');
    await task.getByTestId('task-step-feedback').tap();
    await task.getByTestId('task-note').fill('已联系物业清理，通道恢复畅通。');
    await task.getByTestId('task-submit').tap();
    await taskShows('已反馈');
    await statusShown('已反馈');
    await phone.page.screenshot({ path: `${SCREENSHOT_DIR}lifecycle-phone-feedback.png` });
  });

  it('is reviewed, revisited and closed by the operator; both steps lists agree', async () => {
    const note = (text: string) => () => desk.page.getByTestId('step-form-note').fill(text);
    await takeStep('review', '已复核');
    await takeStep('revisit', '已回访', note('电话回访报告人，满意'));
    await takeStep('close', '已办结', async () => {
      await desk.page.getByTestId('step-form-outcome').selectOption('resolved');
    });
    const { rows } = await db.query<{ action: string; actor_name: string }>(
      'SELECT action, actor_name FROM incident_events WHERE incident_id = $1 ORDER BY id',
      [incident.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['receive', 'dispatch', 'accept', 'feedback', 'review', 'revisit', 'close']);
    await expect.poll(() => desk.page.getByTestId('incident-timeline').locator('li').count(), { timeout: LIVE_TIMEOUT_MS }).toBe(7);
    await desk.page.getByTestId('queue-tab-closed').click();
    await desk.page.locator(`[data-testid="queue-rows"] [data-incident-id="${incident.id}"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await desk.page.screenshot({ path: `${SCREENSHOT_DIR}lifecycle-desk-closed.png` });
    expect(desk.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});
