import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Patrol units' position reports (POST /api/patrols/units/:id/positions): stored in one
// go, the unit's latest position and the live outbox follow, a retry stores nothing
// twice, and only the roles and jurisdictions that may report get through. Each test
// reports for a unit of its own, at instants of its own in the last hour.

interface Units {
  /** Units of the district's teams, one per test that writes. */
  district: number[];
  /** A unit of operator.village's own village. */
  ownVillage: number;
  /** A unit of another village's team: outside operator.village's jurisdiction. */
  otherVillage: number;
}

interface Answer {
  stored: number;
  unitId: number;
  last: { at: string; location: [number, number] };
}

const report = (at: Date, location: [number, number], extra: { speedKmh?: number; heading?: number } = {}) => ({ at: at.toISOString(), location, ...extra });

/** `count` instants `stepS` seconds apart, the last `agoS` seconds ago (to the millisecond, so a rerun has its own). */
const instants = (count: number, agoS: number, stepS = 10): Date[] => {
  const end = Date.now() - agoS * 1000;
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * stepS * 1000));
};

describe('patrol position reports', () => {
  let server: TestServer;
  let units: Units;
  const sessions = new Map<string, ApiSession>();
  const as = (username: string) => sessions.get(username)!;

  const post = (username: string, unitId: number, reports: unknown[]) => as(username).send('POST', `/api/patrols/units/${unitId}/positions`, { reports });

  beforeAll(async () => {
    server = await startTestServer();
    for (const username of ['operator.district', 'operator.village', 'worker.district', 'leader.district', 'analyst.district']) {
      sessions.set(username, await signIn(server.baseUrl, username));
    }
    const scopeOf = "(SELECT center_id FROM center_tree WHERE ancestor_id = (SELECT center_id FROM users WHERE username = 'operator.village'))";
    const { rows } = await server.db.query<{ district: number[]; own_village: number; other_village: number }>(
      `SELECT (SELECT array_agg(id::int ORDER BY id) FROM (SELECT id FROM patrol_units WHERE route_id IS NOT NULL ORDER BY id LIMIT 6) AS u) AS district,
              (SELECT u.id FROM patrol_units AS u JOIN patrol_teams AS t ON t.id = u.team_id
               WHERE t.center_id IN ${scopeOf} ORDER BY u.id LIMIT 1) AS own_village,
              (SELECT u.id FROM patrol_units AS u JOIN patrol_teams AS t ON t.id = u.team_id JOIN centers AS c ON c.id = t.center_id
               WHERE c.level = 'village' AND t.center_id NOT IN ${scopeOf} ORDER BY u.id LIMIT 1) AS other_village`,
    );
    const r = rows[0]!;
    units = { district: r.district, ownVillage: r.own_village, otherVillage: r.other_village };
    expect(units.district).toHaveLength(6);
    expect(units.ownVillage).toEqual(expect.any(Number));
    expect(units.otherVillage).toEqual(expect.any(Number));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when an operator posts three reports, then all are stored, the unit is where the newest says, and the map and the live outbox show it', async () => {
    const unitId = units.district[0]!;
    const [t1, t2, t3] = instants(3, 2);
    const reports = [
      // Out of order on purpose: the newest decides, not the last in the list.
      report(t3!, [106.61, 30.451], { speedKmh: 24.5, heading: 90 }),
      report(t1!, [106.609, 30.451], { speedKmh: 25 }),
      report(t2!, [106.6095, 30.451]),
    ];
    const { rows: [mark] } = await server.db.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM live_events');

    const response = await post('operator.district', unitId, reports);
    expect(response.status, await response.clone().text()).toBe(201);
    expect((await response.json()) as Answer).toEqual({ stored: 3, unitId, last: { at: t3!.toISOString(), location: [106.61, 30.451] } });

    const { rows: [unit] } = await server.db.query<{ lon: number; lat: number; at: Date; speed: number; heading: number }>(
      `SELECT ST_X(last_location) AS lon, ST_Y(last_location) AS lat, last_reported_at AS at, last_speed_kmh AS speed, last_heading AS heading
       FROM patrol_units WHERE id = $1`,
      [unitId],
    );
    expect(unit).toEqual({ lon: 106.61, lat: 30.451, at: t3, speed: 24.5, heading: 90 });

    const positions = (await (await as('operator.district').get('/api/patrols/positions')).json()) as {
      features: { geometry: { coordinates: number[] }; properties: { unit_id: number; reported_at: string; speed_kmh: number } }[];
    };
    const shown = positions.features.find((f) => f.properties.unit_id === unitId)!;
    expect(shown.geometry.coordinates).toEqual([106.61, 30.451]);
    expect(new Date(shown.properties.reported_at)).toEqual(t3);

    const { rows: events } = await server.db.query<{ center_id: number; reported_at: Date }>(
      `SELECT e.center_id, p.reported_at FROM live_events AS e JOIN patrol_positions AS p ON p.id = e.ref_id
       WHERE e.seq > $1 AND e.kind = 'position' AND p.unit_id = $2 ORDER BY e.seq`,
      [mark!.seq, unitId],
    );
    const { rows: [team] } = await server.db.query<{ center_id: number }>(
      'SELECT t.center_id FROM patrol_units AS u JOIN patrol_teams AS t ON t.id = u.team_id WHERE u.id = $1',
      [unitId],
    );
    expect(events.map((e) => e.reported_at)).toEqual([t1, t2, t3]);
    expect(events.every((e) => e.center_id === team!.center_id)).toBe(true);
  });

  it('when the same reports are posted again, one by one or all at once, then none is stored twice', async () => {
    const unitId = units.district[1]!;
    const reports = instants(3, 300).map((at, i) => report(at, [106.62 + i * 0.0005, 30.46]));
    expect(((await (await post('operator.district', unitId, reports)).json()) as Answer).stored).toBe(3);

    const retry = await post('operator.district', unitId, reports);
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as Answer).stored).toBe(0);

    // Five devices' retries at once, with one new report among the old: it is stored once.
    const [fresh] = instants(1, 200);
    const batch = [...reports, report(fresh!, [106.63, 30.46])];
    const retries = Array.from({ length: 5 }, () => () => post('operator.district', unitId, batch));
    const answers = await Promise.all(retries.map((send) => send()));
    const texts = await Promise.all(answers.map((a) => a.text()));
    expect(answers.map((a) => a.status), texts.join('\n')).toEqual([201, 201, 201, 201, 201]);
    const stored = texts.map((text) => (JSON.parse(text) as Answer).stored);
    expect(stored.reduce((sum, n) => sum + n, 0)).toBe(1);

    const { rows } = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM patrol_positions WHERE unit_id = $1 AND reported_at = ANY($2::timestamptz[])',
      [unitId, batch.map((r) => r.at)],
    );
    expect(rows[0]!.n).toBe(4);
  });

  it('when an older report arrives after a newer one, then it is stored but the unit stays where the newer one put it', async () => {
    const unitId = units.district[2]!;
    const [older, newer] = instants(2, 1, 60);
    await post('operator.district', unitId, [report(newer!, [106.64, 30.47])]);
    const answer = (await (await post('operator.district', unitId, [report(older!, [106.639, 30.47])])).json()) as Answer;
    expect(answer).toEqual({ stored: 1, unitId, last: { at: newer!.toISOString(), location: [106.64, 30.47] } });
  });

  it('when a grid worker reports, then it is stored; leaders and analysts may not report (403)', async () => {
    const unitId = units.district[3]!;
    const [at] = instants(1, 500);
    const ok = await post('worker.district', unitId, [report(at!, [106.65, 30.48])]);
    expect(ok.status, await ok.clone().text()).toBe(201);
    for (const username of ['leader.district', 'analyst.district']) {
      await expectProblem(await post(username, unitId, [report(at!, [106.65, 30.48])]), 403, PROBLEM('forbidden'));
    }
  });

  it("when a village operator reports for its own village's unit, then it is stored; for another village's unit the answer is 404, audited, and nothing is stored", async () => {
    const [at] = instants(1, 600);
    const own = await post('operator.village', units.ownVillage, [report(at!, [106.66, 30.49])]);
    expect(own.status, await own.clone().text()).toBe(201);

    const { rows: [mark] } = await server.db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM audit_log');
    await expectProblem(await post('operator.village', units.otherVillage, [report(at!, [106.66, 30.49])]), 404);
    const { rows: stored } = await server.db.query('SELECT 1 FROM patrol_positions WHERE unit_id = $1 AND reported_at = $2', [units.otherVillage, at]);
    expect(stored).toEqual([]);
    const { rows: audit } = await server.db.query<{ action: string; outcome: string; object_id: string }>(
      "SELECT action, outcome, object_id FROM audit_log WHERE id > $1 AND username = 'operator.village'",
      [mark!.id],
    );
    expect(audit).toEqual([{ action: 'patrol.positions', outcome: 'failure', object_id: String(units.otherVillage) }]);
  });

  it('when reports are stored, then no audit entry is written for them (patrol_positions is their record)', async () => {
    const unitId = units.district[4]!;
    const { rows: [mark] } = await server.db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM audit_log');
    expect((await post('operator.district', unitId, instants(2, 700).map((at) => report(at, [106.67, 30.5])))).status).toBe(201);
    const { rows } = await server.db.query("SELECT 1 FROM audit_log WHERE id > $1 AND action = 'patrol.positions'", [mark!.id]);
    expect(rows).toEqual([]);
  });

  it('when a report is more than 2 minutes ahead or more than a day old, then the batch is refused (400) and nothing is stored', async () => {
    const unitId = units.district[5]!;
    const [now] = instants(1, 0);
    const cases = [
      [new Date(now!.getTime() + 5 * 60_000), 'reports.1.at'],
      [new Date(now!.getTime() - 25 * 3_600_000), 'reports.1.at'],
    ] as const;
    for (const [at, param] of cases) {
      const problem = await expectProblem(await post('operator.district', unitId, [report(now!, [106.68, 30.5]), report(at, [106.68, 30.5])]), 400, PROBLEM('invalid-params'));
      expect(problem['invalid-params']!.map((p) => p.name)).toEqual([param]);
    }
    const { rows } = await server.db.query('SELECT 1 FROM patrol_positions WHERE unit_id = $1 AND reported_at = $2', [unitId, now]);
    expect(rows).toEqual([]);

    // A device clock a minute fast is fine.
    const ahead = await post('operator.district', unitId, [report(new Date(now!.getTime() + 60_000), [106.68, 30.5])]);
    expect(ahead.status, await ahead.clone().text()).toBe(201);
  });
});
