import { performance } from 'node:perf_hooks';
import { camerasGeoJson } from '../server/cameras/repository.js';
import { CamerasQuery } from '../server/cameras/schema.js';
import type { Queryable } from '../server/db/database.js';
import { gridsGeoJson } from '../server/grids/repository.js';
import { GridsQuery } from '../server/grids/schema.js';
import { incidentHeatmap, incidentPoints } from '../server/incidents/heatmap.js';
import { listIncidents } from '../server/incidents/repository.js';
import { HeatmapQuery, IncidentsQuery, PointsQuery } from '../server/incidents/schema.js';
import {
  bboxText,
  bytes,
  count,
  datasetFacts,
  describeDatabase,
  hotSpot,
  ms,
  openBench,
  probe,
  ratio,
  runsFromEnv,
  samplePoints,
  signIn,
  startApp,
  stats,
  table,
  timedQueries,
  viewport,
  windowEnd,
  windowStart,
  type HttpResult,
} from './bench-support.js';

// `npm run bench:api`: what the JSON/binary endpoints add to their statements' cost.
// Each case is one URL; its raw time is the repository function the route calls, given
// the same query (parsed by the route's own schema) and a Queryable that times only the
// database round trip; its server time is GET over HTTP to the real app, signed in as the
// demo district operator. Raw and HTTP runs alternate so load from elsewhere on the
// machine hits both alike. BENCH_RUNS runs per case, fewer when a case's runs pass
// BENCH_BUDGET_S seconds (never fewer than 3); a case whose statement runs longer than
// BENCH_LIMIT_S once is left out and said so.

const RUNS = runsFromEnv(20);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 20) * 1000;
const WARMUP = 2;
const MIN_RUNS = 3;
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 30) * 1000;
/** Zoom of the screen the list endpoints' bbox is cut to (1920 × 1080 px): a district view. */
const LIST_ZOOM = 13;

interface Case {
  label: string;
  path: string;
  query: Record<string, string>;
  raw(q: Queryable): Promise<unknown>;
  /** What the answer holds, read from the server's response. */
  describe(res: HttpResult): string;
}

