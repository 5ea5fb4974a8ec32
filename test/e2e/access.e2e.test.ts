import type { Locator } from 'playwright-core';
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

// Browser checks of access control: who signs in sees what their role and jurisdiction
// allow, and nothing else. The reference for "what they may see" is always the API
// answer for the same user, never a number written into the test.

const PASSWORD = 'Pingan@2026';

interface GridCollection {
  features: Array<{ properties: { code: string; level: number; kind: string } }>;
}
interface MapExtent {
  name: string;
  level: string;
}
interface UserPage {
  users: Array<{ username: string }>;
}

if (!hasChromium) {
  console.warn(`[access.e2e] skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser tests)`);
}

describe.skipIf(!hasChromium)(`access control in Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let server: { baseUrl: string; close(): Promise<void> } | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const opened: TestPage[] = [];

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const target of opened) await target.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  /** A fresh browser (no cookie, Chinese UI) on `path`, which without a session shows the login page. */
  async function open(path = '/?e2e=1'): Promise<TestPage> {
    const target = await openPage(browser!);
    opened.push(target);
    await target.page.goto(`${server!.baseUrl}${path}`);
    await target.page.getByTestId('login-page').waitFor();
    return target;
  }

  async function apiJson<T>(api: ApiSession, path: string): Promise<T> {
    const response = await api.get(path);
    expect(response.status, `GET ${path} as ${api.username}`).toBe(200);
    return (await response.json()) as T;
  }

  /**
   * One attribute of every element the locator matches, in document order, read in one
   * step: per-element locators would wait for rows that a re-render just removed.
   */
  function attributes(locator: Locator, name: string): Promise<string[]> {
    return locator.evaluateAll((elements, attribute) => elements.map((element) => element.getAttribute(attribute) ?? ''), name);
  }

  /** Codes and levels of the general grids drawn on the page's map, from one grid layer. */
  async function renderedGrids(target: TestPage, level: number) {
    return target.page.evaluate((layer) => {
      const map = (globalThis as PageGlobals).__pinganMap!;
      const features = map.queryRenderedFeatures({ layers: [layer] });
      return {
        codes: [...new Set(features.map((f) => String(f.properties.code)))].sort(),
        levels: [...new Set(features.map((f) => Number(f.properties.level)))],
        // Grid levels above the jurisdiction are neither drawn nor offered.
        otherLayers: ['grids-1-fill', 'grids-2-fill', 'grids-3-fill'].filter((id) => id !== layer && map.getLayoutProperty(id, 'visibility') !== 'none'),
      };
    }, `grids-${level}-fill`);
  }

  it('when a village operator signs in, then the map shows only the level-3 grids of their village', async () => {
    const api = await signIn(server!.baseUrl, 'operator.village', PASSWORD);
    const extent = await apiJson<MapExtent>(api, '/api/map/extent');
    expect(extent.level).toBe('village');
    const expected = (await apiJson<GridCollection>(api, '/api/grids?level=3&kind=general')).features
      .map((f) => f.properties.code)
      .sort();
    expect(expected.length).toBeGreaterThan(0);

    const target = await open();
    await submitLogin(target.page, 'operator.village', PASSWORD);
    await waitForMap(target, 'access-village-operator-not-ready.png');
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-village-operator.png` });

    const rendered = await renderedGrids(target, 3);
    expect(rendered.codes).toEqual(expected);
    expect(rendered.levels).toEqual([3]);
    expect(rendered.otherLayers, 'grid layers of other levels').toEqual([]);
    // The grids of the village's own level-2 grid, i.e. its own code prefix; the
    // sibling village's grids (operator.village2) never reach this browser.
    const villageGrid = expected[0]!.split('-').slice(0, 3).join('-');
    expect(rendered.codes.every((code) => code.startsWith(`${villageGrid}-`))).toBe(true);

    const header = target.page.getByTestId('user-menu');
    expect(await header.getByTestId('user-role').textContent()).toContain('值班员');
    const panel = target.page.getByTestId('layer-panel');
    expect(await panel.textContent()).toContain('三级网格');
    expect(await panel.getByTestId('layer-toggle-grids-1').count(), 'no level-1 toggle for a village').toBe(0);
    expect(await panel.getByTestId('layer-toggle-grids-2').count(), 'no level-2 toggle for a village').toBe(0);
    expect(await target.page.getByTestId('layer-panel-jurisdiction').textContent()).toContain(extent.name);

    // The menu offers neither user administration nor the audit trail to an operator.
    await header.click();
    const menu = target.page.getByTestId('user-menu-panel');
    await menu.waitFor();
    expect(await menu.getByTestId('user-center').textContent()).toContain(extent.name);
    expect(await menu.getByTestId('nav-users').count()).toBe(0);
    expect(await menu.getByTestId('nav-audit').count()).toBe(0);
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-village-operator-menu.png` });

    // Typing the address does not help either: the guard sends them home.
    await target.page.goto(`${server!.baseUrl}/admin/users`);
    await target.page.waitForURL((url) => url.pathname === '/');
    expect(await target.page.getByTestId('users-page').count()).toBe(0);
  });

  it('when a district administrator signs in, then the map shows the level-1 grids and the user page lists the users', async () => {
    const api = await signIn(server!.baseUrl, 'admin.district', PASSWORD);
    const expected = (await apiJson<GridCollection>(api, '/api/grids?level=1&kind=general')).features
      .map((f) => f.properties.code)
      .sort();
    expect(expected.length).toBeGreaterThan(0);

    const target = await open();
    await submitLogin(target.page, 'admin.district', PASSWORD);
    await waitForMap(target, 'access-district-admin-not-ready.png');

    const rendered = await renderedGrids(target, 1);
    expect(rendered.codes).toEqual(expected);
    expect(rendered.levels).toEqual([1]);
    expect(await target.page.getByTestId('layer-panel').textContent()).toContain('一级网格');

    await target.page.getByTestId('user-menu').click();
    const menu = target.page.getByTestId('user-menu-panel');
    await menu.waitFor();
    expect(await target.page.getByTestId('user-role').textContent()).toContain('系统管理员');
    expect(await menu.getByTestId('nav-audit').count(), 'administrators do not read the audit trail').toBe(0);
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-district-admin.png` });

    await menu.getByTestId('nav-users').click();
    await target.page.waitForURL((url) => url.pathname === '/admin/users');
    const table = target.page.getByTestId('users-table');
    await table.locator('tbody tr[data-username]').first().waitFor();
    const listed = (await attributes(table.locator('tbody tr[data-username]'), 'data-username')).sort();
    const fromApi = (await apiJson<UserPage>(api, '/api/users?limit=50')).users.map((u) => u.username).sort();
    expect(listed).toEqual(fromApi);
    expect(listed).toEqual(expect.arrayContaining(['operator.village', 'auditor.district', 'admin.district']));
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-admin-users.png` });

    // Narrowing by role asks the server again and shows only that role.
    await target.page.getByTestId('users-role').selectOption('auditor');
    await expect
      .poll(() => attributes(table.locator('tbody tr[data-username]'), 'data-username'))
      .toSatisfy((names: string[]) => names.length > 0 && names.every((name) => name.startsWith('auditor.')));
  });

  it('when the password is wrong, then the login page says so and stays', async () => {
    const target = await open('/login');
    // An account no other browser test signs in with: one failure stays far below the lock-out.
    await submitLogin(target.page, 'leader.town', 'not-the-password');
    const error = target.page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('用户名或密码错误');
    expect(new URL(target.page.url()).pathname).toBe('/login');
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-login-error.png` });
  });

  it('when an auditor signs in, then they land on the audit trail and not on the map', async () => {
    const target = await open();
    await submitLogin(target.page, 'auditor.district', PASSWORD);
    await target.page.waitForURL((url) => url.pathname === '/audit');
    const table = target.page.getByTestId('audit-table');
    await table.locator('tbody tr[data-action]').first().waitFor();
    expect(await target.page.getByTestId('command-map').count()).toBe(0);

    // Their own sign-in is on record, newest first.
    await target.page.getByTestId('audit-user').fill('auditor.district');
    await target.page.getByTestId('audit-action').fill('auth.login');
    await target.page.getByTestId('audit-search').click();
    await expect
      .poll(() => attributes(table.locator('tbody tr[data-action]'), 'data-action'))
      .toSatisfy((actions: string[]) => actions.length > 0 && actions.every((action) => action === 'auth.login'));
    expect(await table.locator('tbody tr[data-action]').first().getAttribute('data-outcome')).toBe('success');
    const exportHref = await target.page.getByTestId('audit-export').getAttribute('href');
    expect(new URLSearchParams(exportHref!.split('?')[1]).get('format')).toBe('csv');
    expect(new URLSearchParams(exportHref!.split('?')[1]).get('user')).toBe('auditor.district');

    await target.page.getByTestId('audit-verify').click();
    const verification = target.page.getByTestId('audit-verification');
    await verification.waitFor();
    expect(await verification.getAttribute('data-ok')).toBe('true');
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-auditor-audit.png` });

    // The map is not theirs: the guard sends them back to the audit trail.
    await target.page.goto(`${server!.baseUrl}/`);
    await target.page.waitForURL((url) => url.pathname === '/audit');
  });

  it('when the session is ended elsewhere, then the next request leads to the login page with "session expired"', async () => {
    const target = await open('/account');
    await submitLogin(target.page, 'operator.town', PASSWORD);
    await target.page.getByTestId('account-page').waitFor();
    await target.page.getByTestId('session-current').waitFor();
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-account.png` });

    // The same user, signed in a second time, ends every other session (the browser's).
    const api = await signIn(server!.baseUrl, 'operator.town', PASSWORD);
    const { sessions } = await apiJson<{ sessions: Array<{ id: string; current: boolean }> }>(api, '/api/auth/sessions');
    for (const session of sessions.filter((s) => !s.current)) {
      expect((await api.send('DELETE', `/api/auth/sessions/${session.id}`)).status).toBe(204);
    }

    await target.page.getByRole('button', { name: '刷新' }).click();
    await target.page.waitForURL((url) => url.pathname === '/login');
    expect(await target.page.getByTestId('login-notice').textContent()).toContain('登录已超时');
    expect(new URL(target.page.url()).searchParams.get('next')).toBe('/account');
  });

  it('when a user creates a personal access token, then its secret is shown once, works, and stops working when revoked', async () => {
    const target = await open('/account');
    await submitLogin(target.page, 'analyst.town', PASSWORD);
    await target.page.getByTestId('account-tokens').waitFor();

    await target.page.getByTestId('token-name').fill('QGIS 工作站');
    await target.page.getByTestId('token-days').fill('30');
    await target.page.getByTestId('token-create').click();
    const secret = target.page.getByTestId('token-secret-value');
    await secret.waitFor();
    const token = await secret.inputValue();
    expect(token).toMatch(/^pm_/);
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-token-created.png` });

    const bearer = (value: string) => fetch(`${server!.baseUrl}/api/map/extent`, { headers: { authorization: `Bearer ${value}` } });
    expect((await bearer(token)).status).toBe(200);

    // Dismissed, the secret is gone from the page; the list keeps the token's name only.
    await target.page.getByRole('button', { name: '我已保存' }).click();
    expect(await target.page.getByTestId('token-secret').count()).toBe(0);
    expect(await target.page.content()).not.toContain(token);
    const row = target.page.getByTestId('token-table').locator('tbody tr', { hasText: 'QGIS 工作站' });
    await row.getByRole('button', { name: '吊销' }).click();
    await row.getByRole('button', { name: '确认吊销？' }).click();
    await row.getByText('已吊销').waitFor();
    expect((await bearer(token)).status).toBe(401);
  });

  it('when an administrator created the account, then the first sign-in must change the password', async () => {
    const admin = await signIn(server!.baseUrl, 'admin.district', PASSWORD);
    const village = await signIn(server!.baseUrl, 'operator.village', PASSWORD);
    const username = `e2e.${Math.random().toString(36).slice(2, 10)}`;
    const created = await admin.send('POST', '/api/users', {
      username,
      displayName: '测试值班员',
      role: 'operator',
      centerId: village.session.user.center.id,
      password: 'Initial#2026x',
    });
    expect(created.status).toBe(201);

    const target = await open();
    await submitLogin(target.page, username, 'Initial#2026x');
    await target.page.waitForURL((url) => url.pathname === '/password');
    await target.page.getByTestId('password-forced').waitFor();

    await target.page.getByTestId('password-current').fill('Initial#2026x');
    await target.page.getByTestId('password-new').fill('Changed#2026y');
    await target.page.getByTestId('password-repeat').fill('Changed#2026y');
    const rules = await attributes(target.page.getByTestId('password-policy').locator('li'), 'data-met');
    expect(rules).toEqual(['true', 'true', 'true']);
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}access-password-forced.png` });
    await target.page.getByTestId('password-submit').click();

    // Changed: the operator's home is the map of their village.
    await target.page.waitForURL((url) => url.pathname === '/');
    expect(await target.page.getByTestId('toast').textContent()).toContain('密码已修改');
    await waitForMap(target, 'access-password-changed-not-ready.png');
  });
});
