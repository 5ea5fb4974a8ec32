import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLOSE_CODES, type LiveMessage } from '../../server/live/messages.js';
import { deleteExpired } from '../../server/live/repository.js';
import { liveUrl, openLive, refusedHandshake, type LiveSocket } from '../support/live.js';
import { PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { demoUser, signIn, type ApiSession } from '../support/session.js';

// The live stream (/ws/live) against the real server and database: changes written by
// the database's own triggers reach the clients whose jurisdiction covers them, in seq
// order; a reconnect with `after` gets exactly what it missed; the handshake is checked
// like any request. Changes are made through the server's own pool (`server.db`), where
// the embedded database delivers the notification too. Updates that set a column to
// itself fire the triggers without changing the demo data other tests read; what is added
// (one incident with its first step, a key area that has ended, a position older than
// its unit's latest) changes no view of the demo data.

type IncidentMessage = Extract<LiveMessage, { type: 'incident' }>;
/** Well beyond what Linux's loopback socket buffers hold (tcp_wmem and tcp_rmem maxima 4 + 6 MB by default) plus 1 MiB. */
const STALL_BYTES = 16 * 1024 * 1024;

let server: TestServer;
let district: ApiSession;
let village: ApiSession;
/** Incidents of the village operator's center and of the neighbouring village's. */
let ours: number[];
let theirs: number;
const open: LiveSocket[] = [];

const cookie = (s: ApiSession) => ({ cookie: s.cookie });
const connect = async (s: ApiSession, after?: number | string, headers: Record<string, string> = {}) => {
  const socket = await openLive(liveUrl(server.baseUrl, after), { ...cookie(s), ...headers });
  open.push(socket);
  return socket;
};
/** Fires the incidents' triggers without changing them: one statement, one outbox row each. */
const touch = (ids: number[]) => server.db.query('UPDATE incidents SET title = title WHERE id = ANY ($1::bigint[])', [ids]);
const isIncident = (id: number) => (m: LiveMessage) => m.type === 'incident' && m.incident.id === id;
const newestSeq = async () => (await server.db.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM live_events')).rows[0]!.seq;

beforeAll(async () => {
  server = await startTestServer();
  [district, village] = await Promise.all([signIn(server.baseUrl, demoUser('operator', 'district')), signIn(server.baseUrl, demoUser('operator', 'village'))]);
  const neighbour = await signIn(server.baseUrl, 'operator.village2');
  const inCenter = async (center: number) =>
    (await server.db.query<{ id: number }>('SELECT id FROM incidents WHERE center_id = $1 ORDER BY id LIMIT 6', [center])).rows.map((r) => r.id);
  ours = await inCenter(village.session.user.center.id);
  const [neighbours] = await inCenter(neighbour.session.user.center.id);
  expect(ours.length).toBe(6);
  expect(neighbours).toBeDefined();
  theirs = neighbours!;
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await server?.close();
});

describe('live stream', () => {
  it('when an incident changes, then a connected client receives it, masked as the API shows it, with increasing seq', async () => {
    const client = await connect(district);
    const hello = await client.waitFor((m) => m.type === 'hello', 'hello');
    const [id] = ours as [number];
    const { rows } = await server.db.query<{ title: string }>('SELECT title FROM incidents WHERE id = $1', [id]);
    const title = rows[0]!.title;

    await server.db.query('UPDATE incidents SET title = $2 WHERE id = $1', [id, `${title}（实时）`]);
    const changed = await client.waitFor<IncidentMessage>((m) => isIncident(id)(m) && (m as IncidentMessage).incident.title.endsWith('（实时）'), 'the changed title');
    await server.db.query('UPDATE incidents SET title = $2 WHERE id = $1', [id, title]);
    const restored = await client.waitFor<IncidentMessage>((m) => isIncident(id)(m) && (m as IncidentMessage).incident.title === title, 'the restored title');

    expect(changed.seq).toBeGreaterThan(hello.seq);
    expect(restored.seq).toBeGreaterThan(changed.seq);
    // The summary the API answers: the detail is that summary and more.
    const detail = (await (await district.get(`/api/incidents/${id}`)).json()) as Record<string, unknown>;
    expect(detail).toMatchObject({ ...restored.incident });
    expect(Object.keys(restored.incident).every((key) => key in detail)).toBe(true);
  });

  it('when a patrol unit reports a position, then a client of its team’s jurisdiction receives it', async () => {
    const client = await connect(district);
    await client.waitFor((m) => m.type === 'hello', 'hello');
    // An hour before its latest report: streamed, but not the unit's latest position.
    const { rows } = await server.db.query<{ id: number; unit_id: number }>(
      `INSERT INTO patrol_positions (unit_id, reported_at, location, speed_kmh, heading)
       SELECT u.id, coalesce(u.last_reported_at, now()) - interval '1 hour', ST_SetSRID(ST_MakePoint(106.5, 29.5), 4326), 12.5, 90
       FROM patrol_units AS u ORDER BY u.id LIMIT 1
       RETURNING id, unit_id`,
    );
    const message = await client.waitFor<Extract<LiveMessage, { type: 'position' }>>((m) => m.type === 'position' && m.position.unitId === rows[0]!.unit_id, 'the position');
    expect(message.position).toMatchObject({ location: [106.5, 29.5], speedKmh: 12.5, heading: 90, callsign: expect.any(String) });
  });

  it('when a client reconnects with the last seq it saw, then it receives exactly the changes it missed, in order, then live ones', async () => {
    const first = await connect(village);
    await touch([ours[0]!]);
    const seen = await first.waitFor(isIncident(ours[0]!), 'the first change');
    await first.close();

    const missed = ours.slice(1, 5);
    for (const id of missed) await touch([id]);
    await touch([theirs]);
    const again = await connect(village, seen.seq);
    await again.waitFor(isIncident(missed.at(-1)!), 'the last missed change');
    await touch([ours[5]!]);
    const live = await again.waitFor(isIncident(ours[5]!), 'the live change');

    const received = again.messages.slice(again.messages.indexOf(again.messages.find((m) => m.type === 'hello')!) + 1);
    const { rows } = await server.db.query<{ seq: number }>(
      `SELECT seq FROM live_events
       WHERE seq > $1 AND seq <= $2
         AND (center_id IS NULL OR center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $3))
       ORDER BY seq`,
      [seen.seq, live.seq, village.session.user.center.id],
    );
    expect(again.messages[0]).toEqual({ type: 'hello', seq: seen.seq });
    expect(received.map((m) => m.seq)).toEqual(rows.map((r) => r.seq));
    expect(received.filter((m) => m.type === 'incident').map((m) => (m as IncidentMessage).incident.id)).toEqual([...missed, ours[5]]);
  });

  it('when changes commit while a reconnecting client is still catching up, then it receives every row once, in seq order', async () => {
    const first = await connect(district);
    const hello = await first.waitFor((m) => m.type === 'hello', 'hello');
    await first.close();
    // More than one page of catch-up (1000 rows), so live batches arrive in the middle of it.
    const { rows } = await server.db.query<{ id: number }>('SELECT id FROM incidents ORDER BY id DESC LIMIT 400');
    for (let i = 0; i < 3; i++) await touch(rows.map((r) => r.id));

    const again = await connect(district, hello.seq);
    await Promise.all(ours.map((id) => touch([id])));
    await touch([theirs]);
    const last = await newestSeq();
    await again.waitFor((m) => m.seq === last, 'the last change');

    const expected = await server.db.query<{ seq: number }>('SELECT seq FROM live_events WHERE seq > $1 AND seq <= $2 ORDER BY seq', [hello.seq, last]);
    expect(again.messages.slice(1).map((m) => m.seq)).toEqual(expected.rows.map((r) => r.seq));
  });

  it('when an incident is filed inside a key area and its first step recorded, then clients receive the incident (masked), the alert and the step', async () => {
    const client = await connect(village);
    await client.waitFor((m) => m.type === 'hello', 'hello');
    const number = `LIVE-${Date.now().toString(36).toUpperCase()}`;
    const id = await server.db.tx(async (q) => {
      // A key area around a grid's label point that ends a second after this transaction began.
      const { rows } = await q.query<{ id: number }>(
        `WITH grid AS (
           SELECT id, center_id, label_point FROM grids
           WHERE kind = 'general' AND level = 3 AND center_id = $2 AND label_point IS NOT NULL ORDER BY id LIMIT 1
         ), area AS (
           INSERT INTO geofences (name, kind, geom, starts_at, ends_at, center_id)
           SELECT '实时测试区域', 'event', ST_Multi(ST_Buffer(label_point::geography, 50)::geometry), now() - interval '1 hour', now() + interval '1 second', center_id
           FROM grid
         )
         INSERT INTO incidents (number, category, severity, title, location, source, grid_id, center_id, occurred_at,
                                reporter_name, reporter_phone, reporter_id_number)
         SELECT $1, 'dispute', 'high', '实时推送测试', label_point, 'hotline', id, center_id, now(), '张三丰', '13812345678', '510123199001011234'
         FROM grid
         RETURNING id`,
        [number, village.session.user.center.id],
      );
      const incident = rows[0]!.id;
      await q.query(
        `INSERT INTO incident_events (incident_id, action, to_status, actor_name, center_id, note)
         VALUES ($1, 'receive', 'received', '实时测试', $2, '来电 13812345678')`,
        [incident, village.session.user.center.id],
      );
      return incident;
    });

    const incident = await client.waitFor<IncidentMessage>(isIncident(id), 'the incident');
    // The spot may lie in a demo key area too: this test's own area raises its own alert.
    const alert = await client.waitFor<Extract<LiveMessage, { type: 'alert' }>>(
      (m) => m.type === 'alert' && m.alert.incidentId === id && m.alert.name === '实时测试区域',
      'the alert',
    );
    const step = await client.waitFor<Extract<LiveMessage, { type: 'step' }>>((m) => m.type === 'step' && m.incidentId === id, 'the step');
    expect(incident.incident).toMatchObject({ number, reporterName: '张**', reporterPhone: '138****5678', reporterIdNumber: '510123********1234' });
    expect(alert.alert).toMatchObject({ name: '实时测试区域', kind: 'event', incidentNumber: number, geofenceId: expect.any(Number) });
    expect(step.step).toMatchObject({ type: 'receive', status: 'received', actor: '实时测试', note: '来电 138****5678', center: { id: village.session.user.center.id } });
  });

  it('when incidents of two villages change, then the village operator receives only its own and the district operator both', async () => {
    const [districtClient, villageClient] = await Promise.all([connect(district), connect(village)]);
    await Promise.all([districtClient, villageClient].map((c) => c.waitFor((m) => m.type === 'hello', 'hello')));
    await touch([theirs]);
    await touch([ours[1]!]);

    const neighbours = await districtClient.waitFor(isIncident(theirs), 'the neighbour’s change');
    const own = await districtClient.waitFor(isIncident(ours[1]!), 'the village’s change');
    expect(own.seq).toBeGreaterThan(neighbours.seq);
    // In seq order: once the later change has arrived, the earlier one would have too.
    await villageClient.waitFor(isIncident(ours[1]!), 'the village’s change');
    expect(villageClient.messages.some(isIncident(theirs))).toBe(false);
  });

  it('when one statement changes more than 500 incidents, then clients receive one resync instead', async () => {
    const client = await connect(district);
    const hello = await client.waitFor((m) => m.type === 'hello', 'hello');
    await server.db.query('UPDATE incidents SET title = title WHERE id IN (SELECT id FROM incidents ORDER BY id LIMIT 501)');
    const resync = await client.waitFor((m) => m.type === 'resync', 'resync');
    expect(resync).toEqual({ type: 'resync', seq: expect.any(Number), reason: 'bulk' });
    expect(resync.seq).toBeGreaterThan(hello.seq);
    expect(client.messages.filter((m) => m.type === 'incident')).toEqual([]);
  });

  it('when a client reconnects more than 2000 rows back, then it receives hello and a resync (behind) and continues live', async () => {
    const before = await newestSeq();
    const { rows } = await server.db.query<{ id: number }>('SELECT id FROM incidents ORDER BY id LIMIT 500');
    const ids = rows.map((r) => r.id);
    for (let i = 0; i < 5; i++) await touch(ids);
    const client = await connect(district, before);
    const resync = await client.waitFor((m) => m.type === 'resync', 'resync');
    expect(client.messages[0]).toEqual({ type: 'hello', seq: before });
    expect(resync).toEqual({ type: 'resync', seq: await newestSeq(), reason: 'behind' });
    await touch([ours[2]!]);
    const live = await client.waitFor(isIncident(ours[2]!), 'the live change');
    expect(live.seq).toBeGreaterThan(resync.seq);
    expect(client.messages.filter((m) => m.type === 'incident')).toHaveLength(1);
  });

  it('when a client stops reading, then the server holds its messages past 1 MiB and, once it drains, sends one resync (behind) and continues live', async () => {
    const [slow, probe] = await Promise.all([connect(district), connect(district)]);
    await Promise.all([slow, probe].map((c) => c.waitFor((m) => m.type === 'hello', 'hello')));
    slow.ws.pause();
    const { rows } = await server.db.query<{ id: number }>('SELECT id FROM incidents ORDER BY id LIMIT 500');
    const ids = rows.map((r) => r.id);
    // The kernel's socket buffers take some megabytes before the server's queue grows at all.
    while (probe.bytes < STALL_BYTES) {
      await touch(ids);
      const last = await newestSeq();
      await probe.waitFor((m) => m.seq === last, 'the last change');
    }
    slow.ws.resume();
    const resync = await slow.waitFor((m) => m.type === 'resync', 'resync');
    const sentinel = ours[5]!;
    await touch([sentinel]);
    const live = await slow.waitFor((m) => isIncident(sentinel)(m) && m.seq > resync.seq, 'the live change');

    expect(resync).toMatchObject({ reason: 'behind' });
    const seqs = slow.messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs.slice(1)).size).toBe(seqs.length - 1);
    expect(slow.messages.filter((m) => m.type === 'resync')).toEqual([resync]);
    // Held back: what the probe received meanwhile is more than the slow client got before the resync.
    expect(slow.messages.indexOf(resync)).toBeLessThan(probe.messages.length);
    expect(slow.messages.at(-1)).toBe(live);
  });

  it('when `after` is older than what the outbox keeps, or newer than anything in it, then the client is told to resync (expired)', async () => {
    await touch([ours[3]!]);
    const kept = await newestSeq();
    // Rows up to `kept` a day and more old: the retention sweep deletes them (all but the newest).
    await server.db.query("UPDATE live_events SET at = at - interval '25 hours' WHERE seq < $1", [kept]);
    await deleteExpired(server.db, 24 * 3600);
    const oldest = (await server.db.query<{ seq: number }>('SELECT min(seq) AS seq FROM live_events')).rows[0]!.seq;
    expect(oldest).toBe(kept);

    const stale = await connect(district, kept - 2);
    expect(await stale.waitFor((m) => m.type === 'resync', 'resync')).toMatchObject({ reason: 'expired', seq: kept });
    const future = await connect(district, kept + 1_000_000);
    expect(await future.waitFor((m) => m.type === 'resync', 'resync')).toMatchObject({ reason: 'expired' });
    // Right at the edge nothing is missing: it catches up normally.
    const edge = await connect(district, kept - 1);
    await edge.waitFor(isIncident(ours[3]!), 'the kept row');
    expect(edge.messages.some((m) => m.type === 'resync')).toBe(false);
  });

  it('when a personal access token is sent as Bearer, then the stream opens', async () => {
    const created = (await (await district.send('POST', '/api/tokens', { name: 'live stream test', expiresInDays: 1 })).json()) as { token: string };
    const client = await openLive(liveUrl(server.baseUrl), { authorization: `Bearer ${created.token}` });
    open.push(client);
    await client.waitFor((m) => m.type === 'hello', 'hello');
  });

  it('when the session is signed out, then its open stream is closed at the next credential check', async () => {
    const session = await signIn(server.baseUrl, demoUser('analyst', 'district'));
    const client = await connect(session);
    await client.waitFor((m) => m.type === 'hello', 'hello');
    expect((await session.send('POST', '/api/auth/logout')).status).toBe(204);
    expect(await client.closed()).toBe(CLOSE_CODES.credentialsEnded);
  });
});

