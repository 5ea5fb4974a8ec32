import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, type Action, type Role } from '../../server/auth/permissions.js';
import type { Access } from '../../server/auth/routes.js';
import { TILE_LAYERS } from '../../server/tiles/layers.js';
import { isOpen311Path } from '../support/open311.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Role × endpoint: every district-level demo account calls every endpoint the server
// has. Where the role table (server/auth/permissions.ts) allows it, the call gets past
// the guard to its expected answer; where not, it is a 403 problem. Writes are sent
// with a body the endpoint rejects (400) or an id it cannot find (404), so the table
// runs without changing anything.

const ROLE_ACCOUNTS: Readonly<Record<Role, string>> = {
  district_admin: 'admin.district',
  operator: 'operator.district',
  leader: 'leader.district',
  analyst: 'analyst.district',
  planner: 'planner.district',
  grid_worker: 'worker.district',
  auditor: 'auditor.district',
};

interface Fixtures {
  incidentId: number;
  userId: number;
  gridId: number;
  cameraId: number;
  unitId: number;
}

interface EndpointCase {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** The route as the server declares it. */
  route: string;
  /** The concrete request. */
  request(f: Fixtures): { path: string; body?: unknown };
  /** Status when the role may call it. */
  allowed: number;
  /** Ends the session it is sent with: sent from a fresh one. */
  endsSession?: boolean;
}

