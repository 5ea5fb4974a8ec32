import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../geodata/seed/demo-accounts.js';
import { demoUser, signIn, type ApiSession } from '../support/session.js';
import { CHROMIUM, hasChromium, launchChromium, openPage, prepareClient, SCREENSHOT_DIR, submitLogin, type TestPage } from './browser.js';

// The deadlines page (办理时限设置) in Chromium against the real server: a leader changes
// one cell and saves it, the API answers the new value and new incidents are due by it;
// what the server would refuse is explained at the cell; a duty operator reads the same
// matrix without save controls. The deadlines are put back as they were at the end.

const LEADER = demoUser('leader', 'district');
const OPERATOR = demoUser('operator', 'district');
const AUDITOR = demoUser('auditor', 'district');
const HOUR_MS = 3_600_000;
/** The cell the leader changes. */
const CATEGORY = 'city_management';
const SEVERITY = 'high';
const CELL = `deadline-${CATEGORY}-${SEVERITY}`;

interface Deadline {
  category: string;
  severity: string;
  hours: number;
}
interface FiledIncident {
  id: number;
  reportedAt: string;
  dueAt: string;
}

if (!hasChromium) console.warn(`[deadlines.e2e] skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium)('deadlines settings page in Chromium', () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const opened: TestPage[] = [];
  let leader: ApiSession;
  let operator: ApiSession;
  /** The deadlines before this file ran, restored afterwards. */
  let original: Deadline[] = [];
  let oldHours: number;
  let newHours: number;
  /** A point inside a level-3 grid, where incidents can be filed. */
  let spot: [number, number];

  const key = (d: Pick<Deadline, 'category' | 'severity'>) => `${d.category}/${d.severity}`;

  async function deadlines(): Promise<Deadline[]> {
    const response = await leader.get('/api/incident-deadlines');
    expect(response.status).toBe(200);
    return ((await response.json()) as { deadlines: Deadline[] }).deadlines;
  }

  async function fileIncident(): Promise<FiledIncident> {
    const response = await operator.send(
      'POST',
      '/api/incidents',
      { category: CATEGORY, severity: SEVERITY, title: '占道经营（时限测试）', location: spot, source: 'hotline' },
      { headers: { 'idempotency-key': `deadlines-e2e-${randomUUID()}` } },
    );
    expect(response.status).toBe(201);
    return ((await response.json()) as { incident: FiledIncident }).incident;
  }

  async function incident(id: number): Promise<FiledIncident> {
    const response = await operator.get(`/api/incidents/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as FiledIncident;
  }

  const dueAfterHours = (i: FiledIncident) => (Date.parse(i.dueAt) - Date.parse(i.reportedAt)) / HOUR_MS;

  /** A fresh browser signed in as `username`, on `path` (through the login page, as a person would). */
  async function openAs(username: string, path: string): Promise<Page> {
    const target = await openPage(browser!);
    opened.push(target);
    await target.page.goto(`${server!.baseUrl}${path}`);
    await target.page.getByTestId('login-page').waitFor();
    await submitLogin(target.page, username, DEMO_PASSWORD);
    return target.page;
  }

  /** Opens the page from the user menu, with a screenshot of the menu. */
  async function openDeadlines(page: Page, menuScreenshot: string): Promise<void> {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('nav-deadlines').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}${menuScreenshot}` });
    await page.getByTestId('nav-deadlines').click();
    await page.getByTestId('deadlines-page').waitFor();
    await page.getByTestId(CELL).waitFor();
  }

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    leader = await signIn(server.baseUrl, LEADER);
    operator = await signIn(server.baseUrl, OPERATOR);
    original = await deadlines();
    expect(original).toHaveLength(24);
    oldHours = original.find((d) => key(d) === `${CATEGORY}/${SEVERITY}`)!.hours;
    // Shorter than before, so the column still shrinks from low to critical severity.
    newHours = oldHours > 1 ? oldHours - 1 : 2;
    const { rows } = await server.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE kind = 'general' AND level = 3 ORDER BY id LIMIT 1`,
    );
    spot = [rows[0]!.lon, rows[0]!.lat];
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const target of opened) await target.context.close().catch(() => undefined);
    await browser?.close();
    if (server && original.length > 0) {
      const restored = await leader.send('PATCH', '/api/incident-deadlines', { deadlines: original });
      expect(restored.status).toBe(200);
    }
    await server?.close();
  });

  it('a leader changes one cell and saves it: only that deadline changes, new incidents are due by it, filed ones keep theirs', async () => {
    const filedBefore = await fileIncident();
    expect(dueAfterHours(filedBefore)).toBe(oldHours);

    const page = await openAs(LEADER, '/account');
    await page.getByTestId('account-page').waitFor();
    await openDeadlines(page, 'deadlines-menu-leader.png');
    expect(await page.getByTestId(CELL).inputValue()).toBe(String(oldHours));
    expect(await page.getByTestId('deadlines-save').isDisabled(), 'nothing to save yet').toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-leader.png` });

    await page.getByTestId(CELL).fill(String(newHours));
    await expect.poll(() => page.getByTestId(`${CELL}-cell`).getAttribute('class')).toContain('deadlines__cell--changed');
    expect(await page.getByTestId('deadlines-status').textContent()).toContain('1');
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-changed.png` });

    const patch = page.waitForRequest((r) => r.url().endsWith('/api/incident-deadlines') && r.method() === 'PATCH');
    await page.getByTestId('deadlines-save').click();
    expect((await patch).postDataJSON(), 'Save sends the changed cell only, with the hours it started from').toEqual({
      deadlines: [{ category: CATEGORY, severity: SEVERITY, hours: newHours, previousHours: oldHours }],
    });
    await page.getByTestId('toast').filter({ hasText: '办理时限' }).waitFor();
    await expect.poll(() => page.getByTestId('deadlines-save').isDisabled()).toBe(true);
    expect(await page.getByTestId(`${CELL}-cell`).getAttribute('class')).not.toContain('deadlines__cell--changed');

    const after = await deadlines();
    const changed = after.find((d) => key(d) === `${CATEGORY}/${SEVERITY}`);
    expect(changed?.hours).toBe(newHours);
    const others = (list: Deadline[]) => list.filter((d) => key(d) !== `${CATEGORY}/${SEVERITY}`).sort((a, b) => key(a).localeCompare(key(b)));
    expect(others(after)).toEqual(others(original));

    expect(dueAfterHours(await fileIncident()), 'a new incident takes the new deadline').toBe(newHours);
    expect((await incident(filedBefore.id)).dueAt, 'a filed incident keeps its deadline').toBe(filedBefore.dueAt);
  });

  it('explains invalid hours at the cell and keeps Save disabled; warns, without blocking, when a higher severity gets longer', async () => {
    const page = await openAs(LEADER, '/settings/deadlines');
    await page.getByTestId(CELL).waitFor();
    const cell = page.getByTestId(CELL);
    const error = page.getByTestId(`${CELL}-error`);
    const save = page.getByTestId('deadlines-save');
    for (const [typed, message] of [
      ['0', '至少 1 小时'],
      ['2161', '最多 2160 小时'],
      ['2.5', '须为整数小时'],
      ['', '请填写小时数'],
    ] as const) {
      await cell.fill(typed);
      await expect.poll(() => error.textContent(), { message: `typed "${typed}"` }).toContain(message);
      expect(await cell.getAttribute('aria-invalid')).toBe('true');
      expect(await save.isDisabled(), `Save with "${typed}"`).toBe(true);
    }
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-invalid.png` });

    // Critical longer than high in the same category: said, but saving stays possible.
    const critical = original.find((d) => d.category === CATEGORY && d.severity === 'critical')!;
    await cell.fill(String(newHours));
    await page.getByTestId(`deadline-${CATEGORY}-critical`).fill(String(newHours + 1));
    await page.getByTestId('deadlines-inversions').waitFor();
    expect(await page.getByTestId('deadlines-inversions').textContent()).toContain('特别严重');
    expect(await save.isDisabled()).toBe(false);
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-inversion.png` });
    await page.getByTestId('locale-en').click();
    await page.getByRole('heading', { name: 'Incident deadlines' }).waitFor();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-inversion-en-1366.png` });
    await page.getByTestId('locale-zh-CN').click();
    await page.getByRole('heading', { name: '办理时限设置' }).waitFor();

    await page.getByTestId('deadlines-discard').click();
    expect(await page.getByTestId(`deadline-${CATEGORY}-critical`).inputValue()).toBe(String(critical.hours));
    expect(await page.getByTestId('deadlines-inversions').count()).toBe(0);
    expect(await save.isDisabled()).toBe(true);
  });

  it("shows the server's refusal when Save is refused", async () => {
    const page = await openAs(LEADER, '/settings/deadlines');
    await page.getByTestId(CELL).waitFor();
    await page.getByTestId(CELL).fill(String(oldHours));
    // The leader's role is withdrawn while the page is open: the server answers 403.
    const { rows } = await server!.db.query<{ id: number }>("UPDATE users SET role = 'analyst' WHERE username = $1 RETURNING id", [LEADER]);
    try {
      await page.getByTestId('deadlines-save').click();
      await page.getByTestId('deadlines-failure').waitFor();
      expect(await page.getByTestId('deadlines-failure').textContent()).toContain('没有执行此操作的权限');
      expect(await page.getByTestId(CELL).inputValue(), 'the edit stays for another try').toBe(String(oldHours));
      await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-refused.png` });
    } finally {
      await server!.db.query("UPDATE users SET role = 'leader' WHERE id = $1", [rows[0]!.id]);
    }
    expect((await deadlines()).find((d) => key(d) === `${CATEGORY}/${SEVERITY}`)?.hours).toBe(newHours);
  });

  it('refuses a save over hours another leader changed meanwhile, names them, and keeps the edits to decide again', async () => {
    const page = await openAs(LEADER, '/settings/deadlines');
    await page.getByTestId(CELL).waitFor();
    const before = new Map((await deadlines()).map((d) => [key(d), d.hours]));
    const lowCell = `deadline-${CATEGORY}-low`;
    const lowHours = before.get(`${CATEGORY}/low`)!;
    const current = before.get(`${CATEGORY}/${SEVERITY}`)!;
    await page.getByTestId(CELL).fill(String(current + 2));
    await page.getByTestId(lowCell).fill(String(lowHours + 1));

    // Another leader saves the same cell first.
    const other = await signIn(server!.baseUrl, 'leader.town');
    const first = await other.send('PATCH', '/api/incident-deadlines', { deadlines: [{ category: CATEGORY, severity: SEVERITY, hours: current + 1, previousHours: current }] });
    expect(first.status).toBe(200);

    await page.getByTestId('deadlines-save').click();
    const notice = page.getByTestId('deadlines-conflicts');
    await notice.waitFor();
    const named = (await notice.locator('li').allTextContents()).map((text) => text.trim());
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(new RegExp(`^城市管理·严重：现为 ${current + 1}小时`));
    const after = new Map((await deadlines()).map((d) => [key(d), d.hours]));
    expect(after.get(`${CATEGORY}/${SEVERITY}`), 'the other leader’s hours stand').toBe(current + 1);
    expect(after.get(`${CATEGORY}/low`), 'nothing of the refused save was applied').toBe(lowHours);
    expect(await page.getByTestId(CELL).inputValue(), 'the edit stays typed in').toBe(String(current + 2));
    expect(await page.getByTestId('deadlines-status').textContent()).toContain('已修改 2 项');
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-conflict.png` });

    // Decided again against the hours now: saved.
    await page.getByTestId(CELL).fill(String(current));
    await page.getByTestId('deadlines-save').click();
    await expect.poll(async () => (await deadlines()).find((d) => key(d) === `${CATEGORY}/${SEVERITY}`)?.hours).toBe(current);
    expect((await deadlines()).find((d) => key(d) === `${CATEGORY}/low`)?.hours).toBe(lowHours + 1);
    // The page clears the notice once it has the server's answer, which the API above may show first.
    await notice.waitFor({ state: 'detached' });
  });

  it('a duty operator sees the same matrix read-only, in both languages and on a 1366×768 screen', async () => {
    const page = await openAs(OPERATOR, '/account');
    await page.getByTestId('account-page').waitFor();
    await openDeadlines(page, 'deadlines-menu-operator.png');
    await page.getByTestId('deadlines-readonly').waitFor();
    expect(await page.getByTestId('deadlines-readonly').textContent()).toContain('只有领导可以修改');
    expect(await page.getByTestId('deadlines-save').count()).toBe(0);
    expect(await page.getByTestId('deadlines-discard').count()).toBe(0);
    const inputs = page.locator('input[data-testid^="deadline-"]');
    expect(await inputs.count()).toBe(24);
    const states = await inputs.evaluateAll((nodes) => nodes.map((n) => ({ id: n.getAttribute('data-testid'), disabled: n.hasAttribute('disabled'), value: (n as unknown as { value: string }).value })));
    expect(states.every((s) => s.disabled)).toBe(true);
    const shown = Object.fromEntries(states.map((s) => [s.id, Number(s.value)]));
    const expected = Object.fromEntries((await deadlines()).map((d) => [`deadline-${d.category}-${d.severity}`, d.hours]));
    expect(shown).toEqual(expected);
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-operator.png` });

    await page.getByTestId('locale-en').click();
    await page.getByRole('heading', { name: 'Incident deadlines' }).waitFor();
    expect(await page.getByTestId('deadlines-readonly').textContent()).toContain('Only leaders');
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-operator-en.png` });

    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-operator-en-1366.png` });
    await page.getByTestId('locale-zh-CN').click();
    await page.getByRole('heading', { name: '办理时限设置' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}deadlines-operator-1366.png` });
  });

  it('is not offered to an auditor, who sees no incidents', async () => {
    const page = await openAs(AUDITOR, '/settings/deadlines');
    await page.waitForURL((url) => url.pathname === '/audit');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-panel').waitFor();
    expect(await page.getByTestId('nav-deadlines').count()).toBe(0);
  });
});