describe('live stream handshake', () => {
  it('when nobody is signed in, then it answers 401 with a problem document', async () => {
    const refused = await refusedHandshake(liveUrl(server.baseUrl));
    expect(refused.status).toBe(401);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 401, type: PROBLEM('unauthenticated'), instance: '/ws/live' });
  });

  it('when the page is of another site, then it answers 403; the server’s own origin is accepted', async () => {
    const refused = await refusedHandshake(liveUrl(server.baseUrl), { ...cookie(district), origin: 'http://evil.example' });
    expect(refused).toMatchObject({ status: 403, body: { type: PROBLEM('forbidden') } });
    const nullOrigin = await refusedHandshake(liveUrl(server.baseUrl), { ...cookie(district), origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const same = await connect(district, undefined, { origin: server.baseUrl });
    await same.waitFor((m) => m.type === 'hello', 'hello');
  });

  it('when the role may not read incidents, then it answers 403', async () => {
    const auditor = await signIn(server.baseUrl, demoUser('auditor', 'district'));
    const refused = await refusedHandshake(liveUrl(server.baseUrl), cookie(auditor));
    expect(refused).toMatchObject({ status: 403, body: { type: PROBLEM('forbidden'), action: 'incidents:read' } });
  });

  it.each(['-1', 'abc', '1.5', '', '1e3', '1&after=2'])('when after=%s, then it answers 400', async (after) => {
    const refused = await refusedHandshake(liveUrl(server.baseUrl, after), cookie(district));
    expect(refused).toMatchObject({ status: 400, body: { type: PROBLEM('invalid-params'), 'invalid-params': [{ name: 'after', in: 'query' }] } });
  });

  it('when the handshake itself is malformed, then it answers 400 with a problem document', async () => {
    const { port } = new URL(server.baseUrl);
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/ws/live',
        headers: { ...cookie(district), connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'not a key' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, detail: expect.stringContaining('Sec-WebSocket-Key') });
  });

  it('when another path under /ws is asked for, then it answers 404', async () => {
    const refused = await refusedHandshake(`${server.baseUrl.replace(/^http/, 'ws')}/ws/other`, cookie(district));
    expect(refused).toMatchObject({ status: 404, body: { status: 404 } });
  });
});

