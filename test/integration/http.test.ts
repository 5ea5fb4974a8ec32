import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { detectDatabaseInfo } from '../../server/db/capabilities.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectProblem } from '../support/problem.js';
import { signIn, type ApiSession } from '../support/session.js';

// The real app on a free port against the run's database, spoken to with fetch.

const CLIENT_BUILT = existsSync(fileURLToPath(new URL('../../dist/client/index.html', import.meta.url)));


interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; id: number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}


describe('HTTP API', () => {
  let server: TestServer;
  /** A district duty operator: sees the whole demo district. */
  let operator: ApiSession;
  const url = (path: string) => `${server.baseUrl}${path}`;

  beforeAll(async () => {
    server = await startTestServer();
    operator = await signIn(server.baseUrl, 'operator.district');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when health is asked, then it reports the database mode, versions, probed capabilities and the loaded data set', async () => {
    const response = await fetch(url('/api/health'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as {
      status: string;
      database: { mode: string; postgres: string; postgis: string; capabilities: { nativeMvt: boolean } };
      demo: { loaded: boolean; dataset: string | null; version: string | null; loadedAt: string | null };
    };
    const fresh = await detectDatabaseInfo(server.db);
    expect(body.status).toBe('ok');
    expect(body.database.mode).toBe(inject('databaseMode'));
    expect(body.database.postgis).toMatch(/^3\.\d+/);
    expect(body.database.postgres).toBe(fresh.postgres);
    expect(body.database.capabilities).toEqual(fresh.capabilities);
    // The global setup loads the demo into the run's database.
    expect(body.demo).toMatchObject({ loaded: true, dataset: expect.any(String), version: expect.any(String) });
    expect(Number.isNaN(Date.parse(body.demo.loadedAt ?? ''))).toBe(false);
  });

  it('when an unknown /api path is requested, then the answer is a 404 problem', async () => {
    const problem = await expectProblem(await fetch(url('/api/no-such-thing?x=1')), 404);
    expect(problem.instance).toBe('/api/no-such-thing');
  });

  it('when a known /api path is asked with an unsupported method, then the answer is a 404 problem', async () => {
    await expectProblem(await fetch(url('/api/grids'), { method: 'DELETE' }), 404);
  });

  it.each([
    ['level=7', 'level'],
    ['level=abc', 'level'],
    ['level=1&level=2', 'level'],
    ['kind=everything', 'kind'],
    ['department=army', 'department'],
  ])('when grids are asked with %s, then the answer is a 400 problem naming %s', async (query, param) => {
    const problem = await expectProblem(await operator.get(`/api/grids?${query}`), 400);
    expect(problem['invalid-params']).toEqual([expect.objectContaining({ name: param, in: 'query', reason: expect.any(String) })]);
    expect(problem.detail).toContain(param);
  });

  it('when several grid filters are wrong at once, then one 400 problem lists them all', async () => {
    const problem = await expectProblem(await operator.get('/api/grids?level=0&kind=x'), 400);
    expect(problem['invalid-params']?.map((p) => p.name).sort()).toEqual(['kind', 'level']);
  });

  it('when a POST with malformed JSON reaches the API, then the answer is a 400 problem, never a 500', async () => {
    const response = await fetch(url('/api/no-such-route'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"level": 1,',
    });
    const problem = await expectProblem(response, 400);
    expect(problem.detail).toMatch(/not valid JSON/);
  });

  it('when a JSON body is larger than 1 MB, then the answer is a 413 problem', async () => {
    const response = await fetch(url('/api/no-such-route'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
    });
    await expectProblem(response, 413);
  });

  it('when a path carries a malformed %-escape, then the answer is a 400 problem', async () => {
    await expectProblem(await operator.get('/api/basemap/%E0%A4%A.geojson'), 400);
  });

  it.each(['/api/health', '/', '/api/no-such-thing'])('when %s is served, then the security headers are set', async (path) => {
    const response = await fetch(url(path));
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "worker-src 'self' blob:",
      'child-src blob:',
      "connect-src 'self' ws: wss:",
      "font-src 'self' data:",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/\S/);
    await response.arrayBuffer();
  });

  it.each([
    ['landuse', ['kind', 'name']],
    ['water', ['name']],
    ['waterways', ['class', 'name']],
    ['roads', ['class', 'name']],
    ['places', ['kind', 'poi_kind', 'name', 'rank']],
  ])('when base-map layer %s is requested, then it is a cacheable GeoJSON FeatureCollection with its properties', async (layer, props) => {
    const response = await operator.get(`/api/basemap/${layer}.geojson`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    const body = (await response.json()) as FeatureCollection;
    expect(body.type).toBe('FeatureCollection');
    // The demo district has every layer.
    expect(body.features.length).toBeGreaterThan(0);
    for (const feature of body.features) {
      expect(feature.type).toBe('Feature');
      expect(Object.keys(feature.properties).sort()).toEqual([...props].sort());
    }
  });

  it('when an unknown base-map layer is requested, then the answer is a 404 problem naming the layers', async () => {
    const problem = await expectProblem(await operator.get('/api/basemap/buildings.geojson'), 404);
    expect(problem.detail).toContain('roads');
  });

  it('when level-1 grids are asked, then every feature is a level-1 (multi)polygon with the documented properties', async () => {
    const response = await operator.get('/api/grids?level=1&kind=general');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const body = (await response.json()) as FeatureCollection;
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.length).toBeGreaterThan(0);
    for (const feature of body.features) {
      expect(feature.geometry.type).toMatch(/^(Multi)?Polygon$/);
      expect(feature.properties).toMatchObject({ level: 1, kind: 'general', department: null, parent_id: null });
      expect(Object.keys(feature.properties).sort()).toEqual(
        ['center_id', 'code', 'department', 'households', 'id', 'kind', 'level', 'name', 'parent_id', 'population'],
      );
      expect(feature.id).toBe(feature.properties.id);
    }
  });

  it('when grids are filtered by department, then only that department\'s specialist grids come back', async () => {
    const body = (await (await operator.get('/api/grids?department=police')).json()) as FeatureCollection;
    for (const feature of body.features) expect(feature.properties).toMatchObject({ kind: 'specialist', department: 'police' });
  });

  it('when the same grids are asked again with their ETag, then the answer is 304', async () => {
    const first = await operator.get('/api/grids?level=1');
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // fetch() adds `Cache-Control: no-cache` to a hand-made conditional request unless told otherwise.
    const again = await operator.get('/api/grids?level=1', { 'if-none-match': etag!, 'cache-control': 'max-age=0' });
    expect(again.status).toBe(304);
  });

  it('when a district user asks for the map extent, then it names the district and gives a bbox around its center', async () => {
    const response = await operator.get('/api/map/extent');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { name: string; level: string; bbox: number[]; center: number[] };
    expect(body.name).toMatch(/\S/);
    expect(body.level).toBe('district');
    const [minLon, minLat, maxLon, maxLat] = body.bbox as [number, number, number, number];
    const [lon, lat] = body.center as [number, number];
    expect(minLon).toBeLessThan(maxLon);
    expect(minLat).toBeLessThan(maxLat);
    expect(lon).toBeGreaterThanOrEqual(minLon);
    expect(lon).toBeLessThanOrEqual(maxLon);
    expect(lat).toBeGreaterThanOrEqual(minLat);
    expect(lat).toBeLessThanOrEqual(maxLat);
  });

  it('when the web client is requested, then / and client-side routes get index.html (or the not-built page)', async () => {
    for (const path of ['/', '/command/incidents']) {
      const response = await fetch(url(path));
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      if (CLIENT_BUILT) {
        expect(response.status).toBe(200);
        expect(html).toMatch(/<div id="app"|<script type="module"/);
      } else {
        expect(response.status).toBe(503);
        expect(html).toContain('npm run build');
      }
    }
  });

  it.skipIf(!CLIENT_BUILT)('when a script of the web client is requested with gzip accepted, then it comes gzipped and cached for good', async () => {
    const html = await (await fetch(url('/'))).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, 'a script in index.html').toBeDefined();
    const response = await fetch(url(script!), { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cache-control')).toContain('immutable');
    // fetch has undone the gzip: the body is the script itself.
    expect((await response.text()).length).toBeGreaterThan(1000);
    const api = await fetch(url('/api/health'), { headers: { 'accept-encoding': 'gzip' } });
    expect(api.headers.get('content-encoding'), 'API answers are not compressed').toBeNull();
  });

  it.skipIf(!CLIENT_BUILT)('when the offline shell is requested, then its service worker comes from the root, revalidated, listing files the server has', async () => {
    const response = await fetch(url('/service-worker.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const worker = await response.text();
    const literal = /JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(worker)?.[1];
    expect(literal, 'the build put its file list into the worker').toBeDefined();
    const manifest = JSON.parse(JSON.parse(literal!) as string) as { version: string; files: string[] };
    expect(manifest.version).toMatch(/^[0-9a-f]{16}$/);
    const html = await (await fetch(url('/'))).text();
    const referenced = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(referenced.length).toBeGreaterThan(2);
    expect(manifest.files).toEqual(expect.arrayContaining(['/index.html', ...referenced]));
    for (const file of manifest.files) expect((await fetch(url(file))).status, file).toBe(200);
  });

  it('when a missing static file is requested, then the answer is a 404, not the app shell', async () => {
    await expectProblem(await fetch(url('/assets/no-such-chunk.js')), 404);
  });

  it.each([
    ['a NUL byte in a filter', 'GET', '/api/grids?level=%00'],
    ['a filter given as an array', 'GET', '/api/grids?department[]=police'],
    ['a number too large for a double', 'GET', '/api/grids?level=1e400'],
    ['a 20 kB query string', 'GET', `/api/grids?level=1&note=${'x'.repeat(20_000)}`],
    ['an encoded path traversal', 'GET', '/api/basemap/..%2F..%2Fetc%2Fpasswd.geojson'],
    ['a dot-dot path', 'GET', '/api/map/extent/../../health'],
    ['an overlong UTF-8 path traversal', 'GET', '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd'],
    ['a POST with a truncated JSON array', 'POST', '/api/grids'],
    ['a PUT to the web client', 'PUT', '/'],
  ])('when odd input arrives (%s), then the answer is not a 5xx', async (_label, method, path) => {
    const response = await fetch(url(path), {
      method,
      headers: { 'content-type': 'application/json', cookie: operator.cookie, 'x-csrf-token': operator.csrfToken },
      body: method === 'GET' ? undefined : '[',
    });
    expect(response.status).toBeLessThan(500);
    await response.arrayBuffer();
  });
});
