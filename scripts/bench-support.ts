import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { QueryResultRow } from 'pg';
import { DEMO_PASSWORD } from '../geodata/seed/demo-accounts.js';
import { createApp } from '../server/app.js';
import { createToken, revokeToken } from '../server/auth/repository.js';
import { newSecret, secretHash, TOKEN_PREFIX } from '../server/auth/secrets.js';
import { loadConfig, type Config } from '../server/config.js';
import { openDatabase, type Database, type Queryable } from '../server/db/database.js';
import type { Bbox } from '../server/http/params.js';
import { cellX, cellY } from '../server/incidents/cells.js';
import { createLogger } from '../server/log.js';

// What bench-tiles.ts and bench-api.ts share: the database as the server opens it, the
// real app on a loopback port, a signed-in caller, a query timer and the statistics.

export const BENCH_USER = 'operator.district';

/** `BENCH_RUNS` if set, else the script's own default. */
export const runsFromEnv = (fallback: number): number => {
  const runs = Number(process.env.BENCH_RUNS ?? fallback);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a whole number ≥ 1, not ${process.env.BENCH_RUNS}`);
  return runs;
};

export interface BenchContext {
  config: Config;
  db: Database;
}

export async function openBench(): Promise<BenchContext> {
  const config = loadConfig();
  // Same pool size as the server, so the raw queries and the app contend for the same connections.
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DB_POOL_SIZE, log: createLogger('warn') });
  return { config, db };
}

export interface HttpResult {
  status: number;
  ms: number;
  body: Buffer;
  etag: string | undefined;
  headers: http.IncomingHttpHeaders;
}

export interface BenchApp {
  baseUrl: string;
  get(path: string, headers?: Record<string, string>): Promise<HttpResult>;
  close(): Promise<void>;
}

// node:http with keep-alive rather than fetch: the client shares the process (and the
// event loop) with the server, so the lighter client takes less off the server's figures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * A fresh instance of the real app (its own empty tile cache) on a free loopback port.
 * Request logging is left at `warn`: at `info` every API request writes a line to stdout,
 * which would time the terminal as much as the server.
 */
export async function startApp({ config, db }: BenchContext, auth: Record<string, string> = {}): Promise<BenchApp> {
  const app = createApp({ db, config, log: createLogger('warn') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    get: (path, headers = {}) => request(port, 'GET', path, { ...auth, ...headers }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function request(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks), etag: res.headers.etag, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface Credentials {
  headers: Record<string, string>;
  /** The caller's center: the scope the server applies, and so the raw statements too. */
  scope: number;
  how: string;
  /** Undo what signing in created (a fallback token). */
  cleanup(): Promise<void>;
}

/**
 * Signs in as BENCH_USER through POST /api/auth/login, as the web client does. If that is
 * refused (no demo accounts, a changed password), creates a one-day personal access token
 * for the user in the database instead, says so, and revokes it at the end.
 */
export async function signIn(ctx: BenchContext, app: BenchApp): Promise<Credentials> {
  const port = Number(new URL(app.baseUrl).port);
  const login = await request(port, 'POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: BENCH_USER, password: DEMO_PASSWORD }));
  const cookie = login.headers['set-cookie']?.find((c) => c.startsWith('pm_session='))?.split(';')[0];
  let credentials: Credentials;
  if (login.status === 200 && cookie) {
    const session = JSON.parse(login.body.toString('utf8')) as { user: { center: { id: number } } };
    credentials = { headers: { cookie }, scope: session.user.center.id, how: `signed in as ${BENCH_USER} through POST /api/auth/login (session cookie)`, cleanup: async () => undefined };
  } else {
    const { rows } = await ctx.db.query<{ id: number; center_id: number }>('SELECT id, center_id FROM users WHERE username = $1', [BENCH_USER]);
    const user = rows[0];
    if (!user) throw new Error(`login as ${BENCH_USER} answered ${login.status} and there is no such user: load the demo accounts (npm run seed)`);
    const secret = `${TOKEN_PREFIX}${newSecret()}`;
    const token = await createToken(ctx.db, { userId: user.id, name: 'bench (temporary)', tokenHash: secretHash(secret), role: null, days: 1 });
    credentials = {
      headers: { authorization: `Bearer ${secret}` },
      scope: user.center_id,
      how: `NOTE: login as ${BENCH_USER} answered ${login.status}; a temporary access token was created in the database instead (revoked at the end)`,
      cleanup: async () => void (await revokeToken(ctx.db, token.id, user.id)),
    };
  }
  // A seeded account that must change its password first gets 403 everywhere: say so now.
  const check = await app.get('/api/incidents?limit=1', credentials.headers);
  if (check.status !== 200) {
    await credentials.cleanup();
    throw new Error(`${BENCH_USER} cannot read incidents (${check.status}): ${check.body.toString('utf8').slice(0, 200)}`);
  }
  return credentials;
}

/**
 * A Queryable that times each statement it passes on: handed to the repositories' own
 * functions, it measures exactly the statement and parameters the server sends, and only
 * the database round trip.
 */
export function timedQueries(db: Queryable): { q: Queryable; take(): { text: string; ms: number }[] } {
  let calls: { text: string; ms: number }[] = [];
  const q: Queryable = {
    async query<R extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]) {
      const started = performance.now();
      const result = await db.query<R>(text, params);
      calls.push({ text, ms: performance.now() - started });
      return result;
    },
  };
  return {
    q,
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
  };
}

/**
 * Runs `fn` once with a statement timeout: the time it took, or undefined when the
 * database gave up. Lets a benchmark leave out a statement that would run for minutes
 * (and hold its locks that long) instead of waiting for it, and say so.
 */
export async function probe(db: Database, limitMs: number, fn: (q: Queryable) => Promise<unknown>): Promise<number | undefined> {
  try {
    return await db.tx(async (q) => {
      await q.query(`SET LOCAL statement_timeout = ${Math.round(limitMs)}`);
      const started = performance.now();
      await fn(q);
      return performance.now() - started;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '57014') return undefined; // query_canceled
    throw err;
  }
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
}

/** Nearest-rank percentiles. */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95) };
}

export const median = (samples: readonly number[]): number => stats(samples).p50;

/** Milliseconds with about three significant digits. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '–');
export const count = (n: number): string => n.toLocaleString('en');

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n < 1024) return `${n.toFixed(0)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** A fixed-width table: numbers right-aligned, the first `left` columns left-aligned. */
export function table(head: string[], rows: string[][], left = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export interface DatasetFacts {
  grids: number;
  level3: number;
  specialist: number;
  cameras: number;
  incidents: number;
  firstReport: Date | null;
  lastReport: Date | null;
}

export async function datasetFacts(db: Queryable): Promise<DatasetFacts> {
  const { rows } = await db.query<{
    grids: number; level3: number; specialist: number; cameras: number; incidents: number; first: Date | null; last: Date | null;
  }>(`
    SELECT (SELECT count(*) FROM grids) AS grids,
           (SELECT count(*) FROM grids WHERE kind = 'general' AND level = 3) AS level3,
           (SELECT count(*) FROM grids WHERE kind = 'specialist') AS specialist,
           (SELECT count(*) FROM cameras) AS cameras,
           (SELECT count(*) FROM incidents) AS incidents,
           (SELECT min(reported_at) FROM incidents) AS first,
           (SELECT max(reported_at) FROM incidents) AS last`);
  const { first, last, ...r } = rows[0]!;
  return { ...r, firstReport: first, lastReport: last };
}

export function describeDatabase(db: Database): string {
  const { info } = db;
  return `${db.mode} PostgreSQL ${info.postgres}, PostGIS ${info.postgis} (GEOS ${info.geos}); native MVT ${info.capabilities.nativeMvt ? 'on' : 'off'}`;
}

export interface SamplePoint {
  lon: number;
  lat: number;
}

/**
 * Where the data is: a repeatable page sample of the incidents (about `target` of them)
 * plus the label point of every level-3 grid, so places with grids but few incidents
 * count too. TABLESAMPLE SYSTEM reads a fraction of the pages, not the table.
 */
export async function samplePoints(db: Queryable, incidents: number, target = 20_000): Promise<SamplePoint[]> {
  const percent = incidents > 0 ? Math.min(100, (100 * target) / incidents) : 100;
  const { rows } = await db.query<SamplePoint>(
    `SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM incidents TABLESAMPLE SYSTEM ($1) REPEATABLE (20261130)
     UNION ALL
     SELECT ST_X(label_point), ST_Y(label_point) FROM grids WHERE kind = 'general' AND level = 3 AND label_point IS NOT NULL`,
    [percent],
  );
  return rows;
}

export interface TileRef {
  z: number;
  x: number;
  y: number;
  /** Sample points in it. */
  weight: number;
}

/**
 * `n` tiles of zoom `z` over the sample: ranked by how many points fall in them, then
 * taken at even steps down the ranking, so the busiest tile and quiet ones are both in.
 */
export function spreadTiles(points: readonly SamplePoint[], z: number, n: number): TileRef[] {
  const counts = new Map<string, TileRef>();
  for (const p of points) {
    const x = cellX(p.lon, z);
    const y = cellY(p.lat, z);
    const key = `${x}/${y}`;
    const t = counts.get(key);
    if (t) t.weight++;
    else counts.set(key, { z, x, y, weight: 1 });
  }
  const ranked = [...counts.values()].sort((a, b) => b.weight - a.weight || a.x - b.x || a.y - b.y);
  if (ranked.length <= n) return ranked;
  return Array.from({ length: n }, (_, i) => ranked[Math.floor((i * ranked.length) / n)]!);
}

/** The busiest tile of zoom `z` in the sample, as the point the map would be centred on. */
export function hotSpot(points: readonly SamplePoint[], z: number): SamplePoint {
  const [top] = spreadTiles(points, z, 1);
  if (!top) throw new Error('the database holds no incidents or level-3 grids to centre a view on');
  const n = 2 ** z;
  const lon = ((top.x + 0.5) / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (top.y + 0.5)) / n))) * 180) / Math.PI;
  return { lon, lat };
}

