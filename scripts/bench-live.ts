import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { DEMO_PASSWORD } from '../geodata/seed/demo-accounts.js';
import { createApp } from '../server/app.js';
import { LIVE_CHANNEL } from '../server/live/outbox.js';
import { attachLiveStream } from '../server/live/stream.js';
import { createLogger } from '../server/log.js';
import type { ClientCommand, ClientReply } from './bench-live-clients.js';
import { BENCH_USER, count, describeDatabase, ms, openBench, table, type BenchContext } from './bench-support.js';

// `npm run bench:live [-- --seconds 10 --rate 20 --clients 1,100,500]`: the live stream
// under a steady intake. For each number of WebSocket clients (all signed in as the demo
// district operator, sharing one session), incidents are filed through POST /api/incidents
// at --rate per second for --seconds, open loop (a slow answer does not slow the next
// post), and every client notes when each incident's `incident` message reaches it.
// Printed: the intake the server acknowledged (201) per second, and the latency from the
// post being sent to a client holding the message, over every (incident, client) pair.
// The floor is the same without the server: an INSERT committed on one bare connection
// until a second one, LISTENing on pingan_live, is notified, one after another.
//
// The server runs in this process, the clients on a worker thread, the posts here: all on
// one machine, so the figures include their competing for its cores. Every incident
// filed stays in the database (titled `bench:live <run> #<n>`): run it on a scratch copy.

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    clients: { type: 'string', default: '1,100,500' },
  },
});
const SECONDS = positive('seconds', Number(flags.seconds));
const RATE = positive('rate', Number(flags.rate));
const CLIENT_COUNTS = flags.clients.split(',').map((c) => Math.round(positive('clients', Number(c))));
/** After the last post: how long clients may still take to receive what was acknowledged. */
const DRAIN_MS = 10_000;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const now = () => performance.timeOrigin + performance.now();
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const run = randomUUID().slice(0, 8);
const titlePrefix = `bench:live ${run} #`;

