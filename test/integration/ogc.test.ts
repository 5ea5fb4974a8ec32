import { execFile, spawnSync } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// OGC API – Features (Part 1: Core, GeoJSON) at /ogc: the landing page, conformance and
// collection documents with absolute links, the items of each collection compared with
// the same question asked of PostGIS directly, keyset paging through next links, the
// datetime filter on incidents, the jurisdiction, reporters' masked personal data, bad
// input, and GDAL's OAPIF driver (ogrinfo / ogr2ogr) reading the server with a personal
// access token when GDAL is installed.

interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

interface Feature<P = Record<string, unknown>> {
  type: 'Feature';
  id: number;
  geometry: { type: string; coordinates: unknown };
  properties: P & { id: number; center_id: number };
  links?: Link[];
}

interface Page<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  numberMatched?: number;
  numberReturned: number;
  timeStamp: string;
  links: Link[];
  features: Feature<P>[];
}

interface Collection {
  id: string;
  title: string;
  description: string;
  extent?: { spatial?: { bbox: number[][]; crs: string }; temporal?: { interval: (string | null)[][]; trs: string } };
  itemType: string;
  crs: string[];
  links: Link[];
}

interface IncidentProperties {
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_id_number: string | null;
  reported_at: string;
}

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const COLLECTIONS = ['grids', 'cameras', 'patrol-routes', 'incidents'] as const;
type CollectionId = (typeof COLLECTIONS)[number];

/** A box around the first town's center: part of the district, not all of it (as in spatial-rest.test.ts). */
const BBOX = [106.6, 30.45, 106.66, 30.5] as const;

/** Each collection's ids in a jurisdiction ($1), optionally in a box ($2..$5), as PostGIS answers them. */
const SQL_IDS: Readonly<Record<CollectionId, string>> = {
  grids: `SELECT id FROM grids
          WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
            AND ($2::float8 IS NULL OR ST_Intersects(geom, ST_MakeEnvelope($2, $3, $4, $5, 4326))) ORDER BY id`,
  cameras: `SELECT id FROM cameras
            WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
              AND ($2::float8 IS NULL OR ST_Intersects(location, ST_MakeEnvelope($2, $3, $4, $5, 4326))) ORDER BY id`,
  'patrol-routes': `SELECT r.id FROM patrol_routes r JOIN patrol_teams t ON t.id = r.team_id
                    WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
                      AND ($2::float8 IS NULL OR ST_Intersects(r.geom, ST_MakeEnvelope($2, $3, $4, $5, 4326))) ORDER BY r.id`,
  incidents: `SELECT id FROM incidents
              WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
                AND ($2::float8 IS NULL OR ST_Intersects(location, ST_MakeEnvelope($2, $3, $4, $5, 4326))) ORDER BY id`,
};

/** Each collection's extent in a jurisdiction ($1), written independently of server/ogc/sql/extents.sql. */
const SQL_EXTENT: Readonly<Record<CollectionId, string>> = {
  grids: 'SELECT ST_Extent(geom) AS e FROM grids WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)',
  cameras: 'SELECT ST_Extent(location) AS e FROM cameras WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)',
  'patrol-routes': `SELECT ST_Extent(r.geom) AS e FROM patrol_routes r JOIN patrol_teams t ON t.id = r.team_id
                    WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)`,
  incidents: 'SELECT ST_Extent(location) AS e FROM incidents WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)',
};

const GEOMETRY: Readonly<Record<CollectionId, string>> = { grids: 'MultiPolygon', cameras: 'Point', 'patrol-routes': 'LineString', incidents: 'Point' };

const ids = (page: { features: { id: number }[] }) => page.features.map((f) => f.id);
const linkOf = (links: Link[], rel: string) => links.find((l) => l.rel === rel);

/** Whether GDAL's command-line tools are installed (Debian: gdal-bin). */
const GDAL = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
const HAS_GDAL = GDAL.status === 0;
if (!HAS_GDAL) {
  console.warn('ogc.test.ts: ogrinfo was not found (install gdal-bin), so the GDAL OAPIF tests are skipped');
}
const run = promisify(execFile);

