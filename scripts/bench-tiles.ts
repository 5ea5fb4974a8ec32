import { performance } from 'node:perf_hooks';
import { geoJsonStatement, nativeStatement } from '../server/tiles/compose.js';
import { TILE_LAYERS, type TileLayer } from '../server/tiles/layers.js';
import { buildTile, type Encoder } from '../server/tiles/repository.js';
import {
  bytes,
  count,
  datasetFacts,
  describeDatabase,
  median,
  ms,
  openBench,
  ratio,
  probe,
  runsFromEnv,
  samplePoints,
  signIn,
  spreadTiles,
  startApp,
  stats,
  table,
  timedQueries,
  windowEnd,
  windowStart,
  type BenchApp,
  type TileRef,
} from './bench-support.js';

// `npm run bench:tiles`: what the vector-tile server adds to the database's own cost.
// For one fixed set of tiles per zoom (sampled where incidents and grids are) and every
// tile layer it measures
//   raw     the layer's statement through db.query, with the parameters the server uses
//           (buildTile itself is called, with a Queryable that times only the query);
//           with the `node` encoder also the JSON parse + cut + encode in Node (enc);
//   cold    GET /tiles/… on a fresh app instance, so each tile's first request builds it;
//   cached  the same requests again (served from the tile cache);
//   304     the same with If-None-Match: the change counters are read, nothing is sent.
// Requests go one at a time, so the times are latencies; the database's own buffers are
// warm for all of them (an untimed pass runs first). BENCH_RUNS passes (fresh app each),
// BENCH_TILES tiles per zoom, BENCH_ZOOMS the zooms, BENCH_LAYERS the layers (all by
// default, e.g. `incidents,cameras`). So that a run on a province-sized
// data set ends in minutes, a tile whose statement takes longer than BENCH_SLOW_S in the
// first pass is measured in the first run only, and one that runs past BENCH_TILE_LIMIT_S
// is cancelled and left out (counted as `over`): the server has no such limit and would
// build it for as long as it takes.

const RUNS = runsFromEnv(3);
const PER_ZOOM = Number(process.env.BENCH_TILES ?? 10);
const ZOOMS = (process.env.BENCH_ZOOMS ?? '8,10,12,14,16').split(',').map(Number);
const LAYERS = process.env.BENCH_LAYERS?.split(',') ?? TILE_LAYERS.map((l) => l.name);
const CONCURRENCY = 8;
const LIMIT_MS = Number(process.env.BENCH_TILE_LIMIT_S ?? 4) * 1000;
const SLOW_MS = Number(process.env.BENCH_SLOW_S ?? 1) * 1000;
/** The incident layer's window: as long as its default (30 days), spelled out so every pass asks for the same key. */
const INCIDENT_DAYS = 30;

interface Job {
  layer: TileLayer;
  /** Query string of the tile URLs, `?…` or ''. */
  search: string;
  args: unknown[];
}

interface Cell {
  raw: number[];
  encode: number[];
  cold: number[];
  cached: number[];
  revalidated: number[];
  /** Size of each tile as the server sent it (0 = 204). */
  sizes: Map<string, number>;
  rawSizes: Map<string, number>;
  /** Tiles left out: their statement ran past LIMIT_MS. */
  over: number;
  /** Tiles measured in the first run only: their statement took longer than SLOW_MS. */
  slow: number;
  failures: string[];
}

