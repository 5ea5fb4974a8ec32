import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Role } from '../../server/auth/permissions.js';
import type { Database } from '../../server/db/database.js';
import { BASEMAP_LAYERS } from '../../server/map/repository.js';
import { TILE_LAYERS } from '../../server/tiles/layers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Reporters' personal data (PIPL): every answer carries the masked name, phone and ID
// number, which the test derives from the raw values in the database, so it proves
// masking rather than absence; no GET answer anywhere carries a raw phone or ID number
// of the caller's incidents; unmasking is one incident at a time, for the roles that
// call reporters back, with a reason, and audited. Only the audit trail is written.

interface Incident {
  id: number;
  number: string;
  centerId: number;
  reportedAt: string;
  reporterName: string | null;
  reporterPhone: string | null;
  reporterIdNumber: string | null;
}

interface Reporter {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
}

/** The village-level demo account of each role (see geodata/seed/demo-accounts.ts). */
const VILLAGE_ACCOUNT: Readonly<Record<Role, string>> = {
  district_admin: 'admin.village',
  operator: 'operator.village',
  leader: 'leader.village',
  analyst: 'analyst.village',
  planner: 'planner.village',
  grid_worker: 'worker.village',
  auditor: 'auditor.village',
};

// Spelled out as docs/access.md has them (test/unit/permissions.test.ts holds the table to the same).
const READERS: readonly Role[] = ['district_admin', 'operator', 'leader', 'analyst', 'planner', 'grid_worker'];
const UNMASKERS: readonly Role[] = ['operator', 'grid_worker'];
const NOT_UNMASKERS: readonly Role[] = ['district_admin', 'leader', 'analyst', 'planner'];

// The masks as docs/access.md describes them, written out independently of the SQL.
const maskPhone = (phone: string) =>
  phone.length >= 7 ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}` : `${'*'.repeat(Math.max(phone.length - 2, 0))}${phone.slice(-2)}`;
const maskIdNumber = (id: string) => `${id.slice(0, 6)}${'*'.repeat(Math.max(id.length - 10, 0))}${id.slice(-4)}`;
const maskName = (name: string) => {
  const chars = [...name];
  return `${chars[0]}${'*'.repeat(Math.max(chars.length - 1, 1))}`;
};

/** What is wrong with one incident's reporter fields, or nothing. */
function maskingProblems(incident: Incident, raw: Reporter | undefined): string[] {
  if (!raw) return [`incident ${incident.id} is outside the caller's jurisdiction`];
  const problems: string[] = [];
  const check = (field: string, shown: string | null, value: string | null, mask: (v: string) => string, shape: RegExp) => {
    if (value === null) {
      if (shown !== null) problems.push(`${incident.id} ${field}: ${shown} for no value`);
      return;
    }
    if (shown !== mask(value)) problems.push(`${incident.id} ${field}: ${shown}, expected ${mask(value)}`);
    if (shown === value) problems.push(`${incident.id} ${field}: unmasked`);
    if (shown !== null && !shape.test(shown)) problems.push(`${incident.id} ${field}: ${shown} is not of the documented shape`);
  };
  check('reporterName', incident.reporterName, raw.name, maskName, /^\p{Script=Han}\*{1,2}$/u);
  check('reporterPhone', incident.reporterPhone, raw.phone, maskPhone, /^1\d{2}\*{4}\d{4}$/);
  check('reporterIdNumber', incident.reporterIdNumber, raw.idNumber, maskIdNumber, /^\d{6}\*{8}\d{3}[\dX]$/);
  return problems;
}

/** Every string and number in a JSON answer that is, or holds, one of `secrets`. */
function findSecrets(value: unknown, secrets: ReadonlySet<string>, found: string[] = []): string[] {
  if (typeof value === 'string') {
    const runs = new Set([...(value.match(/[0-9X]{5,}/g) ?? []), ...(value.match(/[0-9X+-]{5,}/g) ?? [])]);
    for (const run of runs) if (secrets.has(run)) found.push(run);
  } else if (typeof value === 'number') {
    if (secrets.has(String(value))) found.push(String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) findSecrets(item, secrets, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      findSecrets(key, secrets, found);
      findSecrets(item, secrets, found);
    }
  }
  return found;
}

const MISSING_ID = 2_000_000_000;

