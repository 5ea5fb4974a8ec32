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

// The duty operator's incident queue on the command map, in Chromium against the real
// server: a report filed by a grid worker arrives live at the top of the queue, is
// dispatched to the nearest patrol unit from the dispatch helper and is taken through
// every workflow step with the panel's buttons until it sits under 已办结.

const OPERATOR = 'operator.district';
const WORKER = 'worker.village';
const PASSWORD = 'Pingan@2026';
/** How long a live change may take to reach the page (outbox, socket, render) on a busy machine drawing in software. */
const LIVE_TIMEOUT_MS = 45_000;

interface Incident {
  id: number;
  number: string;
  status: string;
  assignee: { kind: string; id: number | null } | null;
  timeline: unknown[];
}

if (!hasChromium) {
  console.warn(`[queue.e2e] skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser tests)`);
}

describe.skipIf(!hasChromium)(`incident queue in Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let target: TestPage | undefined;
  let page: TestPage['page'];
  let operator: ApiSession;
  let worker: ApiSession;
  /** A point inside a level-3 grid of the worker's village, and a patrol unit of the district. */
  let spot: [number, number];
  let unitId: number;
  let filed: Incident;

  async function incident(id: number): Promise<Incident> {
    const response = await operator.get(`/api/incidents/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Incident;
  }

  /** Waits for the panel to show the incident in this status (its translated name). */
  const statusShown = (text: string) => page.getByTestId('incident-status').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).waitFor({ timeout: LIVE_TIMEOUT_MS });

  /** Opens a step's form in the panel, fills what it needs and submits it; waits for the new status. */
  async function takeStep(step: string, expected: string, fill?: () => Promise<void>): Promise<void> {
    await page.getByTestId(`step-${step}`).click();
    await page.getByTestId('step-form').waitFor();
    await fill?.();
    await page.getByTestId('step-form-submit').click();
    await statusShown(expected);
  }

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    operator = await signIn(server.baseUrl, OPERATOR, PASSWORD);
    worker = await signIn(server.baseUrl, WORKER, PASSWORD);
    const grids = await server.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids
       WHERE kind = 'general' AND level = 3 AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
       ORDER BY id LIMIT 1`,
      [worker.session.user.center.id],
    );
    spot = [grids.rows[0]!.lon, grids.rows[0]!.lat];
    const units = await server.db.query<{ id: number }>('SELECT id FROM patrol_units ORDER BY id LIMIT 1');
    unitId = units.rows[0]!.id;

    browser = await launchChromium();
    target = await openPage(browser);
    page = target.page;
    await page.goto(`${server.baseUrl}/?e2e=1`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, OPERATOR, PASSWORD);
    await waitForMap(target, 'queue-map-not-ready.png');
  }, 180_000);

  afterAll(async () => {
    await target?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('lists the incidents waiting for dispatch, newest first, as the API does', async () => {
    const queue = page.getByTestId('incident-queue');
    await queue.waitFor();
    const rows = queue.locator('[data-incident-id]');
    await rows.first().waitFor();
    const response = await operator.get('/api/incidents?status=received&sort=-reported_at&limit=50');
    const api = (await response.json()) as { incidents: Array<{ id: number }> };
    const shown = await rows.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-incident-id'))));
    expect(shown).toEqual(api.incidents.map((i) => i.id));
    await page.getByTestId('live-state').and(page.locator('[data-state="live"]')).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.screenshot({ path: `${SCREENSHOT_DIR}queue-default.png` });
  });

  it('puts a report filed meanwhile at the top of the queue, highlighted, with a toast and a chime', async () => {
    // A click is the user gesture browsers want before a page may play sound.
    await page.getByTestId('queue-tab-new').click();
    const response = await worker.send(
      'POST',
      '/api/incidents',
      { category: 'dispute', severity: 'high', title: '队列测试：楼道噪声纠纷', location: spot, source: 'grid_app', description: '邻居深夜装修，双方争吵' },
      { headers: { 'Idempotency-Key': randomUUID() } },
    );
    expect(response.status).toBe(201);
    filed = ((await response.json()) as { incident: Incident }).incident;

    const first = page.locator(`[data-testid="queue-rows"] > li:first-child [data-incident-id="${filed.id}"]`);
    await first.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await first.getAttribute('class')).toContain('queue-row--fresh');
    await expect(first.getByTestId('queue-row-new').isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('queue-new-count').textContent()).toBe('1');
    // Toasts stack (a key-area alert may name the same incident): wait for the arrival's.
    await page.getByTestId('toast').filter({ hasText: `新事件 ${filed.number}` }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(Number(await page.getByTestId('incident-queue').getAttribute('data-chimes'))).toBe(1);
    await page.screenshot({ path: `${SCREENSHOT_DIR}queue-arrival.png` });
  });

  it('selects the incident from its row and offers the dispatch helper', async () => {
    // A unit reports from 20 m east of the spot: the nearest one, and a live position on the map.
    const near: [number, number] = [spot[0] + 0.0002, spot[1]];
    const reported = await operator.send('POST', `/api/patrols/units/${unitId}/positions`, {
      reports: [{ at: new Date().toISOString(), location: near, speedKmh: 12, heading: 270 }],
    });
    expect(reported.status).toBe(201);

    await page.locator(`[data-testid="queue-rows"] [data-incident-id="${filed.id}"]`).click();
    const panel = page.getByTestId('details-incident');
    // Long waits: the map flies to the incident, which takes a while when drawn in software.
    await panel.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await panel.getAttribute('data-id')).toBe(String(filed.id));
    expect(new URL(page.url()).searchParams.get('sel')).toBe(`incident:${filed.id}`);
    await page.getByTestId('step-dispatch').waitFor({ timeout: LIVE_TIMEOUT_MS });
    const helper = page.getByTestId('dispatch-helper');
    await helper.getByTestId('dispatch-unit').first().waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await helper.getByTestId('dispatch-unit').first().getAttribute('data-unit-id')).toBe(String(unitId));
    // The new row is no longer news once looked at.
    expect(await page.getByTestId('queue-new-count').count()).toBe(0);
    await page.waitForFunction(() => (globalThis as PageGlobals).__pinganDeckLayers?.includes('dispatch-lines') === true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}queue-dispatch-helper.png` });
  });

  it('dispatches to the nearest unit with one click, and the row leaves 待派发', async () => {
    await page.getByTestId('dispatch-unit-go').first().click();
    await statusShown('已派发');
    const after = await incident(filed.id);
    expect(after.status).toBe('dispatched');
    expect(after.assignee).toMatchObject({ kind: 'patrol_unit', id: unitId });
    await page.locator(`[data-testid="queue-rows"] [data-incident-id="${filed.id}"]`).waitFor({ state: 'detached', timeout: LIVE_TIMEOUT_MS });
  });

  it('says so when someone else moved the incident on while a form was open', async () => {
    await page.getByTestId('step-accept').click();
    await page.getByTestId('step-form').waitFor();
    const elsewhere = await operator.send('POST', `/api/incidents/${filed.id}/actions`, { action: 'accept', expectedStatus: 'dispatched' });
    expect(elsewhere.status).toBe(200);
    const notice = page.getByTestId('workflow-notice');
    await notice.and(page.locator('[data-kind="warn"]')).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await notice.textContent()).toContain('状态已变更');
    await statusShown('处置中');
    expect(await page.getByTestId('step-form').count()).toBe(0);
  });

  it('takes the incident through feedback, review, revisit and close with the panel buttons', async () => {
    const note = (text: string) => () => page.getByTestId('step-form-note').fill(text);
    await takeStep('feedback', '已反馈', note('已到场调解，双方达成一致'));
    await takeStep('review', '已复核');
    await takeStep('revisit', '已回访', note('电话回访，报告人满意'));
    await takeStep('close', '已办结', async () => {
      await page.getByTestId('step-form-outcome').selectOption('resolved');
    });
    const closed = await incident(filed.id);
    expect(closed.status).toBe('closed');
    // receive, dispatch, accept, feedback, review, revisit, close: each on the panel's timeline.
    expect(closed.timeline.length).toBeGreaterThanOrEqual(7);
    await expect.poll(() => page.getByTestId('incident-timeline').locator('li').count(), { timeout: LIVE_TIMEOUT_MS }).toBe(closed.timeline.length);
    await page.screenshot({ path: `${SCREENSHOT_DIR}queue-closed-detail.png` });
  });

  it('shows the incident under 已办结', async () => {
    await page.getByTestId('queue-tab-closed').click();
    const row = page.locator(`[data-testid="queue-rows"] [data-incident-id="${filed.id}"]`);
    await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await row.getAttribute('data-status')).toBe('closed');
    await page.screenshot({ path: `${SCREENSHOT_DIR}queue-closed.png` });
  });

  it('lists a group of two statuses as the API does', async () => {
    await page.getByTestId('queue-tab-active').click();
    const response = await operator.get('/api/incidents?status=dispatched&status=handling&sort=-reported_at&limit=50');
    expect(response.status).toBe(200);
    const api = (await response.json()) as { incidents: Array<{ id: number }> };
    const rows = page.getByTestId('queue-rows').locator('[data-incident-id]');
    await expect.poll(() => rows.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-incident-id')))), { timeout: LIVE_TIMEOUT_MS }).toEqual(
      api.incidents.map((i) => i.id),
    );
  });

  it('folds away and speaks English', async () => {
    await page.getByTestId('queue-toggle').click();
    expect(await page.getByTestId('queue-rows').isVisible()).toBe(false);
    await page.screenshot({ path: `${SCREENSHOT_DIR}queue-collapsed.png` });
    await page.getByTestId('queue-toggle').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('queue-tab-closed').filter({ hasText: 'Closed' }).click();
    await page.locator(`[data-testid="queue-rows"] [data-incident-id="${filed.id}"]`).filter({ hasText: 'Dispute' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}queue-english.png` });
    expect(target!.errors).toEqual([]);
  });
});