describe('OGC API – Features at /ogc', () => {
  let server: TestServer;
  let district: ApiSession;
  let village: ApiSession;
  let neighbour: ApiSession;

  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const scopeOf = (s: ApiSession) => s.session.user.center.id;
  const sqlIds = async (collection: CollectionId, scope: number, bbox: readonly number[] | null = null) =>
    (await sql<{ id: number }>(SQL_IDS[collection], [scope, ...(bbox ?? [null, null, null, null])])).map((r) => r.id);

  /** GET of a path or of an absolute URL (a link), as `s`; asserts 200 and the content type. */
  async function read<T>(s: ApiSession, pathOrUrl: string, type: RegExp = /^application\/(geo\+)?json/): Promise<T> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${server.baseUrl}${pathOrUrl}`;
    const response = await fetch(url, { headers: { cookie: s.cookie } });
    const text = await response.text();
    expect(response.status, `${pathOrUrl}: ${text}`).toBe(200);
    expect(response.headers.get('content-type'), pathOrUrl).toMatch(type);
    return JSON.parse(text) as T;
  }

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, 'operator.district');
    village = await signIn(server.baseUrl, 'operator.village');
    neighbour = await signIn(server.baseUrl, 'operator.village2');
  });
  afterAll(async () => {
    await server?.db.query(`DELETE FROM access_tokens WHERE name LIKE 'ogc test%'`);
    await server?.close();
  });

  describe('landing page, conformance and collections', () => {
    it('when the landing page is read, then it has a title and absolute self, service-desc, conformance and data links that answer', async () => {
      const landing = await read<{ title: string; description: string; links: Link[] }>(district, '/ogc', /^application\/json/);
      expect(landing.title).toMatch(/OGC API/);
      expect(landing.description).toEqual(expect.any(String));
      expect(linkOf(landing.links, 'self')).toMatchObject({ href: `${server.baseUrl}/ogc`, type: 'application/json' });
      expect(linkOf(landing.links, 'service-desc')).toEqual(
        expect.objectContaining({ href: `${server.baseUrl}/api/openapi.json`, type: 'application/vnd.oai.openapi+json;version=3.1' }),
      );
      expect(linkOf(landing.links, 'conformance')).toMatchObject({ href: `${server.baseUrl}/ogc/conformance`, type: 'application/json' });
      expect(linkOf(landing.links, 'data')).toMatchObject({ href: `${server.baseUrl}/ogc/collections`, type: 'application/json' });
      for (const l of landing.links) await read(district, l.href);
    });

    it('when the conformance is read, then it claims Core and GeoJSON and nothing it does not implement', async () => {
      const body = await read<{ conformsTo: string[] }>(district, '/ogc/conformance', /^application\/json/);
      expect(body.conformsTo.sort()).toEqual([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      ]);
    });

    it('when f=json is asked for, then the answer is the same JSON', async () => {
      expect(await read(district, '/ogc?f=json')).toEqual(await read(district, '/ogc'));
      expect(await read(district, '/ogc/conformance?f=json')).toEqual(await read(district, '/ogc/conformance'));
    });

    it('when the collections are listed, then all four come with CRS84, itemType feature and self, items and parent links', async () => {
      const body = await read<{ links: Link[]; collections: Collection[] }>(district, '/ogc/collections', /^application\/json/);
      expect(linkOf(body.links, 'self')?.href).toBe(`${server.baseUrl}/ogc/collections`);
      expect(body.collections.map((c) => c.id)).toEqual([...COLLECTIONS]);
      for (const c of body.collections) {
        expect(c.title, c.id).toEqual(expect.any(String));
        expect(c.itemType).toBe('feature');
        expect(c.crs).toEqual([CRS84]);
        expect(c.extent?.spatial?.crs).toBe(CRS84);
        const href = `${server.baseUrl}/ogc/collections/${c.id}`;
        expect(linkOf(c.links, 'self')).toMatchObject({ href, type: 'application/json' });
        expect(linkOf(c.links, 'items')).toMatchObject({ href: `${href}/items`, type: 'application/geo+json' });
        expect(linkOf(c.links, 'parent')).toMatchObject({ href: `${server.baseUrl}/ogc/collections`, type: 'application/json' });
        // The collection's own document says the same.
        expect(await read<Collection>(district, href)).toEqual(c);
      }
      expect(body.collections.find((c) => c.id === 'incidents')?.extent?.temporal?.trs).toBe('http://www.opengis.net/def/uom/ISO-8601/0/Gregorian');
      expect(body.collections.filter((c) => c.extent?.temporal).map((c) => c.id)).toEqual(['incidents']);
    });

    it.each([
      ['the district', 'operator.district'],
      ['a village', 'operator.village'],
    ])("when %s lists the collections, then each spatial extent is PostGIS's extent of its features in the jurisdiction", async (_name, username) => {
      const s = username === 'operator.village' ? village : district;
      const body = await read<{ collections: Collection[] }>(s, '/ogc/collections');
      for (const c of body.collections) {
        const [row] = await sql<{ b: number[] }>(
          `SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b FROM (${SQL_EXTENT[c.id as CollectionId]}) AS x`,
          [scopeOf(s)],
        );
        const bbox = c.extent!.spatial!.bbox;
        expect(bbox, c.id).toHaveLength(1);
        if (c.id === 'incidents') {
          // Kept per center and grown, never shrunk (incidents moved or deleted by other tests leave it wider): it covers them all.
          const [w, s2, e, n] = bbox[0]!;
          expect([w! <= row!.b[0]! + 1e-9, s2! <= row!.b[1]! + 1e-9, e! >= row!.b[2]! - 1e-9, n! >= row!.b[3]! - 1e-9], 'incidents bbox covers').toEqual([true, true, true, true]);
        } else {
          bbox[0]!.forEach((v, i) => expect(v, `${c.id} bbox[${i}]`).toBeCloseTo(row!.b[i]!, 6));
        }
      }
    });

    it('when the incidents collection is read, then its temporal interval holds the first and last report of the jurisdiction', async () => {
      for (const s of [district, village]) {
        const c = await read<Collection>(s, '/ogc/collections/incidents');
        const [first, last] = c.extent!.temporal!.interval[0]! as [string, string];
        const [row] = await sql<{ first: Date; last: Date }>(
          'SELECT min(reported_at) AS first, max(reported_at) AS last FROM incidents WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)',
          [scopeOf(s)],
        );
        expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        // Covers every report (grown, never shrunk, as the spatial extent).
        expect(Date.parse(first)).toBeLessThanOrEqual(row!.first.getTime());
        expect(Date.parse(last)).toBeGreaterThanOrEqual(row!.last.getTime());
      }
    });

    it('when an incident is stored beyond what the jurisdiction had, then its collection extent grows to hold it at once', async () => {
      const [grid] = await sql<{ id: number; center_id: number; lon: number; lat: number }>(
        `SELECT g.id, g.center_id, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM grids g JOIN centers c ON c.id = g.center_id WHERE c.code = 'C-511699-01-001' AND g.level = 3 ORDER BY g.code LIMIT 1`,
      );
      const [created] = await sql<{ id: number; reported_at: Date }>(
        `INSERT INTO incidents (number, category, severity, title, location, source, grid_id, center_id, occurred_at, reported_at)
         VALUES ('OGC-EXTENT-0001', 'other', 'low', '范围测试', ST_SetSRID(ST_MakePoint($1, $2), 4326), 'hotline', $3, $4, now() + interval '1 hour', now() + interval '1 hour')
         RETURNING id, reported_at`,
        [grid!.lon, grid!.lat, grid!.id, grid!.center_id],
      );
      try {
        const c = await read<Collection>(village, '/ogc/collections/incidents');
        const [w, s2, e, n] = c.extent!.spatial!.bbox[0]!;
        expect(w! <= grid!.lon && e! >= grid!.lon && s2! <= grid!.lat && n! >= grid!.lat).toBe(true);
        expect(Date.parse(c.extent!.temporal!.interval[0]![1]!)).toBeGreaterThanOrEqual(created!.reported_at.getTime());
      } finally {
        await sql('DELETE FROM incidents WHERE id = $1', [created!.id]);
      }
    });

    it('when the request names another host, then every link is built from that host', async () => {
      const { port } = new URL(server.baseUrl);
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/ogc', headers: { host: 'gis.example.org:8443', cookie: district.cookie } }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      const links = (JSON.parse(body) as { links: Link[] }).links;
      expect(links.length).toBeGreaterThan(0);
      for (const l of links) expect(l.href).toMatch(/^http:\/\/gis\.example\.org:8443\//);
    });
  });

  describe('items', () => {
    it.each(COLLECTIONS.map((c) => [c] as const))(
      'when the items of %s are read in a bbox, then they are the features PostGIS selects, with their geometry type',
      async (collection) => {
        const page = await read<Page>(district, `/ogc/collections/${collection}/items?bbox=${BBOX.join(',')}&limit=10000`, /^application\/geo\+json/);
        const expected = await sqlIds(collection, scopeOf(district), BBOX);
        expect(expected.length).toBeGreaterThan(0);
        expect(ids(page)).toEqual(expected);
        expect(page).toMatchObject({ type: 'FeatureCollection', numberMatched: expected.length, numberReturned: expected.length });
        expect(new Set(page.features.map((f) => f.geometry.type))).toEqual(new Set([GEOMETRY[collection]]));
        for (const f of page.features) expect(f.properties.id).toBe(f.id);
        expect(linkOf(page.links, 'next')).toBeUndefined();
        expect(linkOf(page.links, 'collection')).toMatchObject({ href: `${server.baseUrl}/ogc/collections/${collection}`, type: 'application/json' });
        expect(linkOf(page.links, 'self')).toMatchObject({
          href: `${server.baseUrl}/ogc/collections/${collection}/items?bbox=${BBOX.join(',')}&limit=10000`,
          type: 'application/geo+json',
        });
      },
    );

    it.each(COLLECTIONS.map((c) => [c] as const))(
      'when the items of %s are read without a limit, then the first 100 come by id with numberMatched the whole jurisdiction',
      async (collection) => {
        const page = await read<Page>(district, `/ogc/collections/${collection}/items`);
        const expected = await sqlIds(collection, scopeOf(district));
        expect(ids(page)).toEqual(expected.slice(0, 100));
        expect(page.numberReturned).toBe(Math.min(100, expected.length));
        expect(page.numberMatched).toBe(expected.length);
        expect(Math.abs(Date.parse(page.timeStamp) - Date.now())).toBeLessThan(60_000);
        expect(page.timeStamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(linkOf(page.links, 'next') !== undefined).toBe(expected.length > 100);
      },
    );

    it('when all cameras of a bbox are paged through next links, then every camera comes exactly once, in id order', async () => {
      const expected = await sqlIds('cameras', scopeOf(district), BBOX);
      expect(expected.length).toBeGreaterThan(300);
      const seen: number[] = [];
      const matched: (number | undefined)[] = [];
      let next: string | undefined = `${server.baseUrl}/ogc/collections/cameras/items?bbox=${BBOX.join(',')}&limit=100&f=geojson`;
      let pages = 0;
      while (next && pages < 100) {
        const page: Page = await read<Page>(district, next);
        expect(page.numberReturned).toBe(page.features.length);
        seen.push(...ids(page));
        matched.push(page.numberMatched);
        next = linkOf(page.links, 'next')?.href;
        if (next) {
          expect(next.startsWith(`${server.baseUrl}/ogc/collections/cameras/items?`)).toBe(true);
          expect(linkOf(page.links, 'next')?.type).toBe('application/geo+json');
        }
        pages++;
      }
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 100));
      // Counted once, on the first page.
      expect(matched).toEqual([expected.length, ...Array<undefined>(pages - 1).fill(undefined)]);
    });

    it('when a page holds exactly the rest, then it has no next link; one fewer, and the next page holds the last one', async () => {
      const expected = await sqlIds('cameras', scopeOf(district), BBOX);
      const path = (limit: number) => `/ogc/collections/cameras/items?bbox=${BBOX.join(',')}&limit=${limit}`;
      const whole = await read<Page>(district, path(expected.length));
      expect(linkOf(whole.links, 'next')).toBeUndefined();
      const short = await read<Page>(district, path(expected.length - 1));
      const rest = await read<Page>(district, linkOf(short.links, 'next')!.href);
      expect(ids(rest)).toEqual([expected.at(-1)]);
      expect(linkOf(rest.links, 'next')).toBeUndefined();
    });

    it('when one feature is read, then it is the feature of the items page with its self and collection links', async () => {
      for (const collection of COLLECTIONS) {
        const page = await read<Page>(district, `/ogc/collections/${collection}/items?limit=3`);
        const listed = page.features[2]!;
        const href = `${server.baseUrl}/ogc/collections/${collection}/items/${listed.id}`;
        const feature = await read<Feature>(district, `${href}?f=json`, /^application\/geo\+json/);
        expect({ ...feature, links: undefined }).toEqual({ ...listed, links: undefined });
        expect(linkOf(feature.links!, 'self')).toMatchObject({ href, type: 'application/geo+json' });
        expect(linkOf(feature.links!, 'collection')).toMatchObject({ href: `${server.baseUrl}/ogc/collections/${collection}` });
      }
    });

    describe('datetime on incidents', () => {
      /** Report times of the district's incidents, as exact RFC 3339 text (microseconds, UTC and +08:00). */
      let times: { utc: string; beijing: string }[];

      beforeAll(async () => {
        times = await sql<{ utc: string; beijing: string }>(
          `SELECT to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS utc,
                  to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.US"+08:00"') AS beijing
           FROM incidents ORDER BY reported_at, id`,
        );
      });

      const expectedIds = (from: string | null, to: string | null) =>
        sql<{ id: number }>(
          `SELECT id FROM incidents WHERE ($1::timestamptz IS NULL OR reported_at >= $1) AND ($2::timestamptz IS NULL OR reported_at <= $2) ORDER BY id`,
          [from, to],
        ).then((rows) => rows.map((r) => r.id));

      it.each([
        ['a closed interval', (t: typeof times) => [t[2000]!.utc, t[3000]!.utc] as const],
        ['an interval open at the start', (t: typeof times) => [null, t[1500]!.utc] as const],
        ['an interval open at the end', (t: typeof times) => [t[8500]!.utc, null] as const],
        ['an instant', (t: typeof times) => [t[4321]!.utc, t[4321]!.utc] as const],
      ])('when incidents are filtered by %s, then they are those SQL finds reported in it, bounds included', async (_name, pick) => {
        const [from, to] = pick(times);
        const datetime = from === to ? from! : `${from ?? '..'}/${to ?? '..'}`;
        const page = await read<Page<IncidentProperties>>(district, `/ogc/collections/incidents/items?limit=10000&datetime=${encodeURIComponent(datetime)}`);
        const expected = await expectedIds(from, to);
        expect(expected.length).toBeGreaterThan(0);
        expect(ids(page)).toEqual(expected);
        expect(page.numberMatched).toBe(expected.length);
      });

      it('when the interval is written with +08:00 offsets or with an empty open end, then it selects the same incidents', async () => {
        const utc = await read<Page>(district, `/ogc/collections/incidents/items?limit=10000&datetime=${encodeURIComponent(`${times[100]!.utc}/${times[900]!.utc}`)}`);
        const beijing = await read<Page>(district, `/ogc/collections/incidents/items?limit=10000&datetime=${encodeURIComponent(`${times[100]!.beijing}/${times[900]!.beijing}`)}`);
        expect(ids(beijing)).toEqual(ids(utc));
        const openDots = await read<Page>(district, `/ogc/collections/incidents/items?limit=10000&datetime=${encodeURIComponent(`${times[9000]!.utc}/..`)}`);
        const openEmpty = await read<Page>(district, `/ogc/collections/incidents/items?limit=10000&datetime=${encodeURIComponent(`${times[9000]!.utc}/`)}`);
        expect(ids(openEmpty)).toEqual(ids(openDots));
      });

      it('when a datetime filter is paged with next links, then the links keep the filter and every incident comes once', async () => {
        const datetime = `${times[5000]!.utc}/..`;
        const expected = await expectedIds(times[5000]!.utc, null);
        const seen: number[] = [];
        let next: string | undefined = `/ogc/collections/incidents/items?limit=1000&datetime=${encodeURIComponent(datetime)}`;
        while (next) {
          const page: Page = await read<Page>(district, next);
          seen.push(...ids(page));
          next = linkOf(page.links, 'next')?.href;
          if (next) expect(new URL(next).searchParams.get('datetime')).toBe(datetime);
        }
        expect(seen).toEqual(expected);
      });
    });
  });

  describe('jurisdiction', () => {
    it.each(COLLECTIONS.map((c) => [c] as const))(
      "when a village operator reads the items of %s, then it gets exactly its own jurisdiction's, never the neighbour's",
      async (collection) => {
        const page = await read<Page>(village, `/ogc/collections/${collection}/items?limit=10000`);
        const expected = await sqlIds(collection, scopeOf(village));
        expect(expected.length).toBeGreaterThan(0);
        expect(ids(page)).toEqual(expected);
        expect(page.features.filter((f) => f.properties.center_id !== scopeOf(village))).toEqual([]);
        const neighbours = await sqlIds(collection, scopeOf(neighbour));
        expect(neighbours.length).toBeGreaterThan(0);
        expect(ids(page).filter((id) => neighbours.includes(id))).toEqual([]);
      },
    );

    it.each(COLLECTIONS.map((c) => [c] as const))(
      "when a village operator asks for a feature of %s of the neighbouring village, then the answer is the 404 of an id that does not exist",
      async (collection) => {
        const [outsideId] = await sqlIds(collection, scopeOf(neighbour));
        // The neighbour itself reads it.
        await read(neighbour, `/ogc/collections/${collection}/items/${outsideId}`);
        const outside = await expectProblem(await village.get(`/ogc/collections/${collection}/items/${outsideId}`), 404);
        const missing = await expectProblem(await village.get(`/ogc/collections/${collection}/items/2000000000`), 404);
        const strip = (p: object) => ({ ...p, instance: undefined, detail: String((p as { detail?: string }).detail).replace(/\d+$/, '<id>') });
        expect(strip(outside)).toEqual(strip(missing));
      },
    );

    it("when a village operator pages from a cursor of the neighbour's, then it still sees only its own features", async () => {
      const [neighbourCamera] = await sqlIds('cameras', scopeOf(neighbour));
      const page = await read<Page>(village, `/ogc/collections/cameras/items?limit=10000&cursor=${neighbourCamera}`);
      const own = await sqlIds('cameras', scopeOf(village));
      expect(ids(page)).toEqual(own.filter((id) => id > neighbourCamera!));
    });

    it('when an auditor (no business data) asks for items, then the answer is 403', async () => {
      const auditor = await signIn(server.baseUrl, 'auditor.village');
      for (const collection of COLLECTIONS) {
        await expectProblem(await auditor.get(`/ogc/collections/${collection}/items`), 403, PROBLEM('forbidden'));
      }
    });
  });

  describe("reporters' personal data", () => {
    it('when incidents are read as items and one by one, then name, phone and ID number are masked exactly as /api/incidents masks them', async () => {
      const page = await read<Page<IncidentProperties>>(village, '/ogc/collections/incidents/items?limit=10000');
      const rows = await sql<{
        id: number;
        name: string | null;
        phone: string | null;
        id_number: string | null;
        masked_name: string | null;
        masked_phone: string | null;
        masked_id_number: string | null;
      }>(
        `SELECT id, reporter_name AS name, reporter_phone AS phone, reporter_id_number AS id_number,
                pingan_mask_name(reporter_name) AS masked_name, pingan_mask_phone(reporter_phone) AS masked_phone,
                pingan_mask_id_number(reporter_id_number) AS masked_id_number
         FROM incidents WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1) ORDER BY id`,
        [scopeOf(village)],
      );
      expect(ids(page)).toEqual(rows.map((r) => r.id));
      const raw = new Map(rows.map((r) => [r.id, r]));
      const problems: string[] = [];
      for (const f of page.features) {
        const r = raw.get(f.id)!;
        const shown = [f.properties.reporter_name, f.properties.reporter_phone, f.properties.reporter_id_number];
        if (JSON.stringify(shown) !== JSON.stringify([r.masked_name, r.masked_phone, r.masked_id_number])) problems.push(`${f.id}: ${JSON.stringify(shown)}`);
        if ((r.phone && shown[1] === r.phone) || (r.id_number && shown[2] === r.id_number)) problems.push(`${f.id}: unmasked`);
      }
      expect(problems).toEqual([]);
      expect(rows.filter((r) => r.id_number !== null).length).toBeGreaterThan(0);
      const text = JSON.stringify(page);
      for (const r of rows) {
        if (r.phone) expect(text).not.toContain(r.phone);
        if (r.id_number) expect(text).not.toContain(r.id_number);
      }
      // The same masks as the REST API, for incidents with an ID number and a sample of the rest.
      const sample = rows.filter((r, k) => r.id_number !== null || k % 25 === 0).slice(0, 60);
      for (const r of sample) {
        const api = (await (await village.get(`/api/incidents/${r.id}`)).json()) as { reporterName: string | null; reporterPhone: string | null; reporterIdNumber: string | null };
        const one = await read<Feature<IncidentProperties>>(village, `/ogc/collections/incidents/items/${r.id}`);
        expect([one.properties.reporter_name, one.properties.reporter_phone, one.properties.reporter_id_number]).toEqual([
          api.reporterName,
          api.reporterPhone,
          api.reporterIdNumber,
        ]);
      }
    });
  });

  describe('bad input', () => {
    it.each([
      ['a bbox of three numbers', '/ogc/collections/grids/items?bbox=106.6,30.45,106.66', 'bbox'],
      ['a bbox that is text', '/ogc/collections/cameras/items?bbox=abc', 'bbox'],
      ['a bbox with its corners swapped', '/ogc/collections/cameras/items?bbox=106.66,30.5,106.6,30.45', 'bbox'],
      ['a bbox outside the globe', '/ogc/collections/incidents/items?bbox=100,30,200,31', 'bbox'],
      ['limit 0', '/ogc/collections/cameras/items?limit=0', 'limit'],
      ['limit 10001', '/ogc/collections/cameras/items?limit=10001', 'limit'],
      ["limit 'abc'", '/ogc/collections/cameras/items?limit=abc', 'limit'],
      ['limit 1.5', '/ogc/collections/grids/items?limit=1.5', 'limit'],
      ["cursor 'x'", '/ogc/collections/cameras/items?cursor=x', 'cursor'],
      ["datetime 'yesterday'", '/ogc/collections/incidents/items?datetime=yesterday', 'datetime'],
      ['a datetime without its offset', '/ogc/collections/incidents/items?datetime=2026-01-01T00:00:00', 'datetime'],
      ['a date without a time', '/ogc/collections/incidents/items?datetime=2026-01-01', 'datetime'],
      ['an interval that ends before it starts', `/ogc/collections/incidents/items?datetime=${encodeURIComponent('2026-02-01T00:00:00Z/2026-01-01T00:00:00Z')}`, 'datetime'],
      ['an interval of three parts', `/ogc/collections/incidents/items?datetime=${encodeURIComponent('2026-01-01T00:00:00Z/../..')}`, 'datetime'],
      ['a datetime on a collection without time', `/ogc/collections/cameras/items?datetime=${encodeURIComponent('2026-01-01T00:00:00Z/..')}`, 'datetime'],
      ['f=html on the landing page', '/ogc?f=html', 'f'],
      ['f=geojson on the landing page', '/ogc?f=geojson', 'f'],
      ['f=xml on the conformance', '/ogc/conformance?f=xml', 'f'],
      ['f=html on the collections', '/ogc/collections?f=html', 'f'],
      ['f=gml on a collection', '/ogc/collections/grids?f=gml', 'f'],
      ['f=gml on items', '/ogc/collections/grids/items?f=gml', 'f'],
      ['f=csv on one feature', '/ogc/collections/grids/items/1?f=csv', 'f'],
      ['f given twice', '/ogc/collections/grids/items?f=json&f=json', 'f'],
    ])('when a request carries %s, then the answer is a 400 problem naming the parameter', async (_name, path, parameter) => {
      const problem = await expectProblem(await district.get(path), 400, PROBLEM('invalid-params'));
      expect(problem['invalid-params']?.map((p) => p.name)).toEqual([parameter]);
    });

    it.each([
      ['an unknown collection', '/ogc/collections/roads'],
      ["an unknown collection's items", '/ogc/collections/roads/items'],
      ["an unknown collection's feature", '/ogc/collections/roads/items/1'],
      ['a feature id that is not a number', '/ogc/collections/grids/items/abc'],
      ['feature id 0', '/ogc/collections/cameras/items/0'],
      ['a feature id beyond any bigint', '/ogc/collections/incidents/items/99999999999999999999999'],
      ['an unknown path under /ogc', '/ogc/api'],
    ])('when %s is asked for, then the answer is a 404 problem', async (_name, path) => {
      await expectProblem(await district.get(path), 404);
    });

    it("when SQL text is sent as a parameter, then it is refused and the tables are as they were", async () => {
      const [before] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM grids');
      for (const path of [
        `/ogc/collections/grids/items?bbox=${encodeURIComponent("1,2,3,4'); DROP TABLE grids; --")}`,
        `/ogc/collections/grids/items?cursor=${encodeURIComponent('1 OR 1=1')}`,
        `/ogc/collections/incidents/items?datetime=${encodeURIComponent("2026-01-01T00:00:00Z' OR '1'='1")}`,
      ]) {
        await expectProblem(await district.get(path), 400);
      }
      expect((await sql<{ n: number }>('SELECT count(*)::int AS n FROM grids'))[0]).toEqual(before);
    });
  });

  describe('GDAL OAPIF driver', () => {
    /** A personal access token of `s`, as QGIS and GDAL send them. */
    async function tokenOf(s: ApiSession, name: string): Promise<string> {
      const response = await s.send('POST', '/api/tokens', { name, expiresInDays: 1 });
      const text = await response.text();
      expect(response.status, text).toBe(201);
      return (JSON.parse(text) as { token: string }).token;
    }

    const gdal = async (tool: 'ogrinfo' | 'ogr2ogr', token: string, args: string[]) => {
      const { stdout } = await run(tool, ['--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${token}`, ...args], {
        maxBuffer: 64 * 1024 * 1024,
        timeout: 90_000,
      });
      return stdout;
    };

    it.skipIf(!HAS_GDAL)('when ogrinfo opens /ogc with a token, then it lists the four collections as layers of their geometry type', async () => {
      const token = await tokenOf(district, 'ogc test gdal layers');
      const out = await gdal('ogrinfo', token, ['-ro', '-q', `OAPIF:${server.baseUrl}/ogc`]);
      expect(out).toMatch(/1: grids .*\(Multi Polygon\)/);
      expect(out).toMatch(/2: cameras .*\(Point\)/);
      expect(out).toMatch(/3: patrol-routes .*\(Line String\)/);
      expect(out).toMatch(/4: incidents .*\(Point\)/);
    });

    it.skipIf(!HAS_GDAL)("when ogrinfo summarises grids with a district or a village token, then the feature count is that jurisdiction's", async () => {
      for (const s of [district, village]) {
        const token = await tokenOf(s, `ogc test gdal grids ${s.username}`);
        const out = await gdal('ogrinfo', token, ['-ro', '-so', `OAPIF:${server.baseUrl}/ogc`, 'grids']);
        const count = Number(/Feature Count: (\d+)/.exec(out)?.[1]);
        expect(count, out).toBe((await sqlIds('grids', scopeOf(s))).length);
        expect(out).toMatch(/Geometry: Multi Polygon/);
      }
    });

    it.skipIf(!HAS_GDAL)('when ogrinfo reads the cameras in a box page by page, then it sees exactly the cameras PostGIS selects', async () => {
      const token = await tokenOf(district, 'ogc test gdal cameras');
      const out = await gdal('ogrinfo', token, [
        '-ro', '-al', '-q', '-spat', ...BBOX.map(String), '-oo', 'PAGE_SIZE=250', `OAPIF:${server.baseUrl}/ogc`, 'cameras',
      ]);
      const fids = [...out.matchAll(/^OGRFeature\(cameras\):(\d+)$/gm)].map((m) => Number(m[1]));
      const expected = await sqlIds('cameras', scopeOf(district), BBOX);
      expect(expected.length).toBeGreaterThan(250);
      expect(fids).toEqual(expected);
    });

    it.skipIf(!HAS_GDAL)("when ogr2ogr copies a village's incidents to GeoJSON, then it gets the village's incidents with masked reporters", async () => {
      const token = await tokenOf(village, 'ogc test gdal incidents');
      const out = await gdal('ogr2ogr', token, ['-f', 'GeoJSON', '/vsistdout/', '-oo', 'PAGE_SIZE=1000', `OAPIF:${server.baseUrl}/ogc`, 'incidents']);
      const copied = JSON.parse(out) as { features: { properties: { id: number; reporter_phone: string | null } }[] };
      expect(copied.features.map((f) => f.properties.id).sort((a, b) => a - b)).toEqual(await sqlIds('incidents', scopeOf(village)));
      for (const f of copied.features) if (f.properties.reporter_phone !== null) expect(f.properties.reporter_phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    });
  });
});
