import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTile } from '../../server/tiles/repository.js';
import { TILE_LAYERS, type TileLayer } from '../../server/tiles/layers.js';
import { expectProblem } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';
import { decodeTile, ringArea, tileOf, type DecodedFeature } from '../support/tiles.js';

// Vector tiles decoded with @mapbox/vector-tile and compared with the same question asked
// of PostGIS; the cache's ETags and invalidation; jurisdiction; and, where the database
// has ST_AsMVT, that its tiles and the ones Node cuts for the embedded database hold the
// same features.

type Tile = { z: number; x: number; y: number };
const path = (layer: string, t: Tile, query = '') => `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt${query}`;
const ENV = (t: Tile) => `ST_Transform(ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}), 4326)`;
const BUFFERED = (t: Tile) => `ST_Transform(ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}, margin => 64.0 / 4096), 4326)`;
const ids = (features: DecodedFeature[] | undefined) => (features ?? []).map((f) => f.id!).sort((a, b) => a - b);
const layerOf = (name: string): TileLayer => TILE_LAYERS.find((l) => l.name === name)!;

describe('vector tiles', () => {
  let server: TestServer;
  let district: ApiSession;
  let village: ApiSession;
  /** A level-3 grid of the first town and the tiles around its label point. */
  let spot: { lon: number; lat: number };
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const fetchTile = async (s: ApiSession, p: string, headers: Record<string, string> = {}) => {
    const response = await s.get(p, headers);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, layers: response.status === 200 ? decodeTile(bytes) : {} };
  };

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, 'operator.district');
    village = await signIn(server.baseUrl, 'operator.village');
    const [row] = await sql<{ lon: number; lat: number }>(
      `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids
       WHERE kind = 'general' AND level = 3 ORDER BY code LIMIT 1`,
    );
    spot = row!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when a grid tile is fetched, then it holds the grids PostGIS finds in the tile, with their code, name and level', async () => {
    for (const z of [10, 12, 14]) {
      const t = tileOf(spot.lon, spot.lat, z);
      const { response, layers } = await fetchTile(district, path('grids', t));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      const got = ids(layers.grids);
      // Every grid meeting the tile itself is in it; nothing beyond the buffered box is.
      const inner = await sql<{ id: number }>(`SELECT id FROM grids WHERE kind = 'general' AND ST_Intersects(geom, ${ENV(t)}) ORDER BY id`);
      const outer = await sql<{ id: number }>(`SELECT id FROM grids WHERE kind = 'general' AND geom && ${BUFFERED(t)} ORDER BY id`);
      expect(inner.length).toBeGreaterThan(0);
      expect(got).toEqual(expect.arrayContaining(inner.map((r) => r.id)));
      expect(outer.map((r) => r.id)).toEqual(expect.arrayContaining(got));
      const rows = await sql<{ id: number; code: string; name: string; level: number }>('SELECT id, code, name, level FROM grids WHERE id = ANY($1)', [got]);
      for (const f of layers.grids!) {
        const r = rows.find((x) => x.id === f.id)!;
        expect(f.type).toBe('Polygon');
        expect(f.properties).toEqual({ code: r.code, name: r.name, level: r.level });
      }
      // Levels appear by zoom: level 3 from 10, level 2 from 8.
      expect(new Set(layers.grids!.map((f) => f.properties.level))).toEqual(new Set([1, 2, 3]));
    }
    const far = await fetchTile(district, path('grids', tileOf(spot.lon, spot.lat, 7)));
    expect(new Set(far.layers.grids!.map((f) => f.properties.level))).toEqual(new Set([1]));
  });

  it('when a camera tile is fetched at street zoom, then its points are exactly the cameras in the buffered tile', async () => {
    const t = tileOf(spot.lon, spot.lat, 14);
    const { layers } = await fetchTile(district, path('cameras', t));
    const expected = await sql<{ id: number; source: string; status: string; heading: number; range: number }>(
      `SELECT id, source, status, round(heading)::int AS heading, round(range_m)::int AS range FROM cameras
       WHERE ST_Intersects(location, ${BUFFERED(t)}) ORDER BY id`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(layers.cameras)).toEqual(expected.map((r) => r.id));
    for (const f of layers.cameras!) {
      const r = expected.find((x) => x.id === f.id)!;
      expect(f.properties).toMatchObject({ source: r.source, status: r.status, heading: r.heading, range: r.range });
    }
    // Filtered by source: only those.
    const social = await fetchTile(district, path('cameras', t, '?source=social'));
    expect(ids(social.layers.cameras)).toEqual(expected.filter((r) => r.source === 'social').map((r) => r.id));
  });

  it('when cameras are fetched below zoom 12, then groups count every camera of the tile once', async () => {
    const t = tileOf(spot.lon, spot.lat, 10);
    const { layers } = await fetchTile(district, path('cameras', t));
    expect(layers.cameras).toBeUndefined();
    const total = layers.camera_clusters!.reduce((sum, f) => sum + Number(f.properties.count), 0);
    const [expected] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM cameras WHERE ST_Intersects(location, ${ENV(t)})`);
    expect(total).toBe(expected!.n);
  });

  it('when incidents of a window are fetched, then points at street zoom and cell counts below match the incidents table', async () => {
    const window = `?from=${encodeURIComponent(new Date(Date.now() - 300 * 86_400_000).toISOString())}`;
    const [busy] = await sql<{ lon: number; lat: number }>(
      `SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM incidents WHERE reported_at > now() - interval '300 days'
       GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`,
    );
    const t14 = tileOf(busy!.lon, busy!.lat, 14);
    const points = await fetchTile(district, path('incidents', t14, window));
    const expected = await sql<{ id: number; category: string; status: string }>(
      `SELECT id, category, status FROM incidents WHERE ST_Intersects(location, ${BUFFERED(t14)})
       AND reported_at > now() - interval '300 days' ORDER BY id`,
    );
    expect(expected.length).toBeGreaterThan(0);
    const got = ids(points.layers.incidents);
    // The window starts at the instant asked for; allow for the seconds between the two clocks.
    expect(Math.abs(got.length - expected.length)).toBeLessThanOrEqual(1);
    expect(expected.map((r) => r.id)).toEqual(expect.arrayContaining(got));
    for (const f of points.layers.incidents!) {
      expect(Object.keys(f.properties).filter((k) => k !== 'due').sort()).toEqual(['category', 'number', 'reported', 'severity', 'status']);
    }

    for (const z of [8, 11]) {
      const t = tileOf(busy!.lon, busy!.lat, z);
      const clusters = await fetchTile(district, path('incidents', t, `${window}&category=dispute`));
      const total = clusters.layers.incident_clusters!.reduce((sum, f) => sum + Number(f.properties.count), 0);
      const [n] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM incidents WHERE category = 'dispute' AND reported_at >= now() - interval '300 days'
         AND location && ${ENV(t)} AND ST_X(location) < ST_XMax(${ENV(t)}) AND ST_Y(location) > ST_YMin(${ENV(t)})`,
      );
      expect(total).toBe(n!.n);
    }
  });

  it('when the base map is fetched, then it carries its five layers, roads by class as the zoom allows', async () => {
    const t = tileOf(spot.lon, spot.lat, 11);
    const { response, layers } = await fetchTile(district, path('basemap', t));
    expect(response.status).toBe(200);
    expect(Object.keys(layers).sort()).toEqual(expect.arrayContaining(['landuse', 'places', 'roads']));
    const roads = await sql<{ id: number }>(
      `SELECT id FROM basemap_roads WHERE ST_Intersects(geom, ${ENV(t)}) AND class IN ('expressway', 'primary', 'secondary') ORDER BY id`,
    );
    expect(ids(layers.roads)).toEqual(expect.arrayContaining(roads.map((r) => r.id)));
    expect(layers.roads!.every((f) => f.properties.class !== 'street' && f.properties.class !== 'rural')).toBe(true);
  });

  it('when a tile holds nothing, then the answer is 204 without a body', async () => {
    for (const p of ['/tiles/grids/10/0/0.mvt', '/tiles/basemap/5/0/0.mvt', '/tiles/incidents/14/0/0.mvt']) {
      const response = await district.get(p);
      expect(response.status, p).toBe(204);
      expect((await response.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it('when a tile is asked again with its ETag, then 304; when its data changes, then the next request shows the change', async () => {
    const [grid] = await sql<{ id: number; name: string; lon: number; lat: number }>(
      `SELECT id, name, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE kind = 'general' AND level = 3 ORDER BY code DESC LIMIT 1`,
    );
    const t = tileOf(grid!.lon, grid!.lat, 14);
    const first = await fetchTile(district, path('grids', t));
    const etag = first.response.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.response.headers.get('cache-control')).toBe('private, no-cache');
    // fetch adds `Cache-Control: no-cache` (a forced reload) to conditional requests unless told otherwise.
    const revalidate = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
    expect((await district.get(path('grids', t), revalidate)).status).toBe(304);

    try {
      await sql('UPDATE grids SET name = $2 WHERE id = $1', [grid!.id, '改名测试网格']);
      const changed = await fetchTile(district, path('grids', t), revalidate);
      expect(changed.response.status).toBe(200);
      expect(changed.response.headers.get('etag')).not.toBe(etag);
      expect(changed.layers.grids!.find((f) => f.id === grid!.id)!.properties.name).toBe('改名测试网格');
    } finally {
      await sql('UPDATE grids SET name = $2 WHERE id = $1', [grid!.id, grid!.name]);
    }
    const restored = await fetchTile(district, path('grids', t));
    expect(restored.layers.grids!.find((f) => f.id === grid!.id)!.properties.name).toBe(grid!.name);
  });

  it('when a new incident is stored, then the next tile of its place shows it', async () => {
    const t = tileOf(spot.lon, spot.lat, 15);
    const before = await fetchTile(district, path('incidents', t));
    const [created] = await sql<{ id: number }>(
      `INSERT INTO incidents (number, category, severity, title, location, source, grid_id, center_id, occurred_at)
       SELECT 'TILE-TEST-0001', 'dispute', 'low', '瓦片缓存测试', ST_SetSRID(ST_MakePoint($1, $2), 4326), 'hotline', g.id, g.center_id, now()
       FROM grids g WHERE g.kind = 'general' AND g.level = 3 AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
       RETURNING id`,
      [spot.lon, spot.lat],
    );
    try {
      const after = await fetchTile(district, path('incidents', t));
      expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'));
      expect(ids(after.layers.incidents)).toContain(created!.id);
      expect(ids(after.layers.incidents)).toEqual([...ids(before.layers.incidents), created!.id].sort((a, b) => a - b));
    } finally {
      await sql('DELETE FROM incidents WHERE id = $1', [created!.id]);
    }
    const gone = await fetchTile(district, path('incidents', t));
    expect(ids(gone.layers.incidents)).toEqual(ids(before.layers.incidents));
  });

  it("when a village operator fetches tiles, then they hold the village's grids, cameras and incidents only", async () => {
    const centers = new Set(
      (await sql<{ id: number }>(`SELECT id FROM centers WHERE code = 'C-511699-01-001'`)).map((r) => r.id),
    );
    const [box] = await sql<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_Centroid(ST_Collect(geom))) AS lon, ST_Y(ST_Centroid(ST_Collect(geom))) AS lat FROM grids WHERE center_id = ANY($1)`,
      [[...centers]],
    );
    const t = tileOf(box!.lon, box!.lat, 12);
    const grids = await fetchTile(village, path('grids', t));
    const own = await sql<{ id: number }>(`SELECT id FROM grids WHERE kind = 'general' AND center_id = ANY($1) AND level >= 2`, [[...centers]]);
    const got = ids(grids.layers.grids);
    expect(got.length).toBeGreaterThan(0);
    expect(own.map((r) => r.id)).toEqual(expect.arrayContaining(got));
    const all = await fetchTile(district, path('grids', t));
    expect(ids(all.layers.grids).length).toBeGreaterThan(got.length);

    const cameras = await fetchTile(village, path('cameras', tileOf(box!.lon, box!.lat, 13)));
    const camIds = ids(cameras.layers.cameras);
    if (camIds.length > 0) {
      const foreign = await sql<{ n: number }>('SELECT count(*)::int AS n FROM cameras WHERE id = ANY($1) AND NOT center_id = ANY($2)', [camIds, [...centers]]);
      expect(foreign[0]!.n).toBe(0);
    }
    // The same tile URL answers each with their own ETag: the cache keys on the scope.
    expect(grids.response.headers.get('etag')).not.toBe(all.response.headers.get('etag'));
  });

  it('when the TileJSON of a layer is fetched, then it lists its tile URL with the filters, bounds and source layers', async () => {
    const response = await district.get('/tiles/cameras.json?source=xueliang');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { tilejson: string; tiles: string[]; bounds: number[]; vector_layers: { id: string; fields: object }[] };
    expect(doc.tilejson).toBe('3.0.0');
    expect(doc.tiles).toEqual([`${server.baseUrl}/tiles/cameras/{z}/{x}/{y}.mvt?source=xueliang`]);
    expect(doc.bounds).toHaveLength(4);
    expect(doc.vector_layers.map((l) => l.id)).toEqual(['cameras', 'camera_clusters', 'camera_views']);
    for (const layer of TILE_LAYERS) expect((await district.get(`/tiles/${layer.name}.json`)).status, layer.name).toBe(200);
    // Filters are written back as validated; anything else asked is not echoed.
    const incidents = (await (await district.get('/tiles/incidents.json?from=2026-11-01T08:00:00%2B08:00&category=dispute&x=%3Cb%3E')).json()) as { tiles: string[] };
    expect(incidents.tiles).toEqual([`${server.baseUrl}/tiles/incidents/{z}/{x}/{y}.mvt?from=2026-11-01T00%3A00%3A00.000Z&category=dispute`]);
  });

  it('when a tile address, layer or filter is wrong, then a 4xx problem and no 500', async () => {
    for (const [p, status] of [
      ['/tiles/grids/23/0/0.mvt', 400],
      ['/tiles/grids/3/8/0.mvt', 400],
      ['/tiles/grids/3/0/8.mvt', 400],
      ['/tiles/grids/-1/0/0.mvt', 400],
      ['/tiles/grids/a/b/c.mvt', 400],
      ['/tiles/grids/1.5/0/0.mvt', 400],
      ['/tiles/nothing/1/0/0.mvt', 404],
      ['/tiles/grids/1/0/0.png', 404],
      ['/tiles/grids/1/0/0.mvt?level=4', 400],
      ['/tiles/incidents/1/0/0.mvt?from=yesterday', 400],
      ['/tiles/incidents/1/0/0.mvt?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 400],
      ['/tiles/incidents/1/0/0.mvt?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 400],
      ['/tiles/cameras/1/0/0.mvt?source=%27%20OR%201%3D1', 400],
    ] as const) {
      await expectProblem(await district.get(p), status);
    }
    const auditor = await signIn(server.baseUrl, 'auditor.district');
    await expectProblem(await auditor.get('/tiles/incidents/10/0/0.mvt'), 403);
    await expectProblem(await fetch(`${server.baseUrl}/tiles/grids/10/0/0.mvt`), 401);
  });

  describe('encoders', () => {
    let nativeMvt = false;
    beforeAll(() => {
      nativeMvt = server.db.info.capabilities.nativeMvt;
      if (!nativeMvt) console.log('[tiles] this PostGIS has no ST_AsMVT (embedded): the encoder comparison runs on the real PostGIS in CI');
    });

    it('when ST_AsMVT and the Node cutter make the same tiles, then they decode to the same features', async ({ skip }) => {
      if (!nativeMvt) skip();
      const scope = (await sql<{ id: number }>('SELECT id FROM centers WHERE parent_id IS NULL'))[0]!.id;
      const cases: [string, number, unknown[]][] = [
        ['grids', 10, [null]], ['grids', 13, [null]], ['specialist-grids', 12, [null]], ['cameras', 11, [null, null]], ['cameras', 15, [null, null]], ['cameras', 17, [null, null]],
        ['patrol-routes', 13, []], ['centers', 11, []], ['incidents', 10, [new Date(Date.now() - 300 * 86_400_000), null, null]],
        ['incidents', 15, [new Date(Date.now() - 300 * 86_400_000), null, null]], ['basemap', 9, []], ['basemap', 13, []],
      ];
      for (const [name, z, args] of cases) {
        const t = tileOf(spot.lon, spot.lat, z);
        const layer = layerOf(name);
        const native = decodeTile(await buildTile(server.db, 'native', layer, t, layer.scoped ? scope : null, args));
        const node = decodeTile(await buildTile(server.db, 'node', layer, t, layer.scoped ? scope : null, args));
        expect(Object.keys(node).sort(), `${name}/${z}`).toEqual(Object.keys(native).sort());
        for (const [source, features] of Object.entries(native)) {
          const other = new Map(node[source]!.map((f) => [f.id, f]));
          expect(ids(node[source]), `${name}/${z} ${source}`).toEqual(ids(features));
          for (const f of features) {
            const g = other.get(f.id)!;
            expect(g.properties, `${name}/${z} ${source} #${f.id}`).toEqual(f.properties);
            expect(g.type).toBe(f.type);
            compareGeometry(f, g, `${name}/${z} ${source} #${f.id}`);
          }
        }
      }
    });
  });
});

/**
 * `node` draws `native` to the tile unit: points exactly; every vertex of a native line or
 * polygon within 2 units of a vertex of the Node one (both snap to the 4096 grid and
 * simplify by one unit); polygons also by area. Not the other way round for lines:
 * ST_AsMVTGeom drops the turning point of an out-and-back patrol route (a 180° spike),
 * which the Node cutter keeps.
 */
function compareGeometry(a: DecodedFeature, b: DecodedFeature, label: string): void {
  if (a.type === 'Point') {
    expect(b.rings.flat(), label).toEqual(a.rings.flat());
    return;
  }
  const others = b.rings.flat();
  for (const p of a.rings.flat()) {
    const nearest = Math.min(...others.map((q) => Math.max(Math.abs(p.x - q.x), Math.abs(p.y - q.y))));
    expect(nearest, `${label} vertex ${p.x},${p.y}`).toBeLessThanOrEqual(2);
  }
  if (a.type === 'Polygon') {
    const [areaA, areaB] = [Math.abs(ringArea(a.rings)), Math.abs(ringArea(b.rings))];
    expect(Math.abs(areaA - areaB), `${label} area`).toBeLessThanOrEqual(Math.max(0.01 * areaA, 64));
  }
}
