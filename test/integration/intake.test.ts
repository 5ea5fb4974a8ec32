import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail } from '../../server/incidents/repository.js';
import { boundaryCase, interiorPoints, type LonLat } from '../support/grid-points.js';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Intake (POST /api/incidents, docs/live-and-dispatch.md): where an incident lands is
// computed here from the grids themselves, the deadline from incident_deadlines, and every
// refusal leaves the incidents table as it was. Each test files its own incidents with
// keys of its own, so the file can run again on the same database.

interface Filed {
  incident: IncidentDetail;
  replayed: boolean;
}

const newKey = () => `intake-${randomUUID()}`;

const report = (location: LonLat, extra: Record<string, unknown> = {}) => ({
  category: 'dispute',
  severity: 'medium',
  title: '楼道堆物纠纷（受理测试）',
  location,
  source: 'hotline',
  ...extra,
});

/** What INTAKE_BOUNDARY_M is by default: another grid this close flags "boundary". */
const BOUNDARY_M = 5;

describe('incident intake', () => {
  let server: TestServer;
  const sessions = new Map<string, ApiSession>();
  const as = (username: string) => sessions.get(username)!;
  let village: number;
  let village2: number;

  /** `key` null: without an Idempotency-Key header. */
  const file = (username: string, body: unknown, key: string | null = newKey()) =>
    as(username).send('POST', '/api/incidents', body, { headers: key === null ? {} : { 'Idempotency-Key': key } });

  const filed = async (response: Response, status = 201): Promise<IncidentDetail> => {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return (JSON.parse(text) as Filed).incident;
  };

  const countIncidents = async () => (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents')).rows[0]!.n;

  /** Runs `request` and asserts that it stored no incident. */
  const storesNothing = async (request: () => Promise<Response>): Promise<Response> => {
    const before = await countIncidents();
    const response = await request();
    expect(await countIncidents()).toBe(before);
    return response;
  };

  beforeAll(async () => {
    server = await startTestServer();
    for (const username of ['operator.village', 'operator.district']) sessions.set(username, await signIn(server.baseUrl, username));
    const { rows } = await server.db.query<{ village: number; village2: number }>(
      `SELECT (SELECT center_id FROM users WHERE username = 'operator.village') AS village,
              (SELECT center_id FROM users WHERE username = 'operator.village2') AS village2`,
    );
    ({ village, village2 } = rows[0]!);
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('attribution', () => {
    it('when a point lies well inside a level-3 grid, then the incident gets that grid, its center, its grid chain, specialist grids and leaders', async () => {
      const [point] = await interiorPoints(server.db, village);
      const { rows } = await server.db.query<{ l1: number; l2: number; l3: number; center_id: number }>(
        'SELECT g2.parent_id AS l1, g2.id AS l2, g3.id AS l3, g3.center_id FROM grids AS g3 JOIN grids AS g2 ON g2.id = g3.parent_id WHERE g3.id = $1',
        [point!.gridId],
      );
      const chain = rows[0]!;
      const leaders = await server.db.query<{ grid_id: number; staff_id: number; name: string }>(
        `SELECT gs.grid_id, s.id AS staff_id, s.name FROM grid_staff AS gs JOIN staff AS s ON s.id = gs.staff_id
         WHERE gs.duty = 'leader' AND gs.grid_id = ANY($1::bigint[])`,
        [[chain.l1, chain.l2, chain.l3]],
      );
      const specialist = await server.db.query<{ department: string; grid_id: number }>(
        `SELECT DISTINCT ON (department) department, id AS grid_id FROM grids
         WHERE kind = 'specialist' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
         ORDER BY department, level DESC, id`,
        point!.location,
      );

      const incident = await filed(await file('operator.village', report(point!.location)));

      expect(incident).toMatchObject({
        status: 'received',
        gridId: chain.l3,
        grid: { id: chain.l3, level: 3 },
        centerId: chain.center_id,
        center: { id: chain.center_id },
        boundaryFlag: false,
        outsideFlag: false,
        location: point!.location,
      });
      expect(incident.attribution!.grids).toEqual([chain.l1, chain.l2, chain.l3]);
      // Leaders from level 3 up.
      const expectedLeaders = [chain.l3, chain.l2, chain.l1].flatMap((gridId) =>
        leaders.rows.filter((l) => l.grid_id === gridId).map((l) => ({ gridId, staffId: l.staff_id, name: l.name })),
      );
      expect(expectedLeaders.length).toBeGreaterThan(0);
      expect(incident.attribution!.leaders).toEqual(expectedLeaders);
      expect(incident.attribution!.specialist).toEqual(specialist.rows.map((s) => ({ department: s.department, gridId: s.grid_id })));
    });

    it('when a point lies on the boundary two grids share, then it goes to the lower grid id, flagged', async () => {
      const edge = await boundaryCase(server.db, village, village, true);
      const incident = await filed(await file('operator.village', report(edge.vertex)));
      expect(incident).toMatchObject({ gridId: Math.min(edge.gridId, edge.neighbourId), boundaryFlag: true, outsideFlag: false });
    });

    it(`when a point lies 2 m inside a grid, then it goes to that grid, flagged (another grid within ${BOUNDARY_M} m)`, async () => {
      const edge = await boundaryCase(server.db, village, village, true);
      const incident = await filed(await file('operator.village', report(edge.near)));
      expect(incident).toMatchObject({ gridId: edge.gridId, boundaryFlag: true });
    });

    it('when a point lies 50 m inside a grid, then it goes to that grid, not flagged', async () => {
      const edge = await boundaryCase(server.db, village, village, true);
      const incident = await filed(await file('operator.village', report(edge.far)));
      expect(incident).toMatchObject({ gridId: edge.gridId, boundaryFlag: false });
    });

    it('when a point lies outside every grid, then intake refuses it with 422 outside-grids and stores nothing', async () => {
      const outside = await pointOutsideEveryGrid();
      const response = await storesNothing(() => file('operator.district', report(outside)));
      await expectProblem(response, 422, PROBLEM('outside-grids'));
    });

    it('when INTAKE_OUTSIDE=nearest and a point lies outside every grid, then it is stored in the nearest level-3 grid, flagged outside', async () => {
      const outside = await pointOutsideEveryGrid();
      const { rows } = await server.db.query<{ id: number; center_id: number }>(
        `SELECT id, center_id FROM grids WHERE kind = 'general' AND level = 3
         ORDER BY ST_Distance(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)), id LIMIT 1`,
        outside,
      );
      const nearest = rows[0]!;
      const lenient = await startTestServer({ INTAKE_OUTSIDE: 'nearest' });
      try {
        const operator = await signIn(lenient.baseUrl, 'operator.district');
        const response = await operator.send('POST', '/api/incidents', report(outside), { headers: { 'Idempotency-Key': newKey() } });
        const incident = await filed(response);
        expect(incident).toMatchObject({ gridId: nearest.id, centerId: nearest.center_id, outsideFlag: true, boundaryFlag: false, location: outside });
      } finally {
        await lenient.close();
      }
    });

    it("when a village operator reports a point in another village's grid, then 403 outside-jurisdiction and nothing is stored", async () => {
      const [elsewhere] = await interiorPoints(server.db, village2);
      const response = await storesNothing(() => file('operator.village', report(elsewhere!.location)));
      const problem = await expectProblem(response, 403, PROBLEM('outside-jurisdiction'));
      expect(problem).toMatchObject({ gridId: elsewhere!.gridId, centerId: village2 });
    });

    /** A point 0.05° east of the district's grids, in no grid. */
    async function pointOutsideEveryGrid(): Promise<LonLat> {
      const { rows } = await server.db.query<{ lon: number; lat: number; hits: number }>(
        `WITH e AS (SELECT ST_XMax(ST_Extent(geom)) + 0.05 AS lon, (ST_YMin(ST_Extent(geom)) + ST_YMax(ST_Extent(geom))) / 2 AS lat FROM grids)
         SELECT e.lon, e.lat, (SELECT count(*)::int FROM grids AS g WHERE ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(e.lon, e.lat), 4326))) AS hits
         FROM e`,
      );
      expect(rows[0]!.hits).toBe(0);
      return [rows[0]!.lon, rows[0]!.lat];
    }
  });

  describe('deadline, first step and number', () => {
    it.each([
      ['dispute', 'medium'],
      ['safety_hazard', 'critical'],
      ['livelihood', 'low'],
    ])('when a %s incident of severity %s is filed, then it is due its incident_deadlines hours after the report, received by the caller and numbered SJyyyymmdd-<id>', async (category, severity) => {
      const [point] = await interiorPoints(server.db, village);
      const incident = await filed(await file('operator.village', report(point!.location, { category, severity })));

      const { rows } = await server.db.query<{ hours: number }>('SELECT hours FROM incident_deadlines WHERE category = $1 AND severity = $2', [category, severity]);
      expect(Date.parse(incident.dueAt!) - Date.parse(incident.reportedAt)).toBe(rows[0]!.hours * 3_600_000);

      const operator = as('operator.village').session.user;
      const user = await server.db.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [operator.id]);
      const displayName = user.rows[0]!.display_name;
      expect(incident.timeline).toHaveLength(1);
      expect(incident.timeline[0]).toMatchObject({ type: 'receive', fromStatus: null, status: 'received', actor: displayName, center: { id: village } });
      const events = await server.db.query<{ action: string; actor_user_id: number; actor_name: string; to_status: string }>(
        'SELECT action, actor_user_id, actor_name, to_status FROM incident_events WHERE incident_id = $1',
        [incident.id],
      );
      expect(events.rows).toEqual([{ action: 'receive', actor_user_id: operator.id, actor_name: displayName, to_status: 'received' }]);

      // The day of the report in China (UTC+8), then the id.
      const chinaDay = new Date(Date.parse(incident.reportedAt) + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
      expect(incident.number).toMatch(/^SJ\d{8}-\d{8}$/);
      expect(incident.number).toBe(`SJ${chinaDay}-${String(incident.id).padStart(8, '0')}`);
    });
  });

  describe('idempotency', () => {
    const keyCount = async (key: string) =>
      (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE idempotency_key = $1', [key])).rows[0]!.n;

    it('when the same report is sent again with the same key, then 200 Idempotent-Replayed answers the first incident', async () => {
      const [point] = await interiorPoints(server.db, village);
      const key = newKey();
      const body = report(point!.location, { description: '重试测试', reporterPhone: '13800138000' });
      const first = await filed(await file('operator.village', body, key));

      // The same content with its members in another order is the same report.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const again = await storesNothing(() => file('operator.village', reordered, key));
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const replay = (await again.json()) as Filed;
      expect(again.status).toBe(200);
      expect(replay.replayed).toBe(true);
      expect(replay.incident.id).toBe(first.id);
      expect(replay.incident.number).toBe(first.number);
      expect(await keyCount(key)).toBe(1);
    });

    it('when the same key comes with other content, then 422 idempotency-conflict and nothing changes', async () => {
      const [point] = await interiorPoints(server.db, village);
      const key = newKey();
      const first = await filed(await file('operator.village', report(point!.location), key));
      const response = await storesNothing(() => file('operator.village', report(point!.location, { title: '另一件事' }), key));
      await expectProblem(response, 422, PROBLEM('idempotency-conflict'));
      const { rows } = await server.db.query<{ id: number; title: string }>('SELECT id, title FROM incidents WHERE idempotency_key = $1', [key]);
      expect(rows).toEqual([{ id: first.id, title: first.title }]);
    });

    it('when 20 posts with one key arrive at once, then one incident is stored: one 201, nineteen 200 replays, one id', async () => {
      const [point] = await interiorPoints(server.db, village);
      const key = newKey();
      const body = report(point!.location, { title: '并发重试测试' });
      const responses = await Promise.all(Array.from({ length: 20 }, () => file('operator.village', body, key)));
      const answers = await Promise.all(
        responses.map(async (r) => ({ status: r.status, replayed: r.headers.get('idempotent-replayed'), body: (await r.json()) as Filed })),
      );
      expect(answers.filter((a) => a.status === 201), JSON.stringify(answers.filter((a) => a.status >= 300))).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
      expect(answers.filter((a) => a.status === 200).every((a) => a.replayed === 'true' && a.body.replayed)).toBe(true);
      expect(new Set(answers.map((a) => a.body.incident.id)).size).toBe(1);
      expect(await keyCount(key)).toBe(1);
      const { rows } = await server.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM incident_events WHERE action = 'receive' AND incident_id = $1",
        [answers[0]!.body.incident.id],
      );
      expect(rows[0]!.n).toBe(1);
    });

    it.each([
      ['missing', null],
      ['shorter than 8 characters', 'abc1234'],
      ['longer than 100 characters', 'k'.repeat(101)],
      ['with characters outside [A-Za-z0-9_.:-]', 'key with spaces!'],
      ['empty', ''],
    ])('when the Idempotency-Key is %s, then 400 and nothing is stored', async (_what, key) => {
      const [point] = await interiorPoints(server.db, village);
      const response = await storesNothing(() => file('operator.village', report(point!.location), key));
      const problem = await expectProblem(response, 400, PROBLEM('invalid-params'));
      expect(problem['invalid-params']?.map((p) => p.name)).toContain('Idempotency-Key');
    });
  });

  describe('likely duplicates', () => {
    it('when a report of the same category arrives 30 m away, then it lists the first; another category or 500 m away does not', async () => {
      const { rows } = await server.db.query<{ origin: LonLat; near: LonLat; far: LonLat }>(
        // A point in the village with points 30 m and 500 m from it, on a bearing where both lie in the village's grids too.
        `WITH origin AS (
           SELECT g.id, ST_PointOnSurface(ST_Buffer(g.geom, -0.001)) AS p FROM grids AS g
           WHERE g.kind = 'general' AND g.level = 3 AND g.center_id = $1
         ), moved AS (
           SELECT o.id, o.p, b.bearing,
                  ST_Project(o.p::geography, 30, radians(b.bearing))::geometry AS near,
                  ST_Project(o.p::geography, 500, radians(b.bearing))::geometry AS far
           FROM origin AS o CROSS JOIN (VALUES (0), (90), (180), (270)) AS b (bearing)
           WHERE NOT ST_IsEmpty(o.p)
         )
         SELECT json_build_array(ST_X(p), ST_Y(p)) AS origin, json_build_array(ST_X(near), ST_Y(near)) AS near,
                json_build_array(ST_X(far), ST_Y(far)) AS far
         FROM moved
         WHERE EXISTS (SELECT 1 FROM grids AS g WHERE g.kind = 'general' AND g.level = 3 AND g.center_id = $1 AND ST_Intersects(g.geom, near))
           AND EXISTS (SELECT 1 FROM grids AS g WHERE g.kind = 'general' AND g.level = 3 AND g.center_id = $1 AND ST_Intersects(g.geom, far))
         ORDER BY id, bearing LIMIT 1`,
        [village],
      );
      const spots = rows[0]!;
      const category = 'city_management';
      const first = await filed(await file('operator.village', report(spots.origin, { category, title: '占道经营（原报）' })));

      const same = await filed(await file('operator.village', report(spots.near, { category, title: '占道经营（重复）' })));
      const listed = same.duplicates.find((d) => d.id === first.id);
      expect(listed).toMatchObject({ number: first.number, title: first.title, status: 'received', reportedAt: first.reportedAt });
      expect(listed!.distanceM).toBeGreaterThanOrEqual(29);
      expect(listed!.distanceM).toBeLessThanOrEqual(31);

      const other = await filed(await file('operator.village', report(spots.near, { category: 'public_order', title: '夜间噪音' })));
      expect(other.duplicates.map((d) => d.id)).not.toContain(first.id);
      const far = await filed(await file('operator.village', report(spots.far, { category, title: '占道经营（别处）' })));
      expect(far.duplicates.map((d) => d.id)).not.toContain(first.id);
    });
  });

  describe('bad input', () => {
    const inAFewDays = () => new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();

    // Each: what is wrong, how the valid report is changed, and the answer's status.
    const CASES: readonly [string, (body: Record<string, unknown>) => unknown, number][] = [
      ['category of the wrong type', (b) => ({ ...b, category: 5 }), 400],
      ['location not a pair of numbers', (b) => ({ ...b, location: 'here' }), 400],
      ['location with one number', (b) => ({ ...b, location: [106.6] }), 400],
      ['title of the wrong type', (b) => ({ ...b, title: ['x'] }), 400],
      ['longitude 181', (b) => ({ ...b, location: [181, 30.5] }), 400],
      ['latitude -91', (b) => ({ ...b, location: [106.6, -91] }), 400],
      ['occurredAt in the future', (b) => ({ ...b, occurredAt: inAFewDays() }), 400],
      ['occurredAt not a date', (b) => ({ ...b, occurredAt: 'yesterday' }), 400],
      ['unknown category', (b) => ({ ...b, category: 'alien_landing' }), 400],
      ['unknown severity', (b) => ({ ...b, severity: 'apocalyptic' }), 400],
      ['source open311 (it has its own endpoint)', (b) => ({ ...b, source: 'open311' }), 400],
      ['an extra field', (b) => ({ ...b, priority: 'urgent' }), 400],
      ['title too long', (b) => ({ ...b, title: '长'.repeat(201) }), 400],
      ['title blank', (b) => ({ ...b, title: '   ' }), 400],
      ['required field missing', ({ title: _title, ...rest }) => rest, 400],
      ['bad phone number', (b) => ({ ...b, reporterPhone: 'call me maybe' }), 400],
      ['bad ID number', (b) => ({ ...b, reporterIdNumber: '51012319900101123' }), 400],
      ['cameraId of the wrong type', (b) => ({ ...b, cameraId: 'CAM-1' }), 400],
      ['cameraId of no camera', (b) => ({ ...b, cameraId: 999_999_999, source: 'camera_alarm' }), 422],
      ['body an array', (b) => [b], 400],
    ];

    it.each(CASES)('when the report has %s, then 4xx problem+json and nothing is stored', async (_what, change, status) => {
      const [point] = await interiorPoints(server.db, village);
      const response = await storesNothing(() => file('operator.village', change(report(point!.location))));
      await expectProblem(response, status);
    });

    it("when the report names a camera of another village, then 422 and nothing is stored", async () => {
      const [point] = await interiorPoints(server.db, village);
      const { rows } = await server.db.query<{ id: number }>('SELECT id FROM cameras WHERE center_id = $1 ORDER BY id LIMIT 1', [village2]);
      const response = await storesNothing(() => file('operator.village', report(point!.location, { cameraId: rows[0]!.id, source: 'camera_alarm' })));
      await expectProblem(response, 422, PROBLEM('invalid-params'));
    });
  });
});