/** The WGS84 box a `width` × `height` px screen shows at `zoom` (256-px tiles) around `centre`. */
export function viewport(zoom: number, centre: SamplePoint, width = 1920, height = 1080): Bbox {
  const world = 256 * 2 ** zoom;
  const px = ((centre.lon + 180) / 360) * world;
  const s = Math.sin((centre.lat * Math.PI) / 180);
  const py = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world;
  const lon = (x: number) => (x / world) * 360 - 180;
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / world))) * 180) / Math.PI;
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    minLon: round(lon(px - width / 2)),
    minLat: round(lat(py + height / 2)),
    maxLon: round(lon(px + width / 2)),
    maxLat: round(lat(py - height / 2)),
  };
}

export const bboxText = (b: Bbox): string => `${b.minLon},${b.minLat},${b.maxLon},${b.maxLat}`;

const HOUR = 3_600_000;

/** `days` before `end` at the top of the hour, as the server's default window starts. */
export const windowStart = (days: number, end: Date): Date => new Date(Math.floor((end.getTime() - days * 24 * HOUR) / HOUR) * HOUR);

/**
 * Where the benchmarks' time windows end: the top of the hour after the newest report, not
 * now, so that a data set generated some days ago still has incidents in its last day.
 */
export const windowEnd = (newest: Date | null): Date => new Date(Math.floor((newest ?? new Date()).getTime() / HOUR + 1) * HOUR);
