import { performance } from 'node:perf_hooks';
import { chromium, type Page, type Request } from 'playwright-core';
import { BENCH_USER, bytes, datasetFacts, describeDatabase, median, ms, openBench, runsFromEnv, startApp, table } from './bench-support.js';
import { DEMO_PASSWORD } from '../geodata/seed/demo-accounts.js';

// `npm run bench:map`: what the command map costs a browser. Chromium (Debian's, as the
// browser tests use it) signs in as the demo district operator and opens the map; a view
// counts as rendered when the map says its base map and grids are drawn and MapLibre then
// goes idle (every tile of every visible layer drawn, deck.gl layers included). Bytes are the
// response bodies that came over the network (a 304 or a cache hit counts 0), by kind. Cases:
//   default view, cold   a new browser profile (empty HTTP cache) on a server just started,
//                        from opening the login page (scripted sign-in) to the map drawn
//   default view, warm   the same profile reloading: the browser revalidates (ETag → 304)
//   30 days + heat map   the same view with the 30-day window and the GPU heat map on
//   street zoom          zoom 16 on the busiest incident, 30 days, everything on
// BENCH_RUNS runs (default 3) of each; medians printed. Needs the built client (npm run
// build) and Chromium at CHROMIUM_PATH (default /usr/bin/chromium).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const VIEWPORT = { width: 1920, height: 1080 };

interface Sample {
  ms: number;
  bytes: Record<'app' | 'api' | 'tiles', number>;
}

function kindOf(url: string): keyof Sample['bytes'] {
  const path = new URL(url).pathname;
  if (path.startsWith('/tiles/')) return 'tiles';
  if (path.startsWith('/api/')) return 'api';
  return 'app';
}

/** Counts the body bytes that came over the network (not from the browser's cache) until `stop`. */
function countBytes(page: Page): { stop(): Sample['bytes'] } {
  const totals = { app: 0, api: 0, tiles: 0 };
  const onFinished = (request: Request) => {
    void request.sizes().then((sizes) => void (totals[kindOf(request.url())] += Math.max(0, sizes.responseBodySize)), () => undefined);
  };
  page.on('requestfinished', onFinished);
  return {
    stop() {
      page.off('requestfinished', onFinished);
      return { ...totals };
    },
  };
}

/** Waits for the map to report ready, then for MapLibre to be idle with nothing left to load. */
async function rendered(page: Page): Promise<void> {
  await page.waitForSelector('body[data-map-ready="true"]', { state: 'attached', timeout: 180_000 });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = (globalThis as unknown as { __pinganMap: { once(e: string, f: () => void): void; triggerRepaint(): void } }).__pinganMap;
        map.once('idle', () => resolve());
        map.triggerRepaint();
      }),
  );
}

async function measure(page: Page, go: () => Promise<unknown>): Promise<Sample> {
  const counter = countBytes(page);
  const started = performance.now();
  await go();
  await rendered(page);
  const elapsed = performance.now() - started;
  await page.waitForTimeout(200); // bodies still being read
  return { ms: elapsed, bytes: counter.stop() };
}

async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(BENCH_USER);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
}

const ctx = await openBench();
const runs = runsFromEnv(3);
const facts = await datasetFacts(ctx.db);
const { rows: hot } = await ctx.db.query<{ lon: number; lat: number }>(
  `SELECT ST_X(ST_Centroid(ST_Collect(location))) AS lon, ST_Y(ST_Centroid(ST_Collect(location))) AS lat
   FROM (SELECT location FROM incidents ORDER BY reported_at DESC LIMIT 200) AS recent`,
);
const street = hot[0]!;

console.log(`bench:map — ${describeDatabase(ctx.db)}; ${facts.grids.toLocaleString('en')} grids, ${facts.cameras.toLocaleString('en')} cameras, ${facts.incidents.toLocaleString('en')} incidents; ${runs} runs; Chromium ${CHROMIUM} (software WebGL), ${VIEWPORT.width}×${VIEWPORT.height}`);

const cases: Record<string, Sample[]> = { 'default view, cold': [], 'default view, warm': [], '30 days + heat map': [], 'street zoom, 30 days, all layers': [] };
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  for (let run = 0; run < runs; run++) {
    // A fresh server each run: its tile cache starts empty, as after a restart.
    const app = await startApp(ctx);
    try {
      const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      const page = await context.newPage();
      cases['default view, cold']!.push(await measure(page, () => signIn(page, app.baseUrl)));
      cases['default view, warm']!.push(await measure(page, () => page.reload()));
      cases['30 days + heat map']!.push(await measure(page, () => page.goto(`${app.baseUrl}/?t=30d&layers=grids-1,grids-2,grids-3,patrols,cameras,incidents,heatmap,centers`)));
      cases['street zoom, 30 days, all layers']!.push(
        await measure(page, () => page.goto(`${app.baseUrl}/?at=${street.lon},${street.lat},16&t=30d&layers=grids-1,grids-2,grids-3,specialist-grids,patrols,cameras,incidents,heatmap,centers`)),
      );
      await context.close();
    } finally {
      await app.close();
    }
  }
} finally {
  await browser.close();
  await ctx.db.close();
}

console.log(
  table(
    ['case', 'rendered (median)', 'min', 'max', 'app bytes', 'API bytes', 'tile bytes', 'total'],
    Object.entries(cases).map(([name, samples]) => {
      const times = samples.map((s) => s.ms);
      const b = (k: keyof Sample['bytes']) => median(samples.map((s) => s.bytes[k]));
      return [name, ms(median(times)), ms(Math.min(...times)), ms(Math.max(...times)), bytes(b('app')), bytes(b('api')), bytes(b('tiles')), bytes(b('app') + b('api') + b('tiles'))];
    }),
  ),
);