/** One row per endpoint of the server. A new endpoint fails the completeness test until it has its row. */
const ENDPOINTS: readonly EndpointCase[] = [
  { method: 'get', route: '/api/health', request: () => ({ path: '/api/health' }), allowed: 200 },
  { method: 'get', route: '/api/openapi.json', request: () => ({ path: '/api/openapi.json' }), allowed: 200 },
  { method: 'post', route: '/api/auth/login', request: () => ({ path: '/api/auth/login', body: {} }), allowed: 400 },
  { method: 'get', route: '/api/auth/session', request: () => ({ path: '/api/auth/session' }), allowed: 200 },
  { method: 'post', route: '/api/auth/logout', request: () => ({ path: '/api/auth/logout' }), allowed: 204, endsSession: true },
  { method: 'post', route: '/api/auth/password', request: () => ({ path: '/api/auth/password', body: {} }), allowed: 400 },
  { method: 'get', route: '/api/auth/sessions', request: () => ({ path: '/api/auth/sessions' }), allowed: 200 },
  { method: 'delete', route: '/api/auth/sessions/:id', request: () => ({ path: `/api/auth/sessions/${randomUUID()}` }), allowed: 404 },
  { method: 'get', route: '/api/tokens', request: () => ({ path: '/api/tokens' }), allowed: 200 },
  { method: 'post', route: '/api/tokens', request: () => ({ path: '/api/tokens', body: { name: '' } }), allowed: 400 },
  { method: 'delete', route: '/api/tokens/:id', request: () => ({ path: '/api/tokens/999999999' }), allowed: 404 },
  { method: 'get', route: '/api/users', request: () => ({ path: '/api/users?limit=5' }), allowed: 200 },
  { method: 'get', route: '/api/users/:id', request: (f) => ({ path: `/api/users/${f.userId}` }), allowed: 200 },
  { method: 'post', route: '/api/users', request: () => ({ path: '/api/users', body: { username: 'x' } }), allowed: 400 },
  { method: 'patch', route: '/api/users/:id', request: (f) => ({ path: `/api/users/${f.userId}`, body: {} }), allowed: 400 },
  { method: 'post', route: '/api/users/:id/password', request: (f) => ({ path: `/api/users/${f.userId}/password`, body: {} }), allowed: 400 },
  { method: 'get', route: '/api/audit', request: () => ({ path: '/api/audit?limit=5' }), allowed: 200 },
  { method: 'get', route: '/api/audit/verify', request: () => ({ path: '/api/audit/verify' }), allowed: 200 },
  { method: 'get', route: '/api/centers', request: () => ({ path: '/api/centers' }), allowed: 200 },
  { method: 'get', route: '/api/map/extent', request: () => ({ path: '/api/map/extent' }), allowed: 200 },
  { method: 'get', route: '/api/map/config', request: () => ({ path: '/api/map/config' }), allowed: 200 },
  // Every role may search (place names are base map); what it finds follows its role (map-details.test.ts).
  { method: 'get', route: '/api/search', request: () => ({ path: '/api/search?q=G-01' }), allowed: 200 },
  { method: 'get', route: '/api/basemap/:layer.geojson', request: () => ({ path: '/api/basemap/water.geojson' }), allowed: 200 },
  { method: 'get', route: '/api/grids', request: () => ({ path: '/api/grids?level=1' }), allowed: 200 },
  { method: 'get', route: '/api/grids/:id', request: (f) => ({ path: `/api/grids/${f.gridId}` }), allowed: 200 },
  { method: 'get', route: '/api/cameras', request: () => ({ path: '/api/cameras?limit=5' }), allowed: 200 },
  { method: 'get', route: '/api/cameras/:id', request: (f) => ({ path: `/api/cameras/${f.cameraId}` }), allowed: 200 },
  { method: 'get', route: '/api/patrols/teams', request: () => ({ path: '/api/patrols/teams' }), allowed: 200 },
  { method: 'get', route: '/api/patrols/routes', request: () => ({ path: '/api/patrols/routes' }), allowed: 200 },
  { method: 'get', route: '/api/patrols/positions', request: () => ({ path: '/api/patrols/positions' }), allowed: 200 },
  { method: 'get', route: '/api/patrols/units/:id', request: (f) => ({ path: `/api/patrols/units/${f.unitId}` }), allowed: 200 },
  { method: 'post', route: '/api/patrols/units/:id/positions', request: (f) => ({ path: `/api/patrols/units/${f.unitId}/positions`, body: {} }), allowed: 400 },
  { method: 'get', route: '/api/incidents', request: () => ({ path: '/api/incidents?limit=5' }), allowed: 200 },
  { method: 'get', route: '/api/incidents/:id', request: (f) => ({ path: `/api/incidents/${f.incidentId}` }), allowed: 200 },
  {
    method: 'post',
    route: '/api/incidents/:id/personal-data',
    request: (f) => ({ path: `/api/incidents/${f.incidentId}/personal-data`, body: {} }),
    allowed: 400,
  },
  { method: 'get', route: '/api/incident-deadlines', request: () => ({ path: '/api/incident-deadlines' }), allowed: 200 },
  { method: 'patch', route: '/api/incident-deadlines', request: () => ({ path: '/api/incident-deadlines', body: {} }), allowed: 400 },
  { method: 'post', route: '/api/incidents', request: () => ({ path: '/api/incidents', body: {} }), allowed: 400 },
  { method: 'get', route: '/api/incidents/:id/actions', request: (f) => ({ path: `/api/incidents/${f.incidentId}/actions` }), allowed: 200 },
  { method: 'post', route: '/api/incidents/:id/actions', request: (f) => ({ path: `/api/incidents/${f.incidentId}/actions`, body: {} }), allowed: 400 },
  { method: 'get', route: '/api/incidents/heatmap', request: () => ({ path: '/api/incidents/heatmap?bbox=106.6,30.45,106.66,30.5&zoom=12' }), allowed: 200 },
  { method: 'get', route: '/api/incidents/points', request: () => ({ path: '/api/incidents/points?bbox=106.6,30.45,106.66,30.5' }), allowed: 200 },
  { method: 'get', route: '/api/incidents/:id/dispatch-options', request: (f) => ({ path: `/api/incidents/${f.incidentId}/dispatch-options` }), allowed: 200 },
  { method: 'get', route: '/api/geofences', request: () => ({ path: '/api/geofences' }), allowed: 200 },
  { method: 'post', route: '/api/geofences', request: () => ({ path: '/api/geofences', body: {} }), allowed: 400 },
  { method: 'delete', route: '/api/geofences/:id', request: () => ({ path: '/api/geofences/999999999' }), allowed: 404 },
  { method: 'get', route: '/api/geofences/alerts', request: () => ({ path: '/api/geofences/alerts?limit=5' }), allowed: 200 },
  // A JSON body where a raw image belongs: past the guard it is refused (415), nothing stored.
  { method: 'post', route: '/api/incidents/:id/photos', request: (f) => ({ path: `/api/incidents/${f.incidentId}/photos`, body: {} }), allowed: 415 },
  { method: 'get', route: '/api/incidents/:id/photos', request: (f) => ({ path: `/api/incidents/${f.incidentId}/photos` }), allowed: 200 },
  { method: 'get', route: '/api/incidents/:id/photos/:photoId', request: (f) => ({ path: `/api/incidents/${f.incidentId}/photos/999999999` }), allowed: 404 },
  // A tile of the open sea: past the guard it is empty (204).
  ...TILE_LAYERS.flatMap((l): EndpointCase[] => [
    { method: 'get', route: `/tiles/${l.name}/:z/:x/:y.mvt`, request: () => ({ path: `/tiles/${l.name}/10/0/0.mvt` }), allowed: 204 },
    { method: 'get', route: `/tiles/${l.name}.json`, request: () => ({ path: `/tiles/${l.name}.json` }), allowed: 200 },
  ]),
  { method: 'get', route: '/ogc', request: () => ({ path: '/ogc' }), allowed: 200 },
  { method: 'get', route: '/ogc/conformance', request: () => ({ path: '/ogc/conformance' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections', request: () => ({ path: '/ogc/collections' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/grids', request: () => ({ path: '/ogc/collections/grids' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/grids/items', request: () => ({ path: '/ogc/collections/grids/items?limit=5' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/grids/items/:featureId', request: (f) => ({ path: `/ogc/collections/grids/items/${f.gridId}` }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/cameras', request: () => ({ path: '/ogc/collections/cameras' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/cameras/items', request: () => ({ path: '/ogc/collections/cameras/items?limit=5' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/cameras/items/:featureId', request: (f) => ({ path: `/ogc/collections/cameras/items/${f.cameraId}` }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/patrol-routes', request: () => ({ path: '/ogc/collections/patrol-routes' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/patrol-routes/items', request: () => ({ path: '/ogc/collections/patrol-routes/items?limit=5' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/patrol-routes/items/:featureId', request: () => ({ path: '/ogc/collections/patrol-routes/items/999999999' }), allowed: 404 },
  { method: 'get', route: '/ogc/collections/incidents', request: () => ({ path: '/ogc/collections/incidents' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/incidents/items', request: () => ({ path: '/ogc/collections/incidents/items?limit=5' }), allowed: 200 },
  { method: 'get', route: '/ogc/collections/incidents/items/:featureId', request: (f) => ({ path: `/ogc/collections/incidents/items/${f.incidentId}` }), allowed: 200 },
  { method: 'get', route: '/open311/v2/discovery.json', request: () => ({ path: '/open311/v2/discovery.json' }), allowed: 200 },
  { method: 'get', route: '/open311/v2/services.json', request: () => ({ path: '/open311/v2/services.json' }), allowed: 200 },
  { method: 'get', route: '/open311/v2/services/:service_code.json', request: () => ({ path: '/open311/v2/services/dispute.json' }), allowed: 200 },
  { method: 'post', route: '/open311/v2/requests.json', request: () => ({ path: '/open311/v2/requests.json', body: {} }), allowed: 400 },
  { method: 'get', route: '/open311/v2/requests.json', request: () => ({ path: '/open311/v2/requests.json' }), allowed: 200 },
  { method: 'get', route: '/open311/v2/requests/:service_request_id.json', request: () => ({ path: '/open311/v2/requests/SJ20000101-99999999.json' }), allowed: 404 },
];

/** What the role table says about a role and an endpoint's access rule, for a browser session. */
function mayCall(role: Role, access: Access | 'public'): boolean {
  if (access === 'public' || access === 'signed-in' || access === 'browser-session') return true;
  return PERMISSIONS[role].includes(access satisfies Action);
}

describe('role × endpoint', () => {
  let server: TestServer;
  let fixtures: Fixtures;
  const sessions = new Map<Role, ApiSession>();

  beforeAll(async () => {
    server = await startTestServer();
    for (const role of ROLES) sessions.set(role, await signIn(server.baseUrl, ROLE_ACCOUNTS[role]));
    const { rows } = await server.db.query<{ incident_id: string; user_id: string; grid_id: string; camera_id: string; unit_id: string }>(
      `SELECT (SELECT id FROM incidents ORDER BY id LIMIT 1) AS incident_id,
              (SELECT id FROM users WHERE username = 'leader.village') AS user_id,
              (SELECT id FROM grids WHERE level = 3 ORDER BY id LIMIT 1) AS grid_id,
              (SELECT id FROM cameras ORDER BY id LIMIT 1) AS camera_id,
              (SELECT id FROM patrol_units ORDER BY id LIMIT 1) AS unit_id`,
    );
    const r = rows[0]!;
    fixtures = {
      incidentId: Number(r.incident_id),
      userId: Number(r.user_id),
      gridId: Number(r.grid_id),
      cameraId: Number(r.camera_id),
      unitId: Number(r.unit_id),
    };
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when the server lists its endpoints, then each has exactly one row in this table', () => {
    const served = server.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    const tabled = ENDPOINTS.map((e) => `${e.method.toUpperCase()} ${e.route}`).sort();
    expect(tabled).toEqual(served);
  });

  it('when an endpoint is served, then it names an access rule the role table knows', () => {
    for (const route of server.routes) {
      expect(['public', 'signed-in', 'browser-session', ...Object.values(PERMISSIONS).flat()]).toContain(route.access);
    }
  });

  describe.each(ROLES)('as %s', (role) => {
    it.each(ENDPOINTS.map((e) => [`${e.method.toUpperCase()} ${e.route}`, e] as const))(
      'when it calls %s, then the answer is what the role table allows',
      async (_name, endpoint) => {
        const access = server.routes.find((r) => r.method === endpoint.method && r.path === endpoint.route)!.access;
        const session = endpoint.endsSession ? await signIn(server.baseUrl, ROLE_ACCOUNTS[role]) : sessions.get(role)!;
        const { path, body } = endpoint.request(fixtures);
        const response =
          endpoint.method === 'get' ? await session.get(path) : await session.send(endpoint.method.toUpperCase(), path, body);
        const text = await response.text();
        if (mayCall(role, access)) {
          expect(response.status, text).toBe(endpoint.allowed);
        } else {
          expect(response.status, text).toBe(403);
          // Open311 answers its own error array (test/support/open311.ts); the guard's words say it was the role.
          const forbidden = isOpen311Path(path)
            ? [{ code: 403, description: expect.stringContaining('may not do this') }]
            : { type: 'urn:pingan:problem:forbidden', status: 403 };
          expect(JSON.parse(text)).toMatchObject(forbidden);
        }
      },
    );
  });

  it('when nobody is signed in, then every endpoint but the public ones (health, login, the API document) answers 401', async () => {
    for (const endpoint of ENDPOINTS) {
      const access = server.routes.find((r) => r.method === endpoint.method && r.path === endpoint.route)!.access;
      const { path, body } = endpoint.request(fixtures);
      const response = await fetch(`${server.baseUrl}${path}`, {
        method: endpoint.method.toUpperCase(),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as { type?: string } | { code: number }[];
      if (access === 'public') {
        expect(response.status).not.toBe(401);
      } else {
        expect(response.status, `${endpoint.method} ${endpoint.route}`).toBe(401);
        expect(answer).toMatchObject(isOpen311Path(path) ? [{ code: 401 }] : { type: 'urn:pingan:problem:unauthenticated' });
      }
    }
  });
});
