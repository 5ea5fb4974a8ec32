import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// What every browser test shares: the Chromium it drives, a fresh build of the client
// and signing in through the login page as a person would.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  // Software WebGL, so the test runs on machines without a GPU.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
export const VIEWPORT = { width: 1920, height: 1080 };
export const READY_TIMEOUT_MS = 60_000;
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));
const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const CLIENT_SOURCES = fileURLToPath(new URL('../../client/', import.meta.url));
const VITE_CONFIG = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
const SERVER_SOURCES = fileURLToPath(new URL('../../server/', import.meta.url));
/** An import of a pure server module (the role table, enums, the workflow, the datum shift …) in client code. */
const SERVER_IMPORT = /from '(?:\.\.\/)+server\/([^']+)'/g;

/** True when dist/client is missing or older than any client source, server module it imports, or the Vite config. */
async function clientBuildIsStale(): Promise<boolean> {
  if (!existsSync(CLIENT_INDEX)) return true;
  const builtAt = statSync(CLIENT_INDEX).mtimeMs;
  const shared = new Set<string>();
  for (const entry of await readdir(CLIENT_SOURCES, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = `${entry.parentPath}/${entry.name}`;
    if ((await stat(file)).mtimeMs > builtAt) return true;
    if (/\.(ts|vue)$/.test(entry.name)) for (const m of (await readFile(file, 'utf8')).matchAll(SERVER_IMPORT)) shared.add(`${SERVER_SOURCES}${m[1]!}.ts`);
  }
  for (const file of [VITE_CONFIG, ...shared]) {
    if (existsSync(file) && (await stat(file)).mtimeMs > builtAt) return true;
  }
  return false;
}

/**
 * The server serves the built client: rebuild it when the sources changed, so a test
 * never passes or fails on a stale bundle.
 */
export async function prepareClient(): Promise<void> {
  if (await clientBuildIsStale()) {
    const { build } = await import('vite');
    // Vitest sets NODE_ENV=test, which Vite would honour with a development build
    // (import.meta.env.DEV true): the tests drive the bundle that ships.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: VITE_CONFIG, logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page so far, for failure messages. */
  errors: string[];
}

/** A fresh context (no cookies, no stored language) and a page in it. */
export async function openPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/** Fills and submits the login form the page is on. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Waits for the command map to have drawn its base map and grids, with a screenshot when it never does. */
export async function waitForMap(target: TestPage, screenshotName: string): Promise<void> {
  try {
    await target.page.waitForSelector('body[data-map-ready="true"]', { state: 'attached', timeout: READY_TIMEOUT_MS });
  } catch (error) {
    await target.page.screenshot({ path: `${SCREENSHOT_DIR}${screenshotName}` }).catch(() => undefined);
    throw new Error(`map never became ready; page errors: ${target.errors.join(' | ') || 'none'}`, { cause: error });
  }
}

/**
 * Waits until the command map has stopped moving and stays idle with everything drawn: an
 * idle handler of the app may start new loads (a changed time window fetches its tiles
 * again on idle), so one idle is not enough.
 */
export async function settleMap(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const g = globalThis as PageGlobals;
        const map = g.__pinganMap!;
        const check = () => g.requestAnimationFrame!(() => (!map.isMoving() && map.loaded() && map.areTilesLoaded() ? resolve() : map.once('idle', check)));
        map.once('idle', check);
        map.triggerRepaint();
      }),
  );
}

/** The slice of the page's globals the tests use; tests are type-checked without DOM libs. */
export interface PageGlobals {
  __pinganMap?: {
    project(lngLat: [number, number]): { x: number; y: number };
    unproject(point: [number, number]): { lng: number; lat: number };
    getLayer(id: string): unknown;
    getLayoutProperty(id: string, property: string): unknown;
    getZoom(): number;
    getCenter(): { lng: number; lat: number };
    getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
    jumpTo(options: { center: [number, number]; zoom: number }): void;
    once(event: string, listener: () => void): void;
    loaded(): boolean;
    isMoving(): boolean;
    areTilesLoaded(): boolean;
    triggerRepaint(): void;
    queryRenderedFeatures(options: { layers: string[] }): Array<{ id?: string | number; properties: Record<string, unknown> }>;
    queryRenderedFeatures(
      at: [number, number] | [[number, number], [number, number]],
      options: { layers: string[] },
    ): Array<{ id?: string | number; properties: Record<string, unknown> }>;
  };
  __pinganDeckLayers?: string[];
  requestAnimationFrame?(callback: () => void): number;
}