const ctx = await openBench();
const { db } = ctx;
const login = await startApp(ctx);
const credentials = await signIn(ctx, login).finally(() => login.close());
try {
  const facts = await datasetFacts(db);
  const { rows: bins } = await db.query<{ n: number }>('SELECT count(*) AS n FROM incident_heat');
  console.log(`database: ${describeDatabase(db)}`);
  console.log(
    `data: ${count(facts.grids)} grids (${count(facts.level3)} level 3, ${count(facts.specialist)} specialist), ${count(facts.cameras)} cameras, ` +
      `${count(facts.incidents)} incidents reported ${facts.firstReport?.toISOString().slice(0, 10) ?? '–'} … ${facts.lastReport?.toISOString().slice(0, 10) ?? '–'}, ` +
      `${count(bins[0]!.n)} heat-map rows (cell × day/week/month × center at zoom 13 and 17, and × district at zoom 13)`,
  );
  console.log(`caller: ${credentials.how}, scope center ${credentials.scope}`);

  const points = await samplePoints(db, facts.incidents);
  const centre = hotSpot(points, 12);
  const scope = credentials.scope;
  const end = windowEnd(facts.lastReport);
  const listBox = bboxText(viewport(LIST_ZOOM, centre));
  console.log(`viewports: 1920 × 1080 px (256-px tiles) around ${centre.lon.toFixed(4)}, ${centre.lat.toFixed(4)} (the busiest zoom-12 tile of the sample); lists at zoom ${LIST_ZOOM}: bbox=${listBox}`);
  console.log(`time windows end at ${end.toISOString()} (the top of the hour after the newest report)`);

  // A cursor half-way down the default order: keyset paging should make its depth free.
  const depth = Math.floor(facts.incidents / 2);
  const { rows: deep } = await db.query<{ id: number }>(
    `SELECT id FROM incidents WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
     ORDER BY reported_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [scope, depth],
  );

  const json = (res: HttpResult) => JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  const features = (res: HttpResult) => `${count((json(res).features as unknown[]).length)} features`;
  const cases: Case[] = [
    {
      label: `grids level 3, z${LIST_ZOOM} view`,
      path: '/api/grids',
      query: { bbox: listBox, level: '3' },
      raw: (q) => gridsGeoJson(q, scope, GridsQuery.parse({ bbox: listBox, level: '3' })),
      describe: features,
    },
    {
      label: `cameras, z${LIST_ZOOM} view, limit 1000`,
      path: '/api/cameras',
      query: { bbox: listBox, limit: '1000' },
      raw: (q) => camerasGeoJson(q, scope, CamerasQuery.parse({ bbox: listBox, limit: '1000' })),
      describe: (res) => `${features(res)}${json(res).next ? ', more pages' : ''}`,
    },
    {
      label: 'incidents, first page of 100',
      path: '/api/incidents',
      query: { limit: '100' },
      raw: (q) => listIncidents(q, scope, IncidentsQuery.parse({ limit: '100' }), 0),
      describe: (res) => `${(json(res).incidents as unknown[]).length} incidents`,
    },
  ];
  if (deep[0]) {
    const after = String(deep[0].id);
    cases.push({
      label: `incidents, page after #${count(depth)}`,
      path: '/api/incidents',
      query: { limit: '100', after },
      raw: (q) => listIncidents(q, scope, IncidentsQuery.parse({ limit: '100', after }), 0),
      describe: (res) => `${(json(res).incidents as unknown[]).length} incidents`,
    });
  }
  for (const zoom of [8, 11, 14]) {
    const box = bboxText(viewport(zoom, centre));
    for (const days of [1, 30, 365]) {
      const query = { bbox: box, zoom: String(zoom), from: windowStart(days, end).toISOString(), to: end.toISOString() };
      cases.push({
        label: `heatmap z${zoom}, ${days} d`,
        path: '/api/incidents/heatmap',
        query,
        raw: (q) => incidentHeatmap(q, scope, HeatmapQuery.parse(query), new Date()),
        describe: (res) => {
          const body = json(res) as { total: number; level: number; cells: unknown[] };
          // Where migration 0006's pingan_incident_heat takes whole months, weeks and days from (the hours at the ends always come from incidents).
          const source = body.level <= 13 ? 'z13 rows' : body.level <= 17 ? 'z17 rows' : 'incidents';
          return `${count(body.total)} incidents in ${count(body.cells.length)} z${body.level} cells (${source})`;
        },
      });
    }
  }
  {
    // The map's default: no from/to, the last 30 days up to now with an open end.
    const query = { bbox: bboxText(viewport(14, centre)), zoom: '14' };
    cases.push({
      label: 'heatmap z14, default window',
      path: '/api/incidents/heatmap',
      query,
      raw: (q) => incidentHeatmap(q, scope, HeatmapQuery.parse(query), new Date()),
      describe: (res) => `${count((json(res) as { total: number }).total)} incidents (30 d to now, open end)`,
    });
  }
  {
    // One category: the same rows, another column.
    const query = { bbox: bboxText(viewport(8, centre)), zoom: '8', from: windowStart(365, end).toISOString(), to: end.toISOString(), category: 'dispute' };
    cases.push({
      label: 'heatmap z8, 365 d, disputes',
      path: '/api/incidents/heatmap',
      query,
      raw: (q) => incidentHeatmap(q, scope, HeatmapQuery.parse(query), new Date()),
      describe: (res) => `${count((json(res) as { total: number }).total)} disputes`,
    });
  }
  for (const days of [1, 30]) {
    const query = { bbox: listBox, from: windowStart(days, end).toISOString(), to: end.toISOString() };
    cases.push({
      label: `points z${LIST_ZOOM} view, ${days} d`,
      path: '/api/incidents/points',
      query,
      raw: (q) => incidentPoints(q, scope, PointsQuery.parse(query), new Date()),
      describe: (res) => (res.status === 422 ? 'over the limit (422)' : `${count(res.body.readUInt32LE(4))} points`),
    });
  }

  const app = await startApp(ctx, credentials.headers);
  const timer = timedQueries(db);
  const rows: string[][] = [];
  const failures: string[] = [];
  try {
    await app.get('/api/auth/session'); // opens the keep-alive connection outside the timings
    for (const c of cases) {
      const url = `${c.path}?${new URLSearchParams(c.query).toString()}`;
      const took = await probe(db, LIMIT_MS, c.raw).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      if (took === undefined || took instanceof Error) {
        rows.push([c.label, took ? `left out: ${took.message}` : `left out: statement > ${LIMIT_MS / 1000} s`, '', '', '', '', '', '', '0']);
        continue;
      }
      // A statement of seconds has warmed what it reads in the probe already.
      const warmup = took > 1000 ? 0 : WARMUP;
      const raw: number[] = [];
      const server: number[] = [];
      let last: HttpResult | undefined;
      const started = performance.now();
      for (let i = 0; i < warmup + RUNS; i++) {
        if (i >= warmup + MIN_RUNS && performance.now() - started > BUDGET_MS) break;
        await c.raw(timer.q);
        const queryMs = timer.take().reduce((s, t) => s + t.ms, 0);
        last = await app.get(url);
        if (last.status !== 200 && !(last.status === 422 && c.path.endsWith('/points'))) {
          failures.push(`${url}: ${last.status} ${last.body.toString('utf8').slice(0, 200)}`);
          break;
        }
        if (i < warmup) continue;
        raw.push(queryMs);
        server.push(last.ms);
      }
      if (!last || server.length === 0) continue;
      const r = stats(raw);
      const s = stats(server);
      rows.push([c.label, c.describe(last), bytes(last.body.length), ms(r.p50), ms(r.p95), ms(s.p50), ms(s.p95), ratio(s.p50, r.p50), String(s.n)]);
    }
  } finally {
    await app.close();
  }
  console.log(`\ntimes in ms; raw = the repository's statement through db.query; server = GET over HTTP (sequential); n = runs after ${WARMUP} warm-up (none when the statement takes over 1 s)`);
  console.log(table(['endpoint', 'answer', 'size', 'raw p50', 'p95', 'server p50', 'p95', 'server/raw', 'n'], rows, 2));
  if (failures.length > 0) console.log(`failed requests:\n  ${failures.join('\n  ')}`);
} finally {
  await credentials.cleanup();
  await db.close();
}
