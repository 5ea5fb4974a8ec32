import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CATEGORIES } from '../../server/incidents/enums.js';
import { interiorPoints, type InteriorPoint } from '../support/grid-points.js';
import { expectProblem } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Intake while the database drops every connection (a failover, an administrator's
// pg_terminate_backend, a crashed backend): a client that retries with the same
// Idempotency-Key until it is answered gets every report stored exactly once, and what it
// sees meanwhile is 503 problem+json, never a 500. Only this database's backends are cut
// (the PostgreSQL server is shared); the embedded database has one backend and no
// pg_terminate_backend, so the file runs against a real PostgreSQL only.

const SUBMISSIONS = 300;
const CONCURRENCY = 4;
/** Acknowledged reports after which every connection is cut. */
const OUTAGES_AFTER = [75, 150, 225];
const MAX_ATTEMPTS = 100;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(inject('databaseMode') === 'embedded')('intake while database connections are cut', () => {
  let server: TestServer;
  let operator: ApiSession;
  let points: InteriorPoint[];
  /** The test's own connection, outside the server's pool: it cuts the others. */
  let admin: pg.Client;

  const report = (i: number) => ({
    category: CATEGORIES[i % CATEGORIES.length],
    severity: 'medium',
    title: `断线重试测试 ${i}`,
    location: points[i % points.length]!.location,
    source: 'grid_app',
  });

  const post = (key: string, body: unknown) => operator.send('POST', '/api/incidents', body, { headers: { 'Idempotency-Key': key } });

  /** Ends every other session of this database (the server's pool); answers how many. */
  const cutConnections = async (): Promise<number> =>
    (
      await admin.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      )
    ).rows[0]!.n;

  const storedWithKey = async (key: string) =>
    (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE idempotency_key = $1', [key])).rows[0]!.n;

  beforeAll(async () => {
    // Hundreds of reports a minute from one account: a load test, not a person.
    server = await startTestServer({ WRITE_RATE_LIMIT: '100000' });
    operator = await signIn(server.baseUrl, 'operator.village');
    admin = new pg.Client({ connectionString: inject('databaseUrl') });
    await admin.connect();
    points = await interiorPoints(server.db, operator.session.user.center.id);
  });

  afterAll(async () => {
    await admin?.end();
    await server?.close();
  });

  it('when the connection drops while an intake waits inside its transaction, then 503 problem+json, nothing stored, and the retry stores it once', async () => {
    const key = `fault-${randomUUID()}`;
    const body = report(0);
    // Hold the intake lock so the request stops inside its transaction, then cut its connection.
    await admin.query('BEGIN');
    let answered: Promise<Response> | undefined;
    try {
      await admin.query('SELECT pingan_live_lock()');
      answered = post(key, body);
      let waiting = 0;
      for (let poll = 0; poll < 600 && waiting === 0; poll++) {
        await pause(50);
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        waiting = rows[0]!.n;
      }
      expect(waiting, 'the intake waiting for the lock').toBe(1);
      expect(await cutConnections()).toBeGreaterThan(0);
    } finally {
      await admin.query('ROLLBACK');
    }
    const problem = await expectProblem(await answered!, 503);
    expect(problem.title).toBe('Database unavailable');
    expect(await storedWithKey(key)).toBe(0);

    const retried = await post(key, body);
    expect(retried.status, await retried.clone().text()).toBe(201);
    expect(await storedWithKey(key)).toBe(1);
  });

  it(`when every connection is cut ${OUTAGES_AFTER.length} times during ${SUBMISSIONS} reports, then each acknowledged report is stored exactly once and the outages answer 503`, async () => {
    const run = randomUUID().slice(0, 8);
    const keyOf = (i: number) => `fault-${run}-${i}`;
    const acknowledged = new Map<string, number>();
    const unavailable: { status: number; contentType: string | null; body: string }[] = [];
    let networkErrors = 0;
    let replays = 0;
    let next = 0;
    let finished = false;

    const submit = async (i: number) => {
      const body = report(i);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        let response: Response;
        try {
          response = await post(keyOf(i), body);
        } catch {
          networkErrors++;
          await pause(50);
          continue;
        }
        if (response.status === 201 || response.status === 200) {
          // A 200 replay: an earlier attempt committed but its answer was lost with the connection.
          if (response.status === 200) replays++;
          acknowledged.set(keyOf(i), ((await response.json()) as { incident: { id: number } }).incident.id);
          return;
        }
        const text = await response.text();
        if (response.status < 500) throw new Error(`report ${i} answered ${response.status}: ${text}`);
        unavailable.push({ status: response.status, contentType: response.headers.get('content-type'), body: text });
        await pause(50);
      }
      throw new Error(`report ${i} was not acknowledged after ${MAX_ATTEMPTS} attempts`);
    };

    const client = async () => {
      while (next < SUBMISSIONS) await submit(next++);
    };

    const cuts: number[] = [];
    const outages = async () => {
      for (const after of OUTAGES_AFTER) {
        while (!finished && acknowledged.size < after) await pause(10);
        if (finished) return;
        cuts.push(await cutConnections());
      }
    };

    try {
      await Promise.all([...Array.from({ length: CONCURRENCY }, client), outages()]);
    } finally {
      finished = true;
    }

    const { rows } = await admin.query<{ key: string; id: number; receives: number }>(
      `SELECT i.idempotency_key AS key, i.id,
              (SELECT count(*)::int FROM incident_events AS e WHERE e.incident_id = i.id AND e.action = 'receive') AS receives
       FROM incidents AS i WHERE i.idempotency_key LIKE $1`,
      [`fault-${run}-%`],
    );
    const stored = new Map(rows.map((r) => [r.key, r.id]));
    const duplicated = rows.length - stored.size + rows.filter((r) => r.receives !== 1).length;
    const lost = [...acknowledged.keys()].filter((key) => !stored.has(key)).length;
    console.log(
      `submitted ${SUBMISSIONS} / stored ${rows.length} / duplicated ${duplicated} / lost ${lost}` +
        ` (connections cut ${cuts.join(', ')}; answers 503: ${unavailable.length}; replays: ${replays}; network errors: ${networkErrors})`,
    );

    expect(cuts).toHaveLength(OUTAGES_AFTER.length);
    expect(cuts.every((n) => n > 0)).toBe(true);
    expect(acknowledged.size).toBe(SUBMISSIONS);
    expect(rows).toHaveLength(SUBMISSIONS);
    expect(duplicated).toBe(0);
    expect(lost).toBe(0);
    // Each key answers the incident stored under it, whichever attempt was acknowledged.
    for (const [key, id] of acknowledged) expect(stored.get(key), key).toBe(id);
    for (const failure of unavailable) {
      expect(failure.status, failure.body).toBe(503);
      expect(failure.contentType).toMatch(/^application\/problem\+json/);
    }
  });
});