describe('personal data of reporters', () => {
  let server: TestServer;
  let db: Database;
  const sessions = new Map<string, ApiSession>();
  /** Raw reporters by incident id, per jurisdiction (center id). */
  const rawByCenter = new Map<number, Map<number, Reporter>>();
  let village: number;
  /** An incident of the demo village (with an ID number) and one of the neighbouring village. */
  let own: { id: number; number: string } & Reporter;
  let neighbourIncident: number;

  const session = async (username: string) => {
    let s = sessions.get(username);
    if (!s) {
      s = await signIn(server.baseUrl, username);
      sessions.set(username, s);
    }
    return s;
  };

  async function rawReporters(center: number): Promise<Map<number, Reporter>> {
    let raw = rawByCenter.get(center);
    if (!raw) {
      const { rows } = await db.query<{ id: number; reporter_name: string | null; reporter_phone: string | null; reporter_id_number: string | null }>(
        `SELECT id, reporter_name, reporter_phone, reporter_id_number FROM incidents
         WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)`,
        [center],
      );
      raw = new Map(rows.map((r) => [r.id, { name: r.reporter_name, phone: r.reporter_phone, idNumber: r.reporter_id_number }]));
      rawByCenter.set(center, raw);
    }
    return raw;
  }

  /** Every incident of the caller's jurisdiction through the `next` cursor. */
  async function allIncidents(s: ApiSession, limit: number): Promise<{ incidents: Incident[]; pages: number; bodies: unknown[] }> {
    const incidents: Incident[] = [];
    const bodies: unknown[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response = await s.get(`/api/incidents?limit=${limit}${after ? `&after=${after}` : ''}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { incidents: Incident[]; next: string | null };
      bodies.push(page);
      incidents.push(...page.incidents);
      after = page.next;
      pages++;
    } while (after !== null && pages < 1000);
    return { incidents, pages, bodies };
  }

  async function secretsOf(center: number): Promise<Set<string>> {
    const raw = await rawReporters(center);
    const secrets = new Set<string>();
    for (const r of raw.values()) {
      if (r.phone) secrets.add(r.phone);
      if (r.idNumber) secrets.add(r.idNumber);
    }
    return secrets;
  }

  beforeAll(async () => {
    server = await startTestServer();
    db = server.db;
    const { rows } = await db.query<{ village: number; neighbour: number }>(
      `SELECT (SELECT id FROM centers WHERE code = 'C-511699-01-001') AS village, (SELECT id FROM centers WHERE code = 'C-511699-01-002') AS neighbour`,
    );
    village = rows[0]!.village;
    const { rows: incidents } = await db.query<{ id: number; number: string; reporter_name: string; reporter_phone: string; reporter_id_number: string }>(
      `SELECT id, number, reporter_name, reporter_phone, reporter_id_number FROM incidents
       WHERE center_id = $1 AND reporter_id_number IS NOT NULL ORDER BY id LIMIT 1`,
      [village],
    );
    const i = incidents[0]!;
    own = { id: i.id, number: i.number, name: i.reporter_name, phone: i.reporter_phone, idNumber: i.reporter_id_number };
    const { rows: neighbour } = await db.query<{ id: number }>('SELECT min(id) AS id FROM incidents WHERE center_id = $1', [rows[0]!.neighbour]);
    neighbourIncident = neighbour[0]!.id;
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('masking', () => {
    it.each(READERS.map((role) => [VILLAGE_ACCOUNT[role], role] as const))(
      'when %s (%s) pages through /api/incidents, then every incident of the village comes once and every reporter is masked',
      async (username) => {
        const s = await session(username);
        const raw = await rawReporters(s.session.user.center.id);
        const { incidents, pages } = await allIncidents(s, 100);
        expect(pages).toBeGreaterThan(3);
        expect(incidents.map((i) => i.id).sort((a, b) => a - b)).toEqual([...raw.keys()].sort((a, b) => a - b));
        expect(incidents.flatMap((i) => maskingProblems(i, raw.get(i.id)))).toEqual([]);
        // Newest report first across page boundaries.
        const order = incidents.map((i) => [Date.parse(i.reportedAt), i.id] as const);
        expect(order.every(([t, id], k) => k === 0 || t < order[k - 1]![0] || (t === order[k - 1]![0] && id < order[k - 1]![1]))).toBe(true);
        // Some reporters gave an ID number: the test saw masked ones.
        expect(incidents.filter((i) => i.reporterIdNumber !== null).length).toBeGreaterThan(0);
      },
    );

    it.each([
      ['operator.district', 500],
      ['leader.town', 250],
    ] as const)('when %s pages through its whole jurisdiction, then every incident comes once and every reporter is masked', async (username, limit) => {
      const s = await session(username);
      const raw = await rawReporters(s.session.user.center.id);
      const { incidents, pages } = await allIncidents(s, limit);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(raw.size / limit));
      expect(new Set(incidents.map((i) => i.id)).size).toBe(incidents.length);
      expect(incidents.length).toBe(raw.size);
      expect(incidents.flatMap((i) => maskingProblems(i, raw.get(i.id)))).toEqual([]);
    });

    it('when the village operator asks for each incident by id, then every one is masked', async () => {
      const s = await session('operator.village');
      const raw = await rawReporters(village);
      const problems: string[] = [];
      for (const id of raw.keys()) {
        const response = await s.get(`/api/incidents/${id}`);
        expect(response.status).toBe(200);
        problems.push(...maskingProblems((await response.json()) as Incident, raw.get(id)));
      }
      expect(problems).toEqual([]);
    });

    it.each(READERS.filter((r) => r !== 'operator').map((role) => [VILLAGE_ACCOUNT[role]] as const))(
      'when %s asks for incidents by id, then every reporter is masked',
      async (username) => {
        const s = await session(username);
        const raw = await rawReporters(village);
        // All with an ID number, and every tenth of the rest.
        const ids = [...raw.entries()].filter(([, r], k) => r.idNumber !== null || k % 10 === 0).map(([id]) => id);
        expect(ids.length).toBeGreaterThan(40);
        const problems: string[] = [];
        for (const id of ids) {
          const response = await s.get(`/api/incidents/${id}`);
          expect(response.status).toBe(200);
          problems.push(...maskingProblems((await response.json()) as Incident, raw.get(id)));
        }
        expect(problems).toEqual([]);
      },
    );
  });

  describe('unmasking', () => {
    it.each(UNMASKERS.map((role) => [VILLAGE_ACCOUNT[role], role] as const))(
      'when %s (%s) unmasks an incident of its village with a reason, then it gets the raw values and the act is audited with the reason',
      async (username) => {
        const s = await session(username);
        const { rows: marks } = await db.query<{ id: number }>('SELECT coalesce(max(id), 0)::bigint AS id FROM audit_log');
        const reason = `回访核实 ${username}`;
        const response = await s.send('POST', `/api/incidents/${own.id}/personal-data`, { reason });
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(await response.json()).toEqual({ reporterName: own.name, reporterPhone: own.phone, reporterIdNumber: own.idNumber });

        const { rows } = await db.query<{ user_id: number; action: string; outcome: string; object_type: string; object_id: string; detail: Record<string, unknown> }>(
          'SELECT user_id, action, outcome, object_type, object_id, detail FROM audit_log WHERE id > $1 ORDER BY id',
          [marks[0]!.id],
        );
        expect(rows).toEqual([
          {
            user_id: s.session.user.id,
            action: 'incident.unmask',
            outcome: 'success',
            object_type: 'incident',
            object_id: String(own.id),
            detail: { number: own.number, reason },
          },
        ]);
      },
    );

    it.each(NOT_UNMASKERS.map((role) => [VILLAGE_ACCOUNT[role], role] as const))(
      'when %s (%s) tries to unmask, then the answer is 403 without the data and the refusal is audited',
      async (username) => {
        const s = await session(username);
        const { rows: marks } = await db.query<{ id: number }>('SELECT coalesce(max(id), 0)::bigint AS id FROM audit_log');
        const response = await s.send('POST', `/api/incidents/${own.id}/personal-data`, { reason: '想看看' });
        const text = await response.text();
        expect(response.status).toBe(403);
        expect(JSON.parse(text)).toMatchObject({ type: 'urn:pingan:problem:forbidden', action: 'personal:unmask' });
        expect(text).not.toContain(own.phone!);
        const { rows } = await db.query<{ user_id: number; action: string; outcome: string }>(
          'SELECT user_id, action, outcome FROM audit_log WHERE id > $1 ORDER BY id',
          [marks[0]!.id],
        );
        expect(rows).toEqual([{ user_id: s.session.user.id, action: 'incident.unmask', outcome: 'denied' }]);
      },
    );

    it.each([
      ['no reason', {}],
      ['an empty reason', { reason: '    ' }],
      ['a reason of three characters', { reason: 'abc' }],
      ['no body at all', undefined],
    ] as const)('when an operator unmasks with %s, then the answer is 400 and nothing is revealed', async (_what, body) => {
      const s = await session('operator.village');
      const { rows: marks } = await db.query<{ id: number }>('SELECT coalesce(max(id), 0)::bigint AS id FROM audit_log');
      const response = await s.send('POST', `/api/incidents/${own.id}/personal-data`, body);
      const text = await response.text();
      expect(response.status).toBe(400);
      const problem = JSON.parse(text) as { type: string; 'invalid-params': { name: string }[] };
      expect(problem.type).toBe('urn:pingan:problem:invalid-params');
      if (body !== undefined) expect(problem['invalid-params'].map((p) => p.name)).toEqual(['reason']);
      expect(text).not.toContain(own.phone!);
      const { rows } = await db.query<{ outcome: string }>('SELECT outcome FROM audit_log WHERE id > $1 AND action = $2', [marks[0]!.id, 'incident.unmask']);
      expect(rows.map((r) => r.outcome)).toEqual(['failure']);
    });

    it.each(UNMASKERS.map((role) => [VILLAGE_ACCOUNT[role]] as const))(
      'when %s unmasks an incident of the neighbouring village, then the answer is exactly the 404 of an id that does not exist',
      async (username) => {
        const s = await session(username);
        const call = (id: number) => s.send('POST', `/api/incidents/${id}/personal-data`, { reason: '越权查看测试' });
        const outside = await call(neighbourIncident);
        const missing = await call(MISSING_ID);
        expect(outside.status).toBe(404);
        expect(missing.status).toBe(404);
        const strip = (p: Record<string, unknown>) => ({ ...p, instance: undefined, detail: String(p.detail).replace(/\d+$/, '<id>') });
        expect(strip((await outside.json()) as Record<string, unknown>)).toEqual(strip((await missing.json()) as Record<string, unknown>));
        // The district operator, whose jurisdiction holds that village, may.
        const district = await session('operator.district');
        expect((await district.send('POST', `/api/incidents/${neighbourIncident}/personal-data`, { reason: '区级回访核实' })).status).toBe(200);
      },
    );
  });

  describe('no raw values anywhere', () => {
    /** Paths of each GET endpoint to read as `s`; the incident list is walked separately. */
    const GET_PATHS: Readonly<Record<string, (s: ApiSession, sampleIds: number[]) => string[]>> = {
      '/api/health': () => ['/api/health'],
      '/api/openapi.json': () => ['/api/openapi.json'],
      '/api/auth/session': () => ['/api/auth/session'],
      '/api/auth/sessions': () => ['/api/auth/sessions'],
      '/api/tokens': () => ['/api/tokens'],
      '/api/users': () => ['/api/users?limit=200'],
      '/api/users/:id': (s) => [`/api/users/${s.session.user.id}`],
      '/api/audit': () => ['/api/audit?limit=500', '/api/audit?action=incident.&limit=500'],
      '/api/audit/verify': () => ['/api/audit/verify'],
      '/api/centers': () => ['/api/centers'],
      '/api/map/extent': () => ['/api/map/extent'],
      '/api/map/config': () => ['/api/map/config'],
      // Incident numbers, grid and camera codes and names, place names: many hits of each kind.
      '/api/search': () => ['/api/search?q=SJ&limit=50', '/api/search?q=G-0&limit=50', '/api/search?q=%E7%A4%BE&limit=50'],
      '/api/basemap/:layer.geojson': () => BASEMAP_LAYERS.map((layer) => `/api/basemap/${layer}.geojson`),
      '/api/grids': () => ['/api/grids'],
      // One grid or camera: staff, counts and the camera's own fields, no reporter; not walked here.
      '/api/grids/:id': () => [],
      '/api/cameras': () => ['/api/cameras?limit=10000'],
      '/api/cameras/:id': () => [],
      '/api/patrols/teams': () => ['/api/patrols/teams'],
      '/api/patrols/routes': () => ['/api/patrols/routes'],
      '/api/patrols/positions': () => ['/api/patrols/positions'],
      // One unit: callsign, team, route and position, no reporter; not walked here.
      '/api/patrols/units/:id': () => [],
      '/api/incidents': () => [],
      '/api/incidents/:id': (_s, ids) => ids.map((id) => `/api/incidents/${id}`),
      '/api/incidents/heatmap': () => ['/api/incidents/heatmap?bbox=106.4,30.2,107,30.8&zoom=10'],
      '/api/incident-deadlines': () => ['/api/incident-deadlines'],
      '/api/incidents/:id/actions': (_s, ids) => ids.slice(0, 20).map((id) => `/api/incidents/${id}/actions`),
      // Workers' phones are masked there; the reporter is not named.
      '/api/incidents/:id/dispatch-options': (_s, ids) => ids.slice(0, 10).map((id) => `/api/incidents/${id}/dispatch-options`),
      '/api/incidents/:id/photos': (_s, ids) => ids.slice(0, 10).map((id) => `/api/incidents/${id}/photos`),
      // The image bytes themselves.
      '/api/incidents/:id/photos/:photoId': () => [],
      '/api/geofences': () => ['/api/geofences'],
      '/api/geofences/alerts': () => ['/api/geofences/alerts?limit=500'],
      '/open311/v2/discovery.json': () => ['/open311/v2/discovery.json'],
      '/open311/v2/services.json': () => ['/open311/v2/services.json'],
      '/open311/v2/services/:service_code.json': () => ['/open311/v2/services/dispute.json'],
      '/open311/v2/requests.json': () => ['/open311/v2/requests.json'],
      // The same fields as the list, one request at a time.
      '/open311/v2/requests/:service_request_id.json': () => [],
      // Binary answers (points, vector tiles) carry only the attributes their SQL lists: no personal data.
      '/api/incidents/points': () => [],
      ...Object.fromEntries(
        TILE_LAYERS.flatMap((l) => [
          [`/tiles/${l.name}/:z/:x/:y.mvt`, () => []],
          [`/tiles/${l.name}.json`, () => [`/tiles/${l.name}.json`]],
        ]),
      ),
      '/ogc': () => ['/ogc'],
      '/ogc/conformance': () => ['/ogc/conformance'],
      '/ogc/collections': () => ['/ogc/collections'],
      '/ogc/collections/grids': () => ['/ogc/collections/grids'],
      '/ogc/collections/grids/items': () => ['/ogc/collections/grids/items?limit=10000'],
      '/ogc/collections/grids/items/:featureId': () => [],
      '/ogc/collections/cameras': () => ['/ogc/collections/cameras'],
      '/ogc/collections/cameras/items': () => ['/ogc/collections/cameras/items?limit=10000'],
      '/ogc/collections/cameras/items/:featureId': () => [],
      '/ogc/collections/patrol-routes': () => ['/ogc/collections/patrol-routes'],
      '/ogc/collections/patrol-routes/items': () => ['/ogc/collections/patrol-routes/items?limit=10000'],
      '/ogc/collections/patrol-routes/items/:featureId': () => [],
      '/ogc/collections/incidents': () => ['/ogc/collections/incidents'],
      // Every incident of the jurisdiction in one page (the demo district has 10,000).
      '/ogc/collections/incidents/items': () => ['/ogc/collections/incidents/items?limit=10000'],
      '/ogc/collections/incidents/items/:featureId': (_s, ids) => ids.map((id) => `/ogc/collections/incidents/items/${id}`),
    };

    it('when the server lists its GET endpoints, then each has its paths in this test', () => {
      const served = server.routes.filter((r) => r.method === 'get').map((r) => r.path).sort();
      expect(Object.keys(GET_PATHS).sort()).toEqual(served);
    });

    it.each([...Object.values(VILLAGE_ACCOUNT), 'operator.district', 'auditor.district'])(
      'when %s reads every GET endpoint, then no answer holds a raw phone or ID number of its jurisdiction',
      async (username) => {
        const s = await session(username);
        const secrets = await secretsOf(s.session.user.center.id);
        expect(secrets.size).toBeGreaterThan(0);
        const raw = await rawReporters(s.session.user.center.id);
        const sampleIds = [...raw.entries()].filter(([, r], k) => r.idNumber !== null || k % 50 === 0).map(([id]) => id).slice(0, 150);
        const found: string[] = [];
        for (const route of Object.keys(GET_PATHS)) {
          for (const path of GET_PATHS[route]!(s, sampleIds)) {
            const response = await s.get(path);
            const text = await response.text();
            expect(response.headers.get('content-type'), path).toMatch(/json/);
            found.push(...findSecrets(JSON.parse(text), secrets).map((v) => `${path}: ${v}`));
          }
        }
        if (can(s.session.user.role as Role, 'incidents:read')) {
          const { bodies } = await allIncidents(s, 500);
          for (const body of bodies) found.push(...findSecrets(body, secrets).map((v) => `/api/incidents: ${v}`));
        }
        expect(found).toEqual([]);
      },
    );

    it('when the detector is shown a raw value, then it finds it (the test above can fail)', () => {
      const secrets = new Set([own.phone!, own.idNumber!]);
      expect(findSecrets({ a: [`tel:${own.phone}`], b: { [own.idNumber!]: 1 } }, secrets)).toEqual([own.phone, own.idNumber]);
      expect(findSecrets({ phone: maskPhone(own.phone!), id: maskIdNumber(own.idNumber!) }, secrets)).toEqual([]);
    });
  });
});