describe.skipIf(inject('databaseMode') === 'embedded')('live stream across server processes', () => {
  let other: ChildProcess | undefined;

  afterAll(async () => {
    if (other && other.exitCode === null) {
      other.kill('SIGTERM');
      await once(other, 'exit');
    }
  });

  it('when an incident is filed through either of two server processes, then clients of both receive it', async () => {
    const started = await startServerProcess();
    other = started.child;
    const here = await connect(district);
    const there = await openLive(liveUrl(started.baseUrl), cookie(district));
    open.push(there);
    await Promise.all([here.waitFor((m) => m.type === 'hello', 'hello here'), there.waitFor((m) => m.type === 'hello', 'hello there')]);
    const { rows } = await server.db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE kind = 'general' AND level = 3 AND label_point IS NOT NULL ORDER BY id LIMIT 1",
    );
    const file = async (baseUrl: string, title: string) => {
      const response = await fetch(`${baseUrl}/api/incidents`, {
        method: 'POST',
        headers: { ...cookie(district), 'x-csrf-token': district.csrfToken, 'content-type': 'application/json', 'idempotency-key': `live-processes-${Date.now()}-${title.length}` },
        body: JSON.stringify({ category: 'other', severity: 'low', title, location: [rows[0]!.lon, rows[0]!.lat], source: 'hotline' }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as { incident: { id: number } }).incident.id;
    };
    const throughThis = await file(server.baseUrl, '跨进程推送（本进程受理）');
    const throughOther = await file(started.baseUrl, '跨进程推送（另一进程受理的事件）');
    for (const [client, where] of [[here, 'this process'], [there, 'the other process']] as const) {
      await client.waitFor(isIncident(throughThis), `the incident filed here, at a client of ${where}`);
      await client.waitFor(isIncident(throughOther), `the incident filed there, at a client of ${where}`);
    }
  });
});

/** `npm start` in a child process on the tests' database, on a free port. */
async function startServerProcess(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      HOST: '127.0.0.1',
      PORT: '0',
      SEED_DEMO: 'never',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      OVERDUE_SWEEP_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; port?: number };
    if (entry.port !== undefined && entry.msg?.startsWith('Pingan Map listening')) {
      lines.removeAllListeners();
      child.stdout!.resume();
      return { child, baseUrl: `http://127.0.0.1:${entry.port}` };
    }
  }
  throw new Error(`the server process exited (${child.exitCode}) before it listened`);
}