const ctx = await openBench();
const { db } = ctx;
const encoder: Encoder = db.info.capabilities.nativeMvt ? 'native' : 'node';
const login = await startApp(ctx);
const credentials = await signIn(ctx, login).finally(() => login.close());
try {
  const facts = await datasetFacts(db);
  const to = windowEnd(facts.lastReport);
  const from = windowStart(INCIDENT_DAYS, to);
  console.log(`database: ${describeDatabase(db)}; tiles encoded by ${encoder === 'native' ? 'PostGIS (ST_AsMVT)' : 'Node (geojson-vt + vt-pbf)'}`);
  console.log(
    `data: ${count(facts.grids)} grids (${count(facts.level3)} level 3, ${count(facts.specialist)} specialist), ${count(facts.cameras)} cameras, ` +
      `${count(facts.incidents)} incidents; caller: ${credentials.how}, scope center ${credentials.scope}`,
  );

  const points = await samplePoints(db, facts.incidents);
  const tiles = ZOOMS.flatMap((z) => spreadTiles(points, z, PER_ZOOM));
  if (tiles.length === 0) throw new Error('no incidents or level-3 grids to pick tiles from: load a data set first (npm run seed)');
  console.log(
    `tiles: ${ZOOMS.map((z) => `z${z} ${tiles.filter((t) => t.z === z).length}`).join(', ')} (spread over ${count(points.length)} sampled incident and grid locations); ` +
      `incidents window ${from.toISOString()} … ${to.toISOString()} (${INCIDENT_DAYS} days up to the newest report); ${RUNS} run(s), each on a fresh app instance (tile cache ${ctx.config.TILE_CACHE_MB} MB)`,
  );

  const now = new Date();
  const unknown = LAYERS.filter((name) => !TILE_LAYERS.some((l) => l.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_LAYERS names no tile layer: ${unknown.join(', ')} (layers: ${TILE_LAYERS.map((l) => l.name).join(', ')})`);
  const jobs: Job[] = TILE_LAYERS.filter((layer) => LAYERS.includes(layer.name)).map((layer) => {
    const query: Record<string, string> = layer.name === 'incidents' ? { from: from.toISOString(), to: to.toISOString() } : {};
    const search = new URLSearchParams(query).toString();
    return { layer, search: search ? `?${search}` : '', args: layer.args(layer.query.parse(query), now) };
  });
  const cells = new Map<string, Cell>();
  const cellOf = (job: Job, z: number): Cell => {
    const key = `${job.layer.name}|${z}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { raw: [], encode: [], cold: [], cached: [], revalidated: [], sizes: new Map(), rawSizes: new Map(), over: 0, slow: 0, failures: [] }));
    return cell;
  };
  const url = (job: Job, t: TileRef) => `/tiles/${job.layer.name}/${t.z}/${t.x}/${t.y}.mvt${job.search}`;
  const timer = timedQueries(db);
  const firstRun = { raw: 0, cold: 0, tiles: 0 };
  const tooSlow = new Set<string>();
  const slow = new Set<string>();
  /** The tiles of `job` measured in run `run` (0-based; -1: the warm-up, fast tiles only). */
  const included = (job: Job, run: number) => tiles.filter((t) => !tooSlow.has(url(job, t)) && (run === 0 || !slow.has(url(job, t))));

  const rawPass = async (run: number) => {
    for (const job of jobs) {
      for (const t of included(job, run)) {
        const started = performance.now();
        const tile = await buildTile(timer.q, encoder, job.layer, t, credentials.scope, job.args);
        const total = performance.now() - started;
        const query = timer.take()[0]!.ms;
        const cell = cellOf(job, t.z);
        if (run === 0) firstRun.raw += query;
        cell.raw.push(query);
        cell.encode.push(total - query);
        cell.rawSizes.set(url(job, t), tile.byteLength);
      }
    }
  };

  const httpPass = async (app: BenchApp, run: number, kind: 'cold' | 'cached' | 'revalidated', etags: Map<string, string>) => {
    for (const job of jobs) {
      for (const t of included(job, run)) {
        const path = url(job, t);
        const etag = etags.get(path);
        const res = await app.get(path, kind === 'revalidated' && etag ? { 'if-none-match': etag } : {});
        const cell = cellOf(job, t.z);
        const expected = kind === 'revalidated' ? [304] : [200, 204];
        if (!expected.includes(res.status)) {
          cell.failures.push(`${path} ${kind}: ${res.status}`);
          continue;
        }
        cell[kind].push(res.ms);
        if (kind === 'cold' && run === 0) {
          firstRun.cold += res.ms;
          firstRun.tiles++;
        }
        if (kind === 'cold') {
          cell.sizes.set(path, res.body.length);
          if (res.etag) etags.set(path, res.etag);
        }
      }
    }
  };

  // Warm-up: the database's buffers for every tile (each statement under a time limit),
  // and the server's code paths on a throwaway instance.
  const phase = (name: string, started: number) => console.error(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let started = performance.now();
  for (const job of jobs) {
    // The statement buildTile sends must be the composed one this benchmark claims to time.
    const expected = encoder === 'native' ? nativeStatement(job.layer.sourceLayers) : geoJsonStatement(job.layer.sourceLayers);
    for (const t of tiles) {
      let sent: string[] = [];
      const took = await probe(db, LIMIT_MS, async (q) => {
        const seen = timedQueries(q);
        await buildTile(seen.q, encoder, job.layer, t, credentials.scope, job.args);
        sent = seen.take().map((c) => c.text);
      }).catch((err: unknown) => {
        // A statement that fails is a finding, not the end of the benchmark: that tile is left out.
        cellOf(job, t.z).failures.push(`${url(job, t)}: ${err instanceof Error ? err.message : String(err)}`);
        return null;
      });
      if (took === null) {
        tooSlow.add(url(job, t));
        continue;
      }
      if (took !== undefined && (sent.length !== 1 || sent[0] !== expected)) throw new Error(`buildTile no longer sends compose.ts's statement for ${job.layer.name}`);
      if (took === undefined) {
        tooSlow.add(url(job, t));
        cellOf(job, t.z).over++;
      } else if (took > SLOW_MS) {
        slow.add(url(job, t));
        cellOf(job, t.z).slow++;
      }
    }
  }
  phase('warm-up, statements', started);
  started = performance.now();
  const warm = await startApp(ctx, credentials.headers);
  await httpPass(warm, -1, 'cold', new Map());
  await warm.close();
  for (const cell of cells.values()) cell.cold.length = 0;
  phase('warm-up, requests', started);

  let last: BenchApp | undefined;
  for (let run = 0; run < RUNS; run++) {
    await last?.close();
    started = performance.now();
    await rawPass(run);
    phase(`run ${run + 1}/${RUNS}, statements`, started);
    // A fresh instance has an empty tile cache: its first request of each tile is a cold one.
    last = await startApp(ctx, credentials.headers);
    await last.get('/api/auth/session'); // opens the keep-alive connection outside the timings
    const etags = new Map<string, string>();
    started = performance.now();
    await httpPass(last, run, 'cold', etags);
    phase(`run ${run + 1}/${RUNS}, cold requests`, started);
    await httpPass(last, run, 'cached', etags);
    await httpPass(last, run, 'revalidated', etags);
  }

  // Throughput: every tile the last instance has cached, CONCURRENCY requests in flight.
  const paths = jobs.flatMap((job) => included(job, RUNS - 1).map((t) => url(job, t)));
  const queue = Array.from({ length: Math.max(2 * paths.length, 1000) }, (_, i) => paths[i % paths.length]!);
  const loadLatencies: number[] = [];
  let sent = 0;
  let received = 0;
  const loadStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < queue.length) {
        const res = await last!.get(queue[sent++]!);
        loadLatencies.push(res.ms);
        received += res.body.length;
      }
    }),
  );
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  await last?.close();

  // Per layer × zoom.
  const rows: string[][] = [];
  const failures: string[] = [];
  let mismatched = 0;
  for (const job of jobs) {
    for (const z of ZOOMS) {
      const cell = cells.get(`${job.layer.name}|${z}`);
      if (!cell) continue;
      failures.push(...cell.failures);
      const sizes = [...cell.sizes.values()];
      for (const [path, size] of cell.sizes) if (cell.rawSizes.get(path) !== size) mismatched++;
      const nonEmpty = sizes.filter((s) => s > 0);
      const raw = stats(cell.raw);
      const cold = stats(cell.cold);
      const cached = stats(cell.cached);
      const revalidated = stats(cell.revalidated);
      rows.push([
        job.layer.name, String(z), String(sizes.length), String(sizes.length - nonEmpty.length), cell.slow ? String(cell.slow) : '', cell.over ? String(cell.over) : '', nonEmpty.length ? bytes(median(nonEmpty)) : '–',
        ms(raw.p50), ms(raw.p95), encoder === 'node' ? ms(median(cell.encode)) : '–',
        ms(cold.p50), ms(cold.p95), ms(cached.p50), ms(cached.p95), ms(revalidated.p50), ms(revalidated.p95),
        ratio(cold.p50, raw.p50), ratio(cached.p50, raw.p50),
      ]);
    }
  }
  console.log(
    `\nper layer and zoom: times in ms, p50/p95 over tiles × runs; size = median of non-empty tiles; empty = 204 (nothing in the tile); ` +
      `slow = statement > ${SLOW_MS / 1000} s, measured in run 1 only; over = cancelled at ${LIMIT_MS / 1000} s and left out`,
  );
  console.log(
    table(
      ['layer', 'z', 'tiles', 'empty', 'slow', 'over', 'size', 'raw p50', 'p95', 'enc p50', 'cold p50', 'p95', 'cached p50', 'p95', '304 p50', 'p95', 'cold/raw', 'cached/raw'],
      rows,
      2,
    ),
  );

  // Per layer over all zooms, and everything.
  const all = [...cells.values()];
  const summaryRow = (name: string, group: Cell[]): string[] => {
    const pick = (k: 'raw' | 'encode' | 'cold' | 'cached' | 'revalidated') => group.flatMap((c) => c[k]);
    const sizes = group.flatMap((c) => [...c.sizes.values()]);
    const raw = median(pick('raw'));
    const cold = median(pick('cold'));
    const cached = median(pick('cached'));
    const over = group.reduce((n, c) => n + c.over, 0);
    const slowTiles = group.reduce((n, c) => n + c.slow, 0);
    return [
      name, String(sizes.length), String(sizes.filter((s) => s === 0).length), slowTiles ? String(slowTiles) : '', over ? String(over) : '', bytes(median(sizes.filter((s) => s > 0))),
      ms(raw), encoder === 'node' ? ms(median(pick('encode'))) : '–', ms(cold), ms(cached), ms(median(pick('revalidated'))),
      ratio(cold, raw), ratio(cached, raw), ms(stats(pick('cold')).p95),
    ];
  };
  console.log('\nsummary per layer (all zooms): medians in ms');
  console.log(
    table(
      ['layer', 'tiles', 'empty', 'slow', 'over', 'size', 'raw', 'enc', 'cold', 'cached', '304', 'cold/raw', 'cached/raw', 'cold p95'],
      [
        ...jobs.map((job) => summaryRow(job.layer.name, [...cells].filter(([key]) => key.startsWith(`${job.layer.name}|`)).map(([, c]) => c))),
        summaryRow('all layers', all),
      ],
    ),
  );
  if (tooSlow.size > 0) console.log(`over the limit (${LIMIT_MS / 1000} s), left out: ${[...tooSlow].join(' ')}`);
  console.log(
    `drawing the ${count(firstRun.tiles)} tiles once (run 1): ${ms(firstRun.raw)} ms of statements, ${ms(firstRun.cold)} ms of cold requests; ` +
      `throughput, cached, concurrency ${CONCURRENCY}: ${(queue.length / loadSeconds).toFixed(0)} tiles/s, ${bytes(received / loadSeconds)}/s, ` +
      `latency p50 ${ms(stats(loadLatencies).p50)} ms p95 ${ms(stats(loadLatencies).p95)} ms (${count(queue.length)} requests; the client runs in the server's process)`,
  );
  if (mismatched > 0) console.log(`note: ${mismatched} tile(s) differ in size between buildTile and the HTTP response`);
  if (failures.length > 0) console.log(`failed requests (${failures.length}):\n  ${failures.slice(0, 20).join('\n  ')}`);
} finally {
  await credentials.cleanup();
  await db.close();
}
