import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TILE_LAYERS } from '../../server/tiles/layers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Jurisdiction: a village's users receive nothing of the neighbouring village (or of
// the town and district above them) from any endpoint, and an id outside their
// jurisdiction answers 404 exactly like an id that does not exist. Every endpoint of
// the server has a row below; the completeness test fails for one that has none.

type Sessions = Record<'operator' | 'admin' | 'auditor' | 'neighbour' | 'district', ApiSession>;

interface Scope {
  /** Centers of the village's jurisdiction (itself: villages have no children). */
  centers: Set<number>;
  neighbour: { centerId: number; incidentId: number; userId: number; gridId: number; cameraId: number };
}

type Row =
  /** A list: every object's center must lie in the jurisdiction. */
  | { route: string; method: 'get'; kind: 'list'; as: keyof Sessions; path: string; centers(body: unknown): number[] }
  /** One object by id (or a change to it): the neighbour's answers 404 like a missing one. */
  | { route: string; method: 'get' | 'post' | 'patch' | 'delete'; kind: 'item'; as: keyof Sessions; path(id: number | string): string; body?: unknown; neighbourId(s: Scope, n: Sessions): Promise<number | string> }
  /** Answers about the caller only or about data that is not anyone's jurisdiction; says why. */
  | { route: string; method: 'get' | 'post' | 'patch' | 'delete'; kind: 'unscoped'; why: string };

const features = (body: unknown) => (body as { features: { properties: { center_id: number } }[] }).features.map((f) => f.properties.center_id);

const ROWS: readonly Row[] = [
  { route: '/api/health', method: 'get', kind: 'unscoped', why: 'public liveness: database versions and the loaded data set' },
  { route: '/api/openapi.json', method: 'get', kind: 'unscoped', why: 'public description of the API, the same for everyone; it holds no data' },
  { route: '/api/auth/login', method: 'post', kind: 'unscoped', why: 'answers about the account signing in' },
  { route: '/api/auth/session', method: 'get', kind: 'unscoped', why: "the caller's own session" },
  { route: '/api/auth/logout', method: 'post', kind: 'unscoped', why: "ends the caller's own session" },
  { route: '/api/auth/password', method: 'post', kind: 'unscoped', why: "changes the caller's own password" },
  { route: '/api/auth/sessions', method: 'get', kind: 'unscoped', why: "the caller's own sessions" },
  {
    route: '/api/auth/sessions/:id', method: 'delete', kind: 'item', as: 'operator', path: (id) => `/api/auth/sessions/${id}`,
    async neighbourId(_s, n) {
      const body = (await (await n.neighbour.get('/api/auth/sessions')).json()) as { sessions: { id: string; current: boolean }[] };
      return body.sessions.find((x) => x.current)!.id;
    },
  },
  { route: '/api/tokens', method: 'get', kind: 'unscoped', why: "the caller's own tokens" },
  { route: '/api/tokens', method: 'post', kind: 'unscoped', why: 'creates a token of the caller' },
  {
    route: '/api/tokens/:id', method: 'delete', kind: 'item', as: 'operator', path: (id) => `/api/tokens/${id}`,
    async neighbourId(_s, n) {
      const created = (await (await n.neighbour.send('POST', '/api/tokens', { name: 'jurisdiction test', expiresInDays: 1 })).json()) as { id: number };
      return created.id;
    },
  },
  { route: '/api/users', method: 'get', kind: 'list', as: 'admin', path: '/api/users?limit=200', centers: (b) => (b as { users: { center: { id: number } }[] }).users.map((u) => u.center.id) },
  { route: '/api/users/:id', method: 'get', kind: 'item', as: 'admin', path: (id) => `/api/users/${id}`, neighbourId: async (s) => s.neighbour.userId },
  { route: '/api/users', method: 'post', kind: 'unscoped', why: 'creates an account; a center outside the jurisdiction is refused (accounts.test.ts)' },
  { route: '/api/users/:id', method: 'patch', kind: 'item', as: 'admin', path: (id) => `/api/users/${id}`, body: { displayName: '越权修改' }, neighbourId: async (s) => s.neighbour.userId },
  {
    route: '/api/users/:id/password', method: 'post', kind: 'item', as: 'admin', path: (id) => `/api/users/${id}/password`,
    body: { password: 'Another#Pass2026' }, neighbourId: async (s) => s.neighbour.userId,
  },
  { route: '/api/audit', method: 'get', kind: 'list', as: 'auditor', path: '/api/audit?limit=500', centers: (b) => (b as { entries: { centerId: number }[] }).entries.map((e) => e.centerId) },
  { route: '/api/audit/verify', method: 'get', kind: 'unscoped', why: 'checks the whole chain and answers only whether it is intact and how long it is' },
  { route: '/api/centers', method: 'get', kind: 'list', as: 'operator', path: '/api/centers', centers: (b) => (b as { centers: { id: number }[] }).centers.map((c) => c.id) },
  { route: '/api/map/extent', method: 'get', kind: 'unscoped', why: "frames the caller's own jurisdiction (checked below)" },
  { route: '/api/map/config', method: 'get', kind: 'unscoped', why: 'which base map to draw: server configuration, the same for everyone' },
  {
    route: '/api/search', method: 'get', kind: 'unscoped',
    why: "hits carry no center; a village operator's search for the neighbour's grid, camera and incident codes finds none of them (map-details.test.ts)",
  },
  { route: '/api/basemap/:layer.geojson', method: 'get', kind: 'unscoped', why: 'geography (roads, water, place names), the same for everyone' },
  { route: '/api/grids', method: 'get', kind: 'list', as: 'operator', path: '/api/grids', centers: features },
  { route: '/api/grids/:id', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/grids/${id}`, neighbourId: async (s) => s.neighbour.gridId },
  { route: '/api/cameras', method: 'get', kind: 'list', as: 'operator', path: '/api/cameras?limit=10000', centers: features },
  { route: '/api/cameras/:id', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/cameras/${id}`, neighbourId: async (s) => s.neighbour.cameraId },
  { route: '/api/patrols/teams', method: 'get', kind: 'list', as: 'operator', path: '/api/patrols/teams', centers: (b) => (b as { teams: { centerId: number }[] }).teams.map((t) => t.centerId) },
  { route: '/api/patrols/routes', method: 'get', kind: 'list', as: 'operator', path: '/api/patrols/routes', centers: features },
  { route: '/api/patrols/positions', method: 'get', kind: 'list', as: 'operator', path: '/api/patrols/positions', centers: features },
  {
    route: '/api/patrols/units/:id', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/patrols/units/${id}`,
    async neighbourId(_s, n) {
      const body = (await (await n.neighbour.get('/api/patrols/positions')).json()) as { features: { properties: { unit_id: number } }[] };
      return body.features[0]!.properties.unit_id;
    },
  },
  { route: '/api/incidents', method: 'get', kind: 'list', as: 'operator', path: '/api/incidents?limit=500', centers: (b) => (b as { incidents: { centerId: number }[] }).incidents.map((i) => i.centerId) },
  { route: '/api/incidents/:id', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/incidents/${id}`, neighbourId: async (s) => s.neighbour.incidentId },
  {
    route: '/api/incidents/:id/personal-data', method: 'post', kind: 'item', as: 'operator', path: (id) => `/api/incidents/${id}/personal-data`,
    body: { reason: '越权查看测试' }, neighbourId: async (s) => s.neighbour.incidentId,
  },
  { route: '/api/incidents', method: 'post', kind: 'unscoped', why: "files an incident; a point in another center's grid is refused (403 outside-jurisdiction, intake.test.ts)" },
  { route: '/api/incidents/:id/actions', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/incidents/${id}/actions`, neighbourId: async (s) => s.neighbour.incidentId },
  {
    route: '/api/incidents/:id/actions', method: 'post', kind: 'item', as: 'operator', path: (id) => `/api/incidents/${id}/actions`,
    body: { action: 'note', note: '越权备注测试' }, neighbourId: async (s) => s.neighbour.incidentId,
  },
  { route: '/api/incidents/:id/dispatch-options', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/incidents/${id}/dispatch-options`, neighbourId: async (s) => s.neighbour.incidentId },
  { route: '/api/incidents/:id/photos', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/incidents/${id}/photos`, neighbourId: async (s) => s.neighbour.incidentId },
  { route: '/api/incidents/:id/photos/:photoId', method: 'get', kind: 'item', as: 'operator', path: (id) => `/api/incidents/${id}/photos/1`, neighbourId: async (s) => s.neighbour.incidentId },
  { route: '/api/incidents/:id/photos', method: 'post', kind: 'unscoped', why: "takes a raw image; another village's incident answers 404 (photos.test.ts)" },
  { route: '/api/incident-deadlines', method: 'get', kind: 'unscoped', why: 'deadlines per category and severity: configuration, the same for everyone' },
  { route: '/api/incident-deadlines', method: 'patch', kind: 'unscoped', why: 'changes that configuration (leaders only)' },
  {
    route: '/api/patrols/units/:id/positions', method: 'post', kind: 'item', as: 'operator', path: (id) => `/api/patrols/units/${id}/positions`,
    body: { reports: [{ at: new Date().toISOString(), location: [106.6, 30.5] }] },
    async neighbourId(_s, n) {
      const body = (await (await n.neighbour.get('/api/patrols/positions')).json()) as { features: { properties: { unit_id: number } }[] };
      return body.features[0]!.properties.unit_id;
    },
  },
  { route: '/api/geofences', method: 'get', kind: 'list', as: 'operator', path: '/api/geofences', centers: (b) => (b as { features: { properties: { centerId: number } }[] }).features.map((f) => f.properties.centerId) },
  { route: '/api/geofences', method: 'post', kind: 'unscoped', why: 'marks a key area; a center outside the jurisdiction is refused (geofences.test.ts)' },
  { route: '/api/geofences/:id', method: 'delete', kind: 'unscoped', why: "ends a key area; another village's answers 404 (geofences.test.ts)" },
  { route: '/api/geofences/alerts', method: 'get', kind: 'unscoped', why: 'alerts whose key area and incident are both in the jurisdiction (geofences.test.ts)' },
  { route: '/open311/v2/discovery.json', method: 'get', kind: 'unscoped', why: 'Open311 discovery: endpoints and formats, the same for everyone' },
  { route: '/open311/v2/services.json', method: 'get', kind: 'unscoped', why: 'the incident categories as Open311 services, the same for everyone' },
  { route: '/open311/v2/services/:service_code.json', method: 'get', kind: 'unscoped', why: "one service's definition, the same for everyone" },
  { route: '/open311/v2/requests.json', method: 'get', kind: 'unscoped', why: "the caller's jurisdiction's requests; another village's are neither listed nor found (open311.test.ts)" },
  { route: '/open311/v2/requests.json', method: 'post', kind: 'unscoped', why: 'files an incident through the same intake as POST /api/incidents' },
  { route: '/open311/v2/requests/:service_request_id.json', method: 'get', kind: 'unscoped', why: "one request by number; another village's answers 404 (open311.test.ts)" },
  { route: '/api/incidents/heatmap', method: 'get', kind: 'unscoped', why: "counts only the caller's jurisdiction's incidents: compared with SQL for a village in heatmap.test.ts" },
  { route: '/api/incidents/points', method: 'get', kind: 'unscoped', why: 'binary points of the jurisdiction, filtered by the same scope line as the incident list (heatmap.test.ts compares a district answer with SQL)' },
  ...TILE_LAYERS.flatMap((l): Row[] => [
    {
      route: `/tiles/${l.name}/:z/:x/:y.mvt`, method: 'get', kind: 'unscoped',
      why: l.scoped ? "binary vector tiles cut to the caller's jurisdiction: a village operator's tiles are checked in tiles.test.ts" : 'the base map is geography, the same for everyone',
    },
    { route: `/tiles/${l.name}.json`, method: 'get', kind: 'unscoped', why: "TileJSON: tile URLs and the caller's own extent (as /api/map/extent)" },
  ]),
  { route: '/ogc', method: 'get', kind: 'unscoped', why: 'OGC API landing page: links to the API definition, conformance and collections, the same for everyone' },
  { route: '/ogc/conformance', method: 'get', kind: 'unscoped', why: 'the OGC conformance classes the server implements, the same for everyone' },
  { route: '/ogc/collections', method: 'get', kind: 'unscoped', why: "describes the four collections; their extents are the caller's jurisdiction's (compared with PostGIS for a village in ogc.test.ts)" },
  { route: '/ogc/collections/grids', method: 'get', kind: 'unscoped', why: "describes the collection; its extent is the caller's jurisdiction's (ogc.test.ts)" },
  { route: '/ogc/collections/grids/items', method: 'get', kind: 'list', as: 'operator', path: '/ogc/collections/grids/items?limit=10000', centers: features },
  { route: '/ogc/collections/grids/items/:featureId', method: 'get', kind: 'item', as: 'operator', path: (id) => `/ogc/collections/grids/items/${id}`, neighbourId: async (s) => s.neighbour.gridId },
  { route: '/ogc/collections/cameras', method: 'get', kind: 'unscoped', why: "describes the collection; its extent is the caller's jurisdiction's (ogc.test.ts)" },
  { route: '/ogc/collections/cameras/items', method: 'get', kind: 'list', as: 'operator', path: '/ogc/collections/cameras/items?limit=10000', centers: features },
  { route: '/ogc/collections/cameras/items/:featureId', method: 'get', kind: 'item', as: 'operator', path: (id) => `/ogc/collections/cameras/items/${id}`, neighbourId: async (s) => s.neighbour.cameraId },
  { route: '/ogc/collections/patrol-routes', method: 'get', kind: 'unscoped', why: "describes the collection; its extent is the caller's jurisdiction's (ogc.test.ts)" },
  { route: '/ogc/collections/patrol-routes/items', method: 'get', kind: 'list', as: 'operator', path: '/ogc/collections/patrol-routes/items?limit=10000', centers: features },
  {
    route: '/ogc/collections/patrol-routes/items/:featureId', method: 'get', kind: 'item', as: 'operator', path: (id) => `/ogc/collections/patrol-routes/items/${id}`,
    async neighbourId(_s, n) {
      const body = (await (await n.neighbour.get('/ogc/collections/patrol-routes/items?limit=1')).json()) as { features: { id: number }[] };
      return body.features[0]!.id;
    },
  },
  { route: '/ogc/collections/incidents', method: 'get', kind: 'unscoped', why: "describes the collection; its extent and time span are the caller's jurisdiction's (ogc.test.ts)" },
  { route: '/ogc/collections/incidents/items', method: 'get', kind: 'list', as: 'operator', path: '/ogc/collections/incidents/items?limit=10000', centers: features },
  { route: '/ogc/collections/incidents/items/:featureId', method: 'get', kind: 'item', as: 'operator', path: (id) => `/ogc/collections/incidents/items/${id}`, neighbourId: async (s) => s.neighbour.incidentId },
];

const MISSING_ID = 2_000_000_000;
const MISSING_UUID = '00000000-0000-4000-8000-000000000000';

describe('jurisdiction of a village', () => {
  let server: TestServer;
  let s: Sessions;
  let scope: Scope;

  beforeAll(async () => {
    server = await startTestServer();
    s = {
      operator: await signIn(server.baseUrl, 'operator.village'),
      admin: await signIn(server.baseUrl, 'admin.village'),
      auditor: await signIn(server.baseUrl, 'auditor.village'),
      neighbour: await signIn(server.baseUrl, 'operator.village2'),
      district: await signIn(server.baseUrl, 'operator.district'),
    };
    const village = s.operator.session.user.center.id;
    const neighbour = s.neighbour.session.user.center.id;
    const { rows } = await server.db.query<{ incident_id: string; user_id: string; grid_id: string; camera_id: string }>(
      `SELECT (SELECT id FROM incidents WHERE center_id = $1 ORDER BY id LIMIT 1) AS incident_id,
              (SELECT id FROM users WHERE username = 'operator.village2') AS user_id,
              (SELECT id FROM grids WHERE center_id = $1 AND level = 3 ORDER BY id LIMIT 1) AS grid_id,
              (SELECT id FROM cameras WHERE center_id = $1 ORDER BY id LIMIT 1) AS camera_id`,
      [neighbour],
    );
    const r = rows[0]!;
    scope = {
      centers: new Set([village]),
      neighbour: { centerId: neighbour, incidentId: Number(r.incident_id), userId: Number(r.user_id), gridId: Number(r.grid_id), cameraId: Number(r.camera_id) },
    };
  });
  afterAll(async () => {
    // Tokens the neighbour made for the test.
    await server?.db.query(`DELETE FROM access_tokens WHERE name = 'jurisdiction test'`);
    await server?.close();
  });

  it('when the server lists its endpoints, then each has a row in the jurisdiction table', () => {
    const served = server.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    const tabled = ROWS.map((r) => `${r.method.toUpperCase()} ${r.route}`).sort();
    expect(tabled).toEqual(served);
  });

  const lists = ROWS.filter((r) => r.kind === 'list');
  it.each(lists.map((r) => [r.route, r] as const))('when a village user lists %s, then every object is of the village', async (_name, row) => {
    const response = await s[row.as].get(row.path);
    expect(response.status).toBe(200);
    const centers = row.centers(await response.json());
    expect(centers.length).toBeGreaterThan(0);
    expect(centers.filter((c) => !scope.centers.has(c))).toEqual([]);
    expect(centers).not.toContain(scope.neighbour.centerId);
  });

  it.each(lists.map((r) => [r.route, r] as const))('when the district lists %s, then it sees more than the village', async (_name, row) => {
    if (row.as !== 'operator') return; // the district operator has the business reads only
    const village = row.centers(await (await s.operator.get(row.path)).json());
    const district = row.centers(await (await s.district.get(row.path)).json());
    expect(new Set(district).size).toBeGreaterThan(new Set(village).size);
  });

  const items = ROWS.filter((r) => r.kind === 'item');
  it.each(items.map((r) => [`${r.method.toUpperCase()} ${r.route}`, r] as const))(
    'when a village user calls %s with an id of the neighbouring village, then the answer is the 404 of a missing id',
    async (_name, row) => {
      const caller = s[row.as];
      const call = (id: number | string) =>
        row.method === 'get' ? caller.get(row.path(id)) : caller.send(row.method.toUpperCase(), row.path(id), row.body);
      const neighbourId = await row.neighbourId(scope, s);
      const outside = await call(neighbourId);
      const missing = await call(typeof neighbourId === 'string' ? MISSING_UUID : MISSING_ID);
      expect(outside.status).toBe(404);
      expect(missing.status).toBe(404);
      const strip = (p: Record<string, unknown>) => ({ ...p, instance: undefined, detail: String(p.detail).replace(/[\w-]+$/, '<id>') });
      expect(strip((await outside.json()) as Record<string, unknown>)).toEqual(strip((await missing.json()) as Record<string, unknown>));
    },
  );

  it('when the neighbouring account is asked for after the attempts, then nothing about it changed', async () => {
    const { rows } = await server.db.query<{ display_name: string; must_change_password: boolean }>(
      'SELECT display_name, must_change_password FROM users WHERE id = $1',
      [scope.neighbour.userId],
    );
    expect(rows[0]).toEqual({ display_name: '邻村值班员', must_change_password: false });
    // Its session, which the village operator tried to revoke, still works.
    expect((await s.neighbour.get('/api/auth/session')).status).toBe(200);
  });

  it("when a village user pages incidents from the neighbour's incident id, then the page is empty instead of revealing where that incident sits", async () => {
    const response = await s.operator.get(`/api/incidents?after=${scope.neighbour.incidentId}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ incidents: [], next: null });
  });

  it('when a village user asks for the map extent, then it frames the village, not the district', async () => {
    const extent = (await (await s.operator.get('/api/map/extent')).json()) as { name: string; level: string; bbox: number[] };
    const district = (await (await s.district.get('/api/map/extent')).json()) as { bbox: number[] };
    const { rows } = await server.db.query<{ name: string; bbox: number[] }>(
      `SELECT c.name, ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS bbox
       FROM centers c, LATERAL (SELECT ST_Extent(geom) AS e FROM grids WHERE kind = 'general' AND center_id = c.id) g
       WHERE c.id = $1`,
      [s.operator.session.user.center.id],
    );
    expect(extent).toMatchObject({ name: rows[0]!.name, level: 'village' });
    extent.bbox.forEach((v, i) => expect(v).toBeCloseTo(rows[0]!.bbox[i]!, 6));
    const area = (b: number[]) => (b[2]! - b[0]!) * (b[3]! - b[1]!);
    expect(area(extent.bbox)).toBeLessThan(area(district.bbox) / 10);
  });

  it('when a town user lists grids, then it gets its own level-1 grid and everything of its villages, nothing of other towns', async () => {
    const town = await signIn(server.baseUrl, 'operator.town');
    const body = (await (await town.get('/api/grids')).json()) as { features: { properties: { level: number; center_id: number } }[] };
    const { rows } = await server.db.query<{ center_id: string }>('SELECT center_id FROM center_tree WHERE ancestor_id = $1', [
      town.session.user.center.id,
    ]);
    const subtree = new Set(rows.map((r) => Number(r.center_id)));
    expect(body.features.map((f) => f.properties.level).sort()).toContain(1);
    expect(body.features.filter((f) => f.properties.level === 1)).toHaveLength(1);
    expect(body.features.filter((f) => !subtree.has(f.properties.center_id))).toEqual([]);
    const { rows: count } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM grids WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)', [
      town.session.user.center.id,
    ]);
    expect(body.features).toHaveLength(count[0]!.n);
  });
});
