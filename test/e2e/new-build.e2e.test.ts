import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../geodata/seed/demo-accounts.js';
import { CHROMIUM, hasChromium, launchChromium, prepareClient, submitLogin, VIEWPORT } from './browser.js';

// A page left open across a deployment (the wall screen, a duty desk): the parts of the old
// build it has not loaded yet are gone from the server. Opening one loads the page again at
// the place the user was going to, from the new build, instead of doing nothing. Served
// without the offline shell here, so the test sees (and takes away) the part itself.

const AUDITOR = 'auditor.district';

if (!hasChromium) console.warn(`[new-build.e2e] skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasChromium)('a page of an older build in Chromium', () => {
  let server: Awaited<ReturnType<typeof import('../support/server.js').startTestServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    await prepareClient();
    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens a part the server no longer has by loading the page again at its target, once', async () => {
    const context = await browser!.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      await page.goto(`${server!.baseUrl}/audit`);
      await page.getByTestId('login-page').waitFor();
      await submitLogin(page, AUDITOR, DEMO_PASSWORD);
      await page.getByTestId('audit-page').waitFor();
      // Marks this page load: a reload forgets it.
      await page.evaluate(() => ((globalThis as unknown as { oldBuildPage: boolean }).oldBuildPage = true));

      // The account page's part answers 404 to the old page, as after a deployment; the page
      // loaded again finds it (the new build's).
      let reloaded = false;
      page.on('request', (request) => {
        if (request.isNavigationRequest() && new URL(request.url()).pathname === '/account') reloaded = true;
      });
      const answers: number[] = [];
      await page.route('**/assets/AccountView-*.js', async (route) => {
        answers.push(reloaded ? 200 : 404);
        if (reloaded) await route.fallback();
        else await route.fulfill({ status: 404, contentType: 'application/problem+json', body: '{"status":404}' });
      });

      await page.getByTestId('user-menu').click();
      await page.getByTestId('nav-account').click();
      await page.getByTestId('account-page').waitFor();
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(reloaded, 'the page was loaded again at the account page').toBe(true);
      expect(answers[0]).toBe(404);
      expect(answers.at(-1)).toBe(200);
      expect(await page.evaluate(() => (globalThis as unknown as { oldBuildPage?: boolean }).oldBuildPage), 'a new page').toBeUndefined();

      // Another part gone for good within the minute (a broken build, not a newer one): no
      // reload loop; the page stays where it is.
      await page.evaluate(() => ((globalThis as unknown as { oldBuildPage: boolean }).oldBuildPage = true));
      let navigations = 0;
      page.on('request', (request) => {
        if (request.isNavigationRequest()) navigations += 1;
      });
      await page.route('**/assets/PasswordView-*.js', (route) => route.fulfill({ status: 404, contentType: 'application/problem+json', body: '{"status":404}' }));
      const failed = page.waitForEvent('requestfinished', (r) => r.url().includes('/assets/PasswordView-'));
      await page.getByTestId('account-change-password').click();
      await failed;
      // Time for a reload to begin, which must not.
      await page.waitForTimeout(1_000);
      expect(navigations).toBe(0);
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(await page.evaluate(() => (globalThis as unknown as { oldBuildPage?: boolean }).oldBuildPage), 'no second reload').toBe(true);
    } finally {
      await context.close();
    }
  });
});
