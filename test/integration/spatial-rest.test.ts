import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// The REST reads of grids, cameras, patrols and incidents, each compared with the same
// question asked of PostGIS directly.

interface Feature<P = Record<string, unknown>> {
  type: 'Feature';
  id: number;
  geometry: { type: string; coordinates: unknown };
  properties: P;
}
interface Collection<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<P>[];
  next?: number | null;
}

/** A box around the first town's center: part of the district, not all of it. */
const BBOX = [106.6, 30.45, 106.66, 30.5] as const;

describe('spatial REST reads', () => {
  let server: TestServer;
  let district: ApiSession;
  let village: ApiSession;
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const json = async <T>(s: ApiSession, path: string): Promise<T> => {
    const response = await s.get(path);
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, 'operator.district');
    village = await signIn(server.baseUrl, 'operator.village');
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('grids', () => {
    it('when grids are filtered by parent, bbox and text, then the answer is the grids PostGIS selects', async () => {
      const [parent] = await sql<{ id: number }>(`SELECT id FROM grids WHERE level = 2 ORDER BY code LIMIT 1`);
      const children = await json<Collection<{ parent_id: number }>>(district, `/api/grids?parent=${parent!.id}`);
      const expected = await sql<{ id: number }>('SELECT id FROM grids WHERE parent_id = $1 ORDER BY id', [parent!.id]);
      expect(children.features.map((f) => f.id).sort((a, b) => a - b)).toEqual(expected.map((r) => r.id));

      const boxed = await json<Collection>(district, `/api/grids?level=3&bbox=${BBOX.join(',')}`);
      const inBox = await sql<{ id: number }>(
        `SELECT id FROM grids WHERE level = 3 AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY id`,
        [...BBOX],
      );
      expect(inBox.length).toBeGreaterThan(0);
      expect(boxed.features.map((f) => f.id).sort((a, b) => a - b)).toEqual(inBox.map((r) => r.id));

      const [{ name }] = (await sql<{ name: string }>(`SELECT name FROM grids WHERE level = 1 ORDER BY code LIMIT 1`)) as [{ name: string }];
      const named = await json<Collection<{ name: string }>>(district, `/api/grids?q=${encodeURIComponent(name)}`);
      expect(named.features.length).toBeGreaterThan(0);
      for (const f of named.features) expect(f.properties.name).toContain(name);
    });

    it("when a text filter carries SQL or pattern characters, then it matches them literally and changes nothing", async () => {
      for (const q of ["' OR 1=1 --", '%', '_', '\\']) {
        const body = await json<Collection>(district, `/api/grids?q=${encodeURIComponent(q)}`);
        expect(body.features).toEqual([]);
      }
      expect((await sql<{ n: number }>('SELECT count(*)::int AS n FROM grids'))[0]!.n).toBe(375);
    });

    it('when a level-3 grid is opened, then its parents, staff and counts are those of the database', async () => {
      const [grid] = await sql<{ id: number; parent_id: number; top: number }>(
        `SELECT g.id, g.parent_id, p.parent_id AS top FROM grids g JOIN grids p ON p.id = g.parent_id
         WHERE g.level = 3 AND EXISTS (SELECT 1 FROM grid_staff WHERE grid_id = g.id) ORDER BY g.id LIMIT 1`,
      );
      const feature = await json<Feature<{
        level: number;
        parents: { id: number; level: number; in_scope: boolean }[];
        staff: { id: number; duty: string }[];
        cameras: number;
        open_incidents: { total: number; by_category: Record<string, number> };
      }>>(district, `/api/grids/${grid!.id}`);
      expect(feature.geometry.type).toMatch(/Polygon$/);
      expect(feature.properties.parents.map((p) => [p.id, p.level, p.in_scope])).toEqual([
        [grid!.top, 1, true],
        [grid!.parent_id, 2, true],
      ]);
      const staff = await sql<{ staff_id: number; duty: string }>(
        `SELECT gs.staff_id, gs.duty FROM grid_staff gs JOIN staff s ON s.id = gs.staff_id WHERE gs.grid_id = $1 AND s.active ORDER BY gs.staff_id`,
        [grid!.id],
      );
      expect(feature.properties.staff.map((s) => [s.id, s.duty]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(staff.map((s) => [s.staff_id, s.duty]));
      const [counts] = await sql<{ cameras: number; open: number }>(
        `SELECT (SELECT count(*)::int FROM cameras c WHERE ST_Intersects(c.location, g.geom)) AS cameras,
                (SELECT count(*)::int FROM incidents i WHERE i.status <> 'closed' AND ST_Intersects(i.location, g.geom)) AS open
         FROM grids g WHERE g.id = $1`,
        [grid!.id],
      );
      expect(feature.properties.cameras).toBe(counts!.cameras);
      expect(feature.properties.open_incidents.total).toBe(counts!.open);
      expect(Object.values(feature.properties.open_incidents.by_category).reduce((a, b) => a + b, 0)).toBe(counts!.open);
    });

    it("when a village user opens one of its level-3 grids, then the town's grid above is named but marked outside the jurisdiction", async () => {
      const [grid] = await sql<{ id: number }>(`SELECT id FROM grids WHERE level = 3 AND center_id = $1 ORDER BY id LIMIT 1`, [
        village.session.user.center.id,
      ]);
      const feature = await json<Feature<{ parents: { level: number; in_scope: boolean }[] }>>(village, `/api/grids/${grid!.id}`);
      expect(feature.properties.parents.map((p) => [p.level, p.in_scope])).toEqual([
        [1, false],
        [2, true],
      ]);
    });
  });

  describe('cameras', () => {
    it('when all cameras are paged through with next, then every camera of the district comes exactly once', async () => {
      const ids: number[] = [];
      let after: number | null | undefined;
      do {
        const page: Collection = await json<Collection>(district, `/api/cameras?limit=1000${after ? `&after=${after}` : ''}`);
        ids.push(...page.features.map((f) => f.id));
        after = page.next;
      } while (after);
      expect(ids).toHaveLength(2818);
      expect(new Set(ids).size).toBe(2818);
    });

    it('when cameras are filtered by bbox, source and status, then the answer is what PostGIS selects', async () => {
      const body = await json<Collection<{ source: string; status: string }>>(
        district,
        `/api/cameras?bbox=${BBOX.join(',')}&source=tianwang&status=online&limit=10000`,
      );
      const expected = await sql<{ id: number }>(
        `SELECT id FROM cameras WHERE location && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND source = 'tianwang' AND status = 'online' ORDER BY id`,
        [...BBOX],
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(body.features.map((f) => f.id)).toEqual(expected.map((r) => r.id));
      expect(body.next).toBeNull();
    });

    it('when one camera is opened, then it carries its field of view and the grid it is in', async () => {
      const [camera] = await sql<{ id: number; grid_id: number; code: string; heading: number }>(
        'SELECT id, grid_id, code, heading FROM cameras WHERE grid_id IS NOT NULL ORDER BY id LIMIT 1',
      );
      const feature = await json<Feature<{ code: string; heading: number; fov: number; range_m: number; grid: { id: number } }>>(
        district,
        `/api/cameras/${camera!.id}`,
      );
      expect(feature.properties).toMatchObject({ code: camera!.code, grid: { id: camera!.grid_id } });
      expect(feature.properties.heading).toBeCloseTo(camera!.heading, 3);
      expect(feature.geometry.type).toBe('Point');
    });
  });

  describe('patrols', () => {
    it('when teams, routes and positions are asked, then they match the database and each unit has its latest position', async () => {
      const teams = await json<{ teams: { id: number; units: number }[] }>(district, '/api/patrols/teams');
      expect(teams.teams).toHaveLength(60);
      const routes = await json<Collection<{ team_id: number }>>(district, `/api/patrols/routes?team=${teams.teams[0]!.id}`);
      expect(routes.features.length).toBeGreaterThan(0);
      for (const f of routes.features) expect(f.properties.team_id).toBe(teams.teams[0]!.id);

      const positions = await json<Collection<{ unit_id: number; reported_at: string }>>(district, '/api/patrols/positions');
      const latest = await sql<{ unit_id: number; at: Date }>(
        'SELECT unit_id, max(reported_at) AS at FROM patrol_positions GROUP BY unit_id ORDER BY unit_id',
      );
      expect(positions.features.map((f) => [f.properties.unit_id, Date.parse(f.properties.reported_at)])).toEqual(
        latest.map((r) => [r.unit_id, r.at.getTime()]),
      );
    });
  });

  describe('incidents', () => {
    it.each([
      ['category=dispute', `category = 'dispute'`],
      ['severity=critical', `severity = 'critical'`],
      ['status=handling', `status = 'handling'`],
      [`bbox=${BBOX.join(',')}`, `location && ST_MakeEnvelope(${BBOX.join(', ')}, 4326)`],
    ])('when incidents are filtered by %s, then the pages hold exactly the incidents PostGIS selects', async (query, where) => {
      const ids: number[] = [];
      let after: string | null = null;
      do {
        const page: { incidents: { id: number }[]; next: string | null } = await json(
          district,
          `/api/incidents?limit=500&${query}${after ? `&after=${after}` : ''}`,
        );
        ids.push(...page.incidents.map((i) => i.id));
        after = page.next;
      } while (after);
      const expected = await sql<{ id: number }>(`SELECT id FROM incidents WHERE ${where} ORDER BY reported_at DESC, id DESC`);
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected.map((r) => r.id));
    });

    it('when incidents are filtered by time, grid and center, then each answer agrees with the database', async () => {
      const [latest] = await sql<{ at: Date }>('SELECT max(reported_at) AS at FROM incidents');
      const from = new Date(latest!.at.getTime() - 3 * 86_400_000).toISOString();
      const recent = await json<{ incidents: { reportedAt: string }[] }>(district, `/api/incidents?limit=500&from=${from}`);
      const [count] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE reported_at >= $1', [from]);
      expect(recent.incidents).toHaveLength(Math.min(500, count!.n));
      for (const i of recent.incidents) expect(Date.parse(i.reportedAt)).toBeGreaterThanOrEqual(Date.parse(from));

      const [top] = await sql<{ id: number }>(`SELECT id FROM grids WHERE level = 2 ORDER BY code LIMIT 1`);
      const inGrid = await json<{ incidents: { gridId: number }[] }>(district, `/api/incidents?limit=500&grid=${top!.id}`);
      const children = new Set((await sql<{ id: number }>('SELECT id FROM grids WHERE parent_id = $1', [top!.id])).map((r) => r.id));
      expect(inGrid.incidents.length).toBeGreaterThan(0);
      for (const i of inGrid.incidents) expect(children.has(i.gridId)).toBe(true);

      const [{ id: town }] = (await sql<{ id: number }>(`SELECT id FROM centers WHERE code = 'C-511699-01'`)) as [{ id: number }];
      const inTown = await json<{ incidents: { centerId: number }[] }>(district, `/api/incidents?limit=500&center=${town}`);
      const subtree = new Set((await sql<{ center_id: number }>('SELECT center_id FROM center_tree WHERE ancestor_id = $1', [town])).map((r) => r.center_id));
      expect(inTown.incidents.length).toBeGreaterThan(0);
      for (const i of inTown.incidents) expect(subtree.has(i.centerId)).toBe(true);
    });

    it('when a village user filters by a center outside its jurisdiction, then it gets nothing, not that center', async () => {
      const [other] = await sql<{ id: number }>(`SELECT id FROM centers WHERE code = 'C-511699-01-002'`);
      expect(await json(village, `/api/incidents?center=${other!.id}`)).toEqual({ incidents: [], next: null });
    });
  });

  it.each([
    ['/api/grids?bbox=106.7,30.5,106.6,30.4', 'bbox'],
    ['/api/grids?bbox=1,2,3', 'bbox'],
    ['/api/grids?bbox=200,0,201,1', 'bbox'],
    ['/api/grids?bbox=a,b,c,d', 'bbox'],
    ['/api/grids?parent=-4', 'parent'],
    [`/api/grids?q=${'x'.repeat(51)}`, 'q'],
    ['/api/grids/abc', 'id'],
    ['/api/cameras?limit=10001', 'limit'],
    ['/api/cameras?source=cctv', 'source'],
    ['/api/cameras?status=broken', 'status'],
    ['/api/cameras?bbox=0,0,0,0', 'bbox'],
    ['/api/cameras/1.5', 'id'],
    ['/api/patrols/routes?team=x', 'team'],
    ['/api/patrols/positions?team=0', 'team'],
    ['/api/incidents?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'to'],
    ['/api/incidents?from=yesterday', 'from'],
    ['/api/incidents?category=fire', 'category'],
    ['/api/incidents?severity=extreme', 'severity'],
    ['/api/incidents?status=open', 'status'],
    ['/api/incidents?grid=1e400', 'grid'],
    ['/api/incidents?limit=501', 'limit'],
  ])('when %s is asked, then the answer is a 400 problem naming %s', async (path, param) => {
    const problem = await expectProblem(await district.get(path), 400);
    expect(problem['invalid-params']?.map((p) => p.name)).toContain(param);
  });

  it('when a grid or camera id does not exist, then the answer is a 404 problem', async () => {
    await expectProblem(await district.get('/api/grids/999999999'), 404);
    await expectProblem(await district.get('/api/cameras/999999999'), 404);
  });
});