const ctx = await openBench();
const { db } = ctx;
try {
  console.log(`database: ${describeDatabase(db)}`);
  console.log(`steps of ${SECONDS} s at ${RATE} incidents/s offered; clients ${CLIENT_COUNTS.join(', ')}; titles "${titlePrefix}<n>"`);
  const places = await intakePlaces(db);

  const floor = await measureFloor(ctx, places);
  const rows: string[][] = [['floor: INSERT → LISTEN', '–', `${(floor.length / SECONDS).toFixed(1)}`, '–', count(floor.length), ms(pct(floor, 0.5)), ms(pct(floor, 0.99)), '0']];

  const server = await startServer(ctx);
  // Worker threads do not inherit tsx's loader: the thread registers it, then imports the clients.
  const clientsModule = new URL('./bench-live-clients.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(clientsModule)}, ${JSON.stringify(import.meta.url)}))`, { eval: true });
  // One command at a time: each reply answers the command before it.
  let pending: { resolve(reply: ClientReply): void; reject(err: Error): void } | undefined;
  worker.on('message', (reply: ClientReply) => pending?.resolve(reply));
  worker.on('error', (err) => pending?.reject(err));
  const ask = (command: ClientCommand) =>
    new Promise<ClientReply>((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage(command);
    });
  try {
    const session = await signIn(server.port);
    let next = 0;
    for (const clients of CLIENT_COUNTS) {
      const wsUrl = `ws://127.0.0.1:${server.port}/ws/live`;
      await ask({ cmd: 'connect', url: wsUrl, headers: { cookie: session.cookie }, count: clients, titlePrefix });
      const step = await fileSteadily(server.port, session, places, () => next++);
      await waitForDeliveries(step.acked.size * clients, ask, step);
      const latencies = step.receipts.flatMap(([n, at]) => (step.acked.has(n) ? [at - step.sent.get(n)!] : []));
      const missing = step.acked.size * clients - latencies.length;
      rows.push([
        `${count(clients)} client${clients === 1 ? '' : 's'}`,
        RATE.toFixed(1),
        (step.acked.size / step.seconds).toFixed(1),
        ms(pct(step.answers, 0.5)),
        count(latencies.length),
        ms(pct(latencies, 0.5)),
        ms(pct(latencies, 0.99)),
        count(missing),
      ]);
      if (step.failures.size > 0) console.log(`  ${clients} clients: answers other than 201: ${[...step.failures].map(([k, v]) => `${k} × ${v}`).join(', ')}`);
      await ask({ cmd: 'close' });
    }
  } finally {
    await worker.terminate();
    await server.close();
  }
  console.log('\ntimes in ms; offered = incidents posted per second; acked = answered 201 per second from the first post to the last answer; post p50 = time to the 201; latency = post sent → message at a client, over every incident × client');
  console.log(table(['step', 'offered/s', 'acked/s', 'post p50', 'deliveries', 'latency p50', 'p99', 'missing'], rows));
} finally {
  await db.close();
}

/** Nearest-rank percentile; NaN without samples. */
function pct(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

interface Place {
  lon: number;
  lat: number;
  gridId: number;
  centerId: number;
}

/** Label points of level-3 grids: inside the district, so intake attributes them. */
async function intakePlaces(q: BenchContext['db']): Promise<Place[]> {
  const { rows } = await q.query<Place>(
    `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat, id AS "gridId", center_id AS "centerId"
     FROM grids WHERE kind = 'general' AND level = 3 AND label_point IS NOT NULL ORDER BY id`,
  );
  if (rows.length === 0) throw new Error('the database has no level-3 grids to file incidents in: load the demo district (npm run seed)');
  return rows;
}

/**
 * INSERT committed on one connection → notification on another, sequentially, for
 * --seconds. The embedded database hands a notification to the connection whose statement
 * raised it (docs/architecture.md), so both are listened to there.
 */
async function measureFloor({ db: database }: BenchContext, where: readonly Place[]): Promise<number[]> {
  const listener = await database.connect();
  const writer = await database.connect();
  const samples: number[] = [];
  let notified: () => void = () => undefined;
  const onNotification = (n: pg.Notification) => n.channel === LIVE_CHANNEL && notified();
  try {
    listener.on('notification', onNotification);
    writer.on('notification', onNotification);
    await listener.query(`LISTEN ${LIVE_CHANNEL}`);
    const end = performance.now() + SECONDS * 1000;
    for (let i = 0; performance.now() < end; i++) {
      const place = where[i % where.length]!;
      const heard = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no notification on ${LIVE_CHANNEL} within ${DRAIN_MS / 1000} s of an INSERT`)), DRAIN_MS);
        notified = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      const started = performance.now();
      await writer.query(
        `INSERT INTO incidents (number, category, severity, title, location, source, grid_id, center_id, occurred_at)
         VALUES ($1, 'other', 'low', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), 'other', $5, $6, now())`,
        [`BL-${run.toUpperCase()}-F${i}`, `${titlePrefix}floor-${i}`, place.lon, place.lat, place.gridId, place.centerId],
      );
      await heard;
      samples.push(performance.now() - started);
      // The same spacing as the intake steps, so the database sees the same load.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / RATE - (performance.now() - started))));
    }
    await listener.query(`UNLISTEN ${LIVE_CHANNEL}`);
  } finally {
    listener.off('notification', onNotification);
    writer.off('notification', onNotification);
    listener.release();
    writer.release();
  }
  return samples;
}

interface BenchServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The real app and live stream on a free loopback port. The per-user write limit is lifted:
 * one account files every incident here. Request logging at `warn`, as in bench-support.
 */
async function startServer({ config, db: database }: BenchContext): Promise<BenchServer> {
  const log = createLogger('warn');
  const server = createApp({ db: database, config: { ...config, WRITE_RATE_LIMIT: 1_000_000 }, log }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const live = await attachLiveStream(server, { db: database, config, log });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function request(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Session {
  cookie: string;
  csrfToken: string;
}

/** Signs in as the demo district operator: the session every socket and post shares. */
async function signIn(port: number): Promise<Session> {
  const login = await request(port, 'POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: BENCH_USER, password: DEMO_PASSWORD }));
  const cookie = login.headers['set-cookie']?.find((c) => c.startsWith('pm_session='))?.split(';')[0];
  if (login.status !== 200 || !cookie) throw new Error(`login as ${BENCH_USER} answered ${login.status}: load the demo accounts (npm run seed) or reset the password`);
  const { csrfToken } = JSON.parse(login.body) as { csrfToken: string };
  return { cookie, csrfToken };
}

interface Step {
  /** Incident number → when its post was sent (epoch ms). */
  sent: Map<number, number>;
  /** Numbers answered 201. */
  acked: Set<number>;
  /** Post → answer, ms. */
  answers: number[];
  /** Status → count of the other answers. */
  failures: Map<string, number>;
  /** From the first post to the last answer: longer than --seconds when the server falls behind. */
  seconds: number;
  receipts: [number, number][];
}

/** Posts one incident every 1/RATE s for SECONDS, whatever the answers take. */
async function fileSteadily(port: number, session: Session, where: readonly Place[], number: () => number): Promise<Step> {
  const step: Step = { sent: new Map(), acked: new Set(), answers: [], failures: new Map(), seconds: SECONDS, receipts: [] };
  const posts: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(SECONDS * RATE);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const n = number();
    const place = where[n % where.length]!;
    const body = JSON.stringify({ category: 'other', severity: 'low', title: `${titlePrefix}${n}`, location: [place.lon, place.lat], source: 'hotline' });
    const sentAt = now();
    step.sent.set(n, sentAt);
    posts.push(
      request(port, 'POST', '/api/incidents', {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'content-type': 'application/json',
        'idempotency-key': `bench-live-${run}-${n}`,
      }, body).then(
        (res) => {
          step.answers.push(now() - sentAt);
          if (res.status === 201) step.acked.add(n);
          else step.failures.set(String(res.status), (step.failures.get(String(res.status)) ?? 0) + 1);
        },
        (err: unknown) => void step.failures.set(String(err), (step.failures.get(String(err)) ?? 0) + 1),
      ),
    );
  }
  await Promise.all(posts);
  step.seconds = Math.max(SECONDS, (performance.now() - started) / 1000);
  return step;
}

/** Collects the clients' receipts until every acknowledged incident reached every client, or DRAIN_MS passed. */
async function waitForDeliveries(expected: number, ask: (c: ClientCommand) => Promise<ClientReply>, step: Step): Promise<void> {
  const until = performance.now() + DRAIN_MS;
  let delivered = 0;
  for (;;) {
    const reply = await ask({ cmd: 'collect' });
    for (const receipt of 'receipts' in reply ? reply.receipts : []) {
      step.receipts.push(receipt);
      if (step.acked.has(receipt[0])) delivered++;
    }
    if (delivered >= expected || performance.now() > until) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
