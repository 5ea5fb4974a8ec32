import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, SEVERITIES } from '../../server/incidents/enums.js';
import { expectOpen311Error } from '../support/open311.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { demoUser, signIn, type ApiSession } from '../support/session.js';

// Open311 GeoReport v2 at /open311/v2, as a civic-reporting client uses it: the service
// list and definitions, a request filed form-encoded with api_key (a personal access token
// of operator.village) and stored as an incident with source open311, attributed to its
// grid; the request read back open with its deadline, and closed after the workflow has
// run through; the search by id list, service code, status and window; and bad input,
// which answers Open311's error array `[{ code, description }]` with a 4xx status and
// stores nothing.

interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  lat: number;
  long: number;
}

interface Filed {
  service_request_id: string;
  service_notice: string;
  account_id: null;
}

interface Token {
  id: number;
  token: string;
}

const NUMBER = /^SJ\d{8}-\d{8}$/;

describe('Open311 GeoReport v2 at /open311/v2', () => {
  let server: TestServer;
  let village: ApiSession;
  let token: Token;
  let readOnly: Token;
  /** A point inside a level-3 grid of operator.village's jurisdiction. */
  let inside: { lon: number; lat: number };
  /** A point inside a level-3 grid of another center. */
  let elsewhere: { lon: number; lat: number };
  /** An incident number of another center. */
  let foreignNumber: string;

  const url = (path: string) => `${server.baseUrl}/open311/v2${path}`;
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const countIncidents = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM incidents'))[0]!.n);

  /** A POST of form fields, as most Open311 clients send it. */
  const postForm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url('/requests.json'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  const postJson = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url('/requests.json'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const validFields = (key: string): Record<string, string> => ({
    api_key: key,
    service_code: 'city_management',
    lat: String(inside.lat),
    long: String(inside.lon),
  });

  async function createToken(body: Record<string, unknown>): Promise<Token> {
    const response = await village.send('POST', '/api/tokens', body);
    const text = await response.text();
    expect(response.status, text).toBe(201);
    return JSON.parse(text) as Token;
  }

  async function fileForm(fields: Record<string, string>): Promise<Filed> {
    const response = await postForm(fields);
    const text = await response.text();
    expect(response.status, text).toBe(201);
    const filed = JSON.parse(text) as Filed[];
    expect(filed).toHaveLength(1);
    return filed[0]!;
  }

  async function readRequest(number: string, key = token.token): Promise<ServiceRequest> {
    const response = await fetch(url(`/requests/${number}.json?api_key=${key}`));
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const found = JSON.parse(text) as ServiceRequest[];
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  async function search(query: string): Promise<ServiceRequest[]> {
    const response = await fetch(url(`/requests.json?${query}`), { headers: { authorization: `Bearer ${token.token}` } });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as ServiceRequest[];
  }

  beforeAll(async () => {
    server = await startTestServer();
    village = await signIn(server.baseUrl, demoUser('operator', 'village'));
    token = await createToken({ name: 'Open311 client', expiresInDays: 1 });
    readOnly = await createToken({ name: 'Open311 reader', expiresInDays: 1, role: 'analyst' });
    const scope = village.session.user.center.id;
    const points = await sql<{ lon: number; lat: number; mine: boolean }>(
      `SELECT DISTINCT ON (mine) ST_X(p) AS lon, ST_Y(p) AS lat, mine
       FROM (SELECT ST_PointOnSurface(geom) AS p, id,
                    center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1) AS mine
             FROM grids WHERE level = 3) AS g
       ORDER BY mine, id`,
      [scope],
    );
    inside = points.find((p) => p.mine)!;
    elsewhere = points.find((p) => !p.mine)!;
    foreignNumber = (
      await sql<{ number: string }>(
        'SELECT number FROM incidents WHERE center_id NOT IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1) ORDER BY id LIMIT 1',
        [scope],
      )
    )[0]!.number;
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('services', () => {
    it('when the service list is asked without a key, then it lists one realtime service per incident category', async () => {
      const response = await fetch(url('/services.json'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const services = (await response.json()) as { service_code: string; service_name: string; metadata: boolean; type: string }[];
      expect(services.map((s) => s.service_code)).toEqual([...CATEGORIES]);
      for (const s of services) expect(s).toMatchObject({ metadata: true, type: 'realtime', service_name: expect.any(String) });
      expect(services.find((s) => s.service_code === 'dispute')?.service_name).toBe('矛盾纠纷');
    });

    it('when a service definition is asked, then it declares the optional attribute severity with its values', async () => {
      const response = await fetch(url('/services/dispute.json'));
      expect(response.status).toBe(200);
      const definition = (await response.json()) as { service_code: string; attributes: { code: string; datatype: string; required: boolean; values: { key: string }[] }[] };
      expect(definition.service_code).toBe('dispute');
      expect(definition.attributes).toHaveLength(1);
      expect(definition.attributes[0]).toMatchObject({ code: 'severity', datatype: 'singlevaluelist', required: false });
      expect(definition.attributes[0]!.values.map((v) => v.key)).toEqual([...SEVERITIES]);
    });

    it('when an unknown service is defined, then the answer is a 404 Open311 error', async () => {
      const [description] = await expectOpen311Error(await fetch(url('/services/robbery.json')), 404);
      expect(description).toContain('robbery');
    });

    it('when discovery is asked, then it points at this GeoReport v2 endpoint, JSON only', async () => {
      const response = await fetch(url('/discovery.json'));
      expect(response.status).toBe(200);
      const discovery = (await response.json()) as { endpoints: { specification: string; url: string; formats: string[] }[] };
      expect(discovery.endpoints).toEqual([
        expect.objectContaining({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${server.baseUrl}/open311/v2`, formats: ['application/json'] }),
      ]);
    });
  });

  describe('filing and following a request', () => {
    let filed: Filed;

    beforeAll(async () => {
      filed = await fileForm({
        ...validFields(token.token),
        'attribute[severity]': 'high',
        description: '路灯不亮\n小区东门的路灯三天没亮了',
        address_string: '东门',
        media_url: 'https://photos.example/lamp.jpg',
        first_name: '张',
        last_name: '三',
        phone: '13800138000',
        email: 'zhang@example.com',
        device_id: 'device-1',
        account_id: 'account-1',
      });
    });

    it('when a request is filed form-encoded with api_key, then it answers its number and is stored as an open311 incident of a grid', async () => {
      expect(filed).toEqual({ service_request_id: expect.stringMatching(NUMBER), service_notice: expect.any(String), account_id: null });
      const [row] = await sql<Record<string, unknown>>(
        `SELECT i.source, i.category, i.severity, i.title, i.description, i.address, i.reporter_name, i.reporter_phone,
                i.grid_id, i.due_at IS NOT NULL AS has_due, i.idempotency_key,
                i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2) AS in_scope,
                (SELECT e.action || ' ' || e.actor_user_id FROM incident_events e WHERE e.incident_id = i.id) AS step
         FROM incidents i WHERE i.number = $1`,
        [filed.service_request_id, village.session.user.center.id],
      );
      expect(row).toEqual({
        source: 'open311',
        category: 'city_management',
        severity: 'high',
        title: '路灯不亮',
        description: '路灯不亮\n小区东门的路灯三天没亮了\n\nmedia_url: https://photos.example/lamp.jpg',
        address: '东门',
        reporter_name: null,
        reporter_phone: null,
        grid_id: expect.anything(),
        has_due: true,
        idempotency_key: null,
        in_scope: true,
        step: `receive ${village.session.user.id}`,
      });
    });

    it('when the request is read back with api_key, then it is open with its deadline as expected_datetime', async () => {
      const found = await readRequest(filed.service_request_id);
      const [due] = await sql<{ due_at: Date; reported_at: Date }>('SELECT due_at, reported_at FROM incidents WHERE number = $1', [filed.service_request_id]);
      expect(found).toMatchObject({
        service_request_id: filed.service_request_id,
        status: 'open',
        service_code: 'city_management',
        service_name: '城市管理',
        address: '东门',
        expected_datetime: due!.due_at.toISOString(),
        requested_datetime: due!.reported_at.toISOString(),
      });
      expect(found.lat).toBeCloseTo(inside.lat, 9);
      expect(found.long).toBeCloseTo(inside.lon, 9);
      expect(found.status_notes).toContain('received');
    });

    it('when the request is read with a bearer header or a session cookie, then the same request comes back', async () => {
      const byHeader = await fetch(url(`/requests/${filed.service_request_id}.json`), { headers: { authorization: `Bearer ${token.token}` } });
      expect(byHeader.status).toBe(200);
      const bySession = await village.get(`/open311/v2/requests/${filed.service_request_id}.json`);
      expect(bySession.status).toBe(200);
      expect(await bySession.json()).toEqual(await byHeader.json());
    });

    it('when a request is filed as JSON with a bearer token and no severity, then it is filed as medium, titled by its first line', async () => {
      const response = await postJson(
        { service_code: 'livelihood', lat: inside.lat, long: inside.lon, description: `${'停水两天'.repeat(20)}\n三号楼` },
        { authorization: `Bearer ${token.token}` },
      );
      const text = await response.text();
      expect(response.status, text).toBe(201);
      const [created] = JSON.parse(text) as Filed[];
      expect(response.headers.get('location')).toBe(`/open311/v2/requests/${created!.service_request_id}.json`);
      const [row] = await sql<{ severity: string; source: string; title: string }>('SELECT severity, source, title FROM incidents WHERE number = $1', [
        created!.service_request_id,
      ]);
      expect(row).toEqual({ severity: 'medium', source: 'open311', title: `${'停水两天'.repeat(20).slice(0, 59)}…` });
    });

    it('when a request is sent again with the same Idempotency-Key, then one incident is stored and the retry answers 200 with its number', async () => {
      const key = `open311-retry-${Date.now()}`;
      const body = { service_code: 'city_management', lat: inside.lat, long: inside.lon, description: '井盖缺失（重试测试）' };
      const headers = { authorization: `Bearer ${token.token}`, 'idempotency-key': key };
      const [first, again] = [await postJson(body, headers), await postJson(body, headers)];
      expect(first.status, await first.clone().text()).toBe(201);
      expect(again.status, await again.clone().text()).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const [a] = (await first.json()) as Filed[];
      const [b] = (await again.json()) as Filed[];
      expect(b!.service_request_id).toBe(a!.service_request_id);
      expect(await sql('SELECT id FROM incidents WHERE idempotency_key = $1', [key])).toHaveLength(1);

      const other = await postJson({ ...body, description: '另一件事' }, headers);
      expect(other.status).toBe(422);
      expect(await other.json()).toEqual([{ code: 422, description: expect.stringMatching(/key/i) }]);
      const malformed = await postJson(body, { ...headers, 'idempotency-key': 'short' });
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as Array<{ description: string }>)[0]!.description).toMatch(/^Idempotency-Key/);
      expect(await sql('SELECT id FROM incidents WHERE idempotency_key = $1', [key])).toHaveLength(1);
    });

    it('when a signed-in browser files with its X-CSRF-Token, then it is filed like any other write', async () => {
      const response = await village.send('POST', '/open311/v2/requests.json', { service_code: 'other', lat: inside.lat, long: inside.lon });
      expect(response.status, await response.clone().text()).toBe(201);
      expect(((await response.json()) as Filed[])[0]!.service_request_id).toMatch(NUMBER);
    });

    it('when the workflow closes the incident, then the request shows closed with how it ended', async () => {
      const [incident] = await sql<{ id: string }>('SELECT id FROM incidents WHERE number = $1', [filed.service_request_id]);
      const id = Number(incident!.id);
      for (const step of [
        { action: 'dispatch', assignee: { kind: 'department', department: 'urban_management' } },
        { action: 'accept' },
        { action: 'feedback', note: '已更换灯泡' },
        { action: 'review' },
        { action: 'revisit', note: '回访：路灯已亮' },
        { action: 'close', outcome: 'resolved' },
      ]) {
        const response = await village.send('POST', `/api/incidents/${id}/actions`, step);
        expect(response.status, `${step.action}: ${await response.text()}`).toBe(200);
      }
      const found = await readRequest(filed.service_request_id);
      expect(found.status).toBe('closed');
      expect(found.status_notes).toContain('closed');
      expect(found.status_notes).toContain('resolved');
    });

    it('when requests are searched, then the id list, service code, status and window select them', async () => {
      const id = filed.service_request_id;
      expect((await search(`service_request_id=${id},${foreignNumber}`)).map((r) => r.service_request_id)).toEqual([id]);
      const closed = await search('status=closed&service_code=city_management');
      expect(closed.map((r) => r.service_request_id)).toContain(id);
      expect(closed.every((r) => r.status === 'closed' && r.service_code === 'city_management')).toBe(true);
      const open = await search('status=open');
      expect(open.map((r) => r.service_request_id)).not.toContain(id);
      expect(open.every((r) => r.status === 'open')).toBe(true);
      const recent = await search('');
      expect(recent.map((r) => r.service_request_id)).toContain(id);
      expect(recent.length).toBeLessThanOrEqual(1000);
      const times = recent.map((r) => r.requested_datetime);
      expect(times).toEqual([...times].sort().reverse());
      expect(await search(`start_date=${encodeURIComponent('2020-01-01T00:00:00Z')}&end_date=${encodeURIComponent('2020-02-01T00:00:00Z')}`)).toEqual([]);
      const scoped = await sql<{ n: string }>(
        `SELECT count(*) AS n FROM incidents WHERE number = ANY ($1) AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)`,
        [recent.map((r) => r.service_request_id), village.session.user.center.id],
      );
      expect(Number(scoped[0]!.n)).toBe(recent.length);
    });
  });

  describe('bad input answers an Open311 error and stores nothing', () => {
    let before: number;
    beforeAll(async () => {
      before = await countIncidents();
    });

    it('when the service code is unknown, then 400 names service_code', async () => {
      const descriptions = await expectOpen311Error(await postForm({ ...validFields(token.token), service_code: 'robbery' }), 400);
      expect(descriptions).toEqual([expect.stringMatching(/^service_code: must be one of dispute/)]);
    });

    it('when the latitude is 95, then 400 names lat', async () => {
      expect(await expectOpen311Error(await postForm({ ...validFields(token.token), lat: '95' }), 400)).toEqual([expect.stringMatching(/^lat: latitude must be within/)]);
    });

    it('when lat and long are missing (only address_string), then 400 says they are required', async () => {
      const { lat: _lat, long: _long, ...rest } = validFields(token.token);
      const descriptions = await expectOpen311Error(await postForm({ ...rest, address_string: '人民路1号' }), 400);
      expect(descriptions).toEqual([expect.stringMatching(/^lat: lat and long are required/), expect.stringMatching(/^long: lat and long are required/)]);
    });

    it('when lat is a word or long is blank, then 400 names each', async () => {
      const descriptions = await expectOpen311Error(await postForm({ ...validFields(token.token), lat: 'north', long: '' }), 400);
      expect(descriptions).toEqual([expect.stringMatching(/^lat: must be a number/), expect.stringMatching(/^long: lat and long are required/)]);
    });

    it('when media_url is not an http URL or the severity is unknown, then 400 names them', async () => {
      const descriptions = await expectOpen311Error(
        await postForm({ ...validFields(token.token), media_url: 'javascript:alert(1)', 'attribute[severity]': 'apocalyptic' }),
        400,
      );
      expect(descriptions.map((d) => d.split(':')[0])).toEqual(['media_url', 'attribute[severity]']);
    });

    it('when the JSON body is cut off, then 400', async () => {
      await expectOpen311Error(
        await fetch(url('/requests.json'), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` }, body: '{"lat":' }),
        400,
      );
    });

    it('when no api_key and no session come, then 401 asks for an api_key', async () => {
      const { api_key: _key, ...fields } = validFields(token.token);
      const [description] = await expectOpen311Error(await postForm(fields), 401);
      expect(description).toContain('api_key');
      await expectOpen311Error(await fetch(url('/requests.json')), 401);
    });

    it('when the api_key is made up, then 401 says it is unknown', async () => {
      const [description] = await expectOpen311Error(await postForm(validFields(`pm_${'A'.repeat(43)}`)), 401);
      expect(description).toMatch(/unknown, revoked or expired/);
    });

    it('when api_key is given twice, then 400 names it', async () => {
      expect(await expectOpen311Error(await fetch(url(`/requests.json?api_key=a&api_key=b`)), 400)).toEqual(['api_key: must be given once']);
    });

    it('when the token may only read, then filing is 403 and reading works', async () => {
      const [description] = await expectOpen311Error(await postForm(validFields(readOnly.token)), 403);
      expect(description).toContain('incidents:report');
      expect((await fetch(url(`/requests.json?api_key=${readOnly.token}`))).status).toBe(200);
    });

    it('when a signed-in browser files without its X-CSRF-Token, then 403', async () => {
      await expectOpen311Error(await village.send('POST', '/open311/v2/requests.json', { service_code: 'other', lat: inside.lat, long: inside.lon }, { csrf: false }), 403);
    });

    it('when the point is outside every grid, then 422', async () => {
      const [description] = await expectOpen311Error(await postForm({ ...validFields(token.token), lat: '0', long: '0' }), 422);
      expect(description).toContain('outside every grid');
    });

    it("when the point is in another center's grid, then 403 outside the jurisdiction", async () => {
      const [description] = await expectOpen311Error(await postForm({ ...validFields(token.token), lat: String(elsewhere.lat), long: String(elsewhere.lon) }), 403);
      expect(description).toContain('outside your jurisdiction');
    });

    it("when another center's request is asked, then 404 as for an unknown one", async () => {
      await expectOpen311Error(await fetch(url(`/requests/${foreignNumber}.json?api_key=${token.token}`)), 404);
      await expectOpen311Error(await fetch(url(`/requests/SJ20000101-99999999.json?api_key=${token.token}`)), 404);
    });

    it('when the request id is not an incident number, then 400', async () => {
      const [description] = await expectOpen311Error(await fetch(url(`/requests/${encodeURIComponent("1' OR 1=1")}.json?api_key=${token.token}`)), 400);
      expect(description).toMatch(/^service_request_id: /);
    });

    it('when the search window is over 90 days, backwards, or the status unknown, then 400 names the parameter', async () => {
      const check = async (query: string, param: string) => {
        const descriptions = await expectOpen311Error(await fetch(url(`/requests.json?${query}&api_key=${token.token}`)), 400);
        expect(descriptions.map((d) => d.split(':')[0])).toContain(param);
      };
      await check(`start_date=${encodeURIComponent('2026-01-01T00:00:00Z')}&end_date=${encodeURIComponent('2026-06-01T00:00:00Z')}`, 'end_date');
      await check(`start_date=${encodeURIComponent('2026-03-01T00:00:00Z')}&end_date=${encodeURIComponent('2026-02-01T00:00:00Z')}`, 'end_date');
      await check('start_date=yesterday', 'start_date');
      await check('status=pending', 'status.0');
      await check('service_code=dispute,robbery', 'service_code.1');
      await check('status=open&status=closed', 'status');
    });

    it('when the token is revoked, then it no longer files or reads', async () => {
      const doomed = await createToken({ name: 'Open311 revoked', expiresInDays: 1 });
      expect((await village.send('DELETE', `/api/tokens/${doomed.id}`)).status).toBe(204);
      await expectOpen311Error(await postForm(validFields(doomed.token)), 401);
      await expectOpen311Error(await fetch(url(`/requests.json?api_key=${doomed.token}`)), 401);
    });

    it('when a path under /open311 is unknown or asks for XML, then 404 in the Open311 form', async () => {
      await expectOpen311Error(await fetch(url('/requests.xml')), 404);
      await expectOpen311Error(await fetch(`${server.baseUrl}/open311/v3/services.json`), 404);
    });

    it('when every refusal has been sent, then no incident was stored', async () => {
      expect(await countIncidents()).toBe(before);
    });
  });
});
