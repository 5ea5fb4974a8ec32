import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TILE_LAYERS } from '../../server/tiles/layers.js';
import { expectProblem } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';
import { decodeTile, ringArea, tileOf, type DecodedFeature } from '../support/tiles.js';

// Tiles drawn for a GCJ-02 base map (`datum=gcj02`, server/tiles/datum.ts) and the cameras'
// fields of view (source layer `camera_views`), decoded with @mapbox/vector-tile and
// compared with gcoord and with the cameras table. Runs on both encoders' databases: on the
// embedded one every tile is cut in Node; on PostGIS with ST_AsMVT the WGS84 tiles are
// native and the GCJ-02 ones are cut in Node.

type Tile = { z: number; x: number; y: number };
const EXTENT = 4096;
const path = (layer: string, t: Tile, query = '') => `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt${query}`;
const gcj = (lon: number, lat: number) => gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];

/** Where `[lon, lat]` falls in tile `t`, in tile units (unrounded). */
function local([lon, lat]: readonly number[], t: Tile): { x: number; y: number } {
  const n = 2 ** t.z;
  const r = (lat! * Math.PI) / 180;
  return {
    x: (((lon! + 180) / 360) * n - t.x) * EXTENT,
    y: (((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n - t.y) * EXTENT,
  };
}

/** Metres on the ground per tile unit of zoom z at latitude lat. */
const unitMetres = (z: number, lat: number) => ((2 * Math.PI * 6378137) / 2 ** z / EXTENT) * Math.cos((lat * Math.PI) / 180);

/** Whether a point lies inside a ring (even–odd), or within `slack` units of its edges. */
function inside(p: { x: number; y: number }, ring: { x: number; y: number }[], slack = 1.5): boolean {
  let odd = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i]!, ring[j]!];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) odd = !odd;
    const [dx, dy] = [b.x - a.x, b.y - a.y];
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
    if (Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y) <= slack) return true;
  }
  return odd;
}

interface Camera {
  id: number;
  code: string;
  source: string;
  status: string;
  lon: number;
  lat: number;
  heading: number;
  fov: number;
  range: number;
}

describe('vector tiles in GCJ-02, and camera views', () => {
  let server: TestServer;
  let district: ApiSession;
  let village: ApiSession;
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const fetchTile = async (s: ApiSession, p: string) => {
    const response = await s.get(p);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, layers: response.status === 200 ? decodeTile(bytes) : ({} as Record<string, DecodedFeature[]>) };
  };
  /** Cameras whose whole view (range + 10 %) lies inside their own tile of zoom `z`. */
  const camerasFitting = (z: number, where: string, limit = 3) =>
    sql<Camera>(
      `SELECT id::int, code, source, status, ST_X(location) AS lon, ST_Y(location) AS lat, heading, fov, range_m AS range FROM cameras
       WHERE ${where} AND ST_Contains(ST_Transform(ST_TileEnvelope(${z}, pingan_cell_x(ST_X(location), ${z}), pingan_cell_y(ST_Y(location), ${z})), 4326),
                                      ST_Buffer(location::geography, range_m * 1.1)::geometry)
       ORDER BY id LIMIT ${limit}`,
    );

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, 'operator.district');
    village = await signIn(server.baseUrl, 'operator.village');
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('datum=gcj02', () => {
    it('when a camera tile of zoom 18 is asked in GCJ-02, then the camera is drawn where gcoord puts it, and the ETag is not the WGS84 one', async () => {
      const [camera] = await sql<Camera>('SELECT id::int, ST_X(location) AS lon, ST_Y(location) AS lat FROM cameras ORDER BY id LIMIT 1');
      const { lon, lat } = camera!;
      const moved = gcj(lon, lat);
      const t = tileOf(moved[0], moved[1], 18);
      const shifted = await fetchTile(district, path('cameras', t, '?datum=gcj02'));
      expect(shifted.response.status).toBe(200);
      const f = shifted.layers.cameras!.find((c) => c.id === camera!.id)!;
      expect(f).toBeDefined();
      const want = local(moved, t);
      const got = f.rings[0]![0]!;
      expect(Math.abs(got.x - want.x), `x ${got.x} vs ${want.x}`).toBeLessThanOrEqual(0.5);
      expect(Math.abs(got.y - want.y), `y ${got.y} vs ${want.y}`).toBeLessThanOrEqual(0.5);

      // The same address in WGS84: a different picture, a different ETag; the camera, if
      // there at all, is some 500 m (≈ 3,000 units at zoom 18) away from its GCJ-02 place.
      const plain = await fetchTile(district, path('cameras', t));
      const explicit = await fetchTile(district, path('cameras', t, '?datum=wgs84'));
      expect(plain.response.headers.get('etag')).not.toBe(shifted.response.headers.get('etag'));
      expect(explicit.response.headers.get('etag')).toBe(plain.response.headers.get('etag'));
      const unshifted = plain.layers.cameras?.find((c) => c.id === camera!.id);
      if (unshifted) expect(Math.hypot(unshifted.rings[0]![0]!.x - got.x, unshifted.rings[0]![0]!.y - got.y)).toBeGreaterThan(1000);
      // And the WGS84 tile of its stored place draws it there.
      const home = tileOf(lon, lat, 18);
      const wgs = (await fetchTile(district, path('cameras', home))).layers.cameras!.find((c) => c.id === camera!.id)!;
      const at = local([lon, lat], home);
      expect(Math.abs(wgs.rings[0]![0]!.x - at.x)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(wgs.rings[0]![0]!.y - at.y)).toBeLessThanOrEqual(0.5);
    });

    it('when grid tiles are asked in GCJ-02, then every vertex of a grid is moved by gcoord, not by one shift for the tile', async () => {
      const [grid] = await sql<{ id: number; lon: number; lat: number; ring: [number, number][] }>(
        `SELECT id::int, ST_X(label_point) AS lon, ST_Y(label_point) AS lat,
                (ST_AsGeoJSON(ST_ExteriorRing(ST_GeometryN(geom, 1)))::json -> 'coordinates') AS ring
         FROM grids WHERE kind = 'general' AND level = 3 ORDER BY code LIMIT 1`,
      );
      const moved = gcj(grid!.lon, grid!.lat);
      const t = tileOf(moved[0], moved[1], 14);
      const { layers } = await fetchTile(district, path('grids', t, '?datum=gcj02'));
      // The label point, exactly.
      const label = layers.grid_labels!.find((f) => f.id === grid!.id)!;
      const want = local(moved, t);
      expect(Math.abs(label.rings[0]![0]!.x - want.x)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(label.rings[0]![0]!.y - want.y)).toBeLessThanOrEqual(0.5);
      // The outline: each drawn vertex (inside the tile) within 2 units of a stored vertex moved by gcoord.
      const polygon = layers.grids!.find((f) => f.id === grid!.id)!;
      const expected = grid!.ring.map((p) => local(gcj(p[0], p[1]), t));
      for (const p of polygon.rings.flat().filter((p) => p.x > 0 && p.x < EXTENT && p.y > 0 && p.y < EXTENT)) {
        const nearest = Math.min(...expected.map((q) => Math.hypot(p.x - q.x, p.y - q.y)));
        expect(nearest, `vertex ${p.x},${p.y}`).toBeLessThanOrEqual(2);
      }
    });

    it('when the clusters of the whole district are asked in GCJ-02, then every camera and incident is counted once', async () => {
      const [box] = await sql<{ minLon: number; minLat: number; maxLon: number; maxLat: number }>(
        `SELECT ST_XMin(e) AS "minLon", ST_YMin(e) AS "minLat", ST_XMax(e) AS "maxLon", ST_YMax(e) AS "maxLat"
         FROM (SELECT ST_Extent(location)::geometry AS e FROM cameras) AS x`,
      );
      const from = new Date(Date.now() - 300 * 86_400_000).toISOString();
      const [counts] = await sql<{ cameras: number; incidents: number }>(
        `SELECT (SELECT count(*)::int FROM cameras) AS cameras,
                (SELECT count(*)::int FROM incidents WHERE reported_at >= $1) AS incidents`,
        [from],
      );
      for (const z of [9, 11]) {
        const a = tileOf(box!.minLon - 0.05, box!.maxLat + 0.05, z);
        const b = tileOf(box!.maxLon + 0.05, box!.minLat - 0.05, z);
        let cameras = 0;
        let incidents = 0;
        for (let x = a.x; x <= b.x; x++) {
          for (let y = a.y; y <= b.y; y++) {
            const t = { z, x, y };
            const cams = await fetchTile(district, path('cameras', t, '?datum=gcj02'));
            for (const f of cams.layers.camera_clusters ?? []) {
              cameras += Number(f.properties.count);
              // Drawn inside the tile, never in the buffer.
              const p = f.rings[0]![0]!;
              expect(p.x >= 0 && p.x <= EXTENT && p.y >= 0 && p.y <= EXTENT, `${z}/${x}/${y} #${f.id} at ${p.x},${p.y}`).toBe(true);
            }
            const inc = await fetchTile(district, path('incidents', t, `?datum=gcj02&from=${encodeURIComponent(from)}`));
            for (const f of inc.layers.incident_clusters ?? []) incidents += Number(f.properties.count);
          }
        }
        expect(cameras, `cameras at zoom ${z}`).toBe(counts!.cameras);
        // The window starts at the instant asked for; the clock moves on between the requests.
        expect(Math.abs(incidents - counts!.incidents), `incidents at zoom ${z}`).toBeLessThanOrEqual(1);
      }
    });

    it('when a TileJSON is asked in GCJ-02, then its tile URLs carry the datum; the base map takes none', async () => {
      const doc = (await (await district.get('/tiles/cameras.json?source=xueliang&datum=gcj02')).json()) as { tiles: string[] };
      expect(doc.tiles).toEqual([`${server.baseUrl}/tiles/cameras/{z}/{x}/{y}.mvt?source=xueliang&datum=gcj02`]);
      for (const layer of TILE_LAYERS) {
        const response = await district.get(`/tiles/${layer.name}.json?datum=gcj02`);
        expect(response.status, layer.name).toBe(200);
        const { tiles } = (await response.json()) as { tiles: string[] };
        expect(tiles[0]!.endsWith('?datum=gcj02'), layer.name).toBe(layer.scoped);
      }
      // The base map ignores the parameter: the same tile, the same ETag.
      const t = tileOf(106.66, 30.5, 12);
      const [a, b] = [await district.get(path('basemap', t)), await district.get(path('basemap', t, '?datum=gcj02'))];
      expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    });

    it('when the datum is not one of wgs84 and gcj02, then a 400 problem naming datum', async () => {
      for (const q of ['datum=bd09', 'datum=GCJ02', 'datum=', 'datum=gcj02&datum=wgs84']) {
        for (const p of ['/tiles/cameras/18/0/0.mvt', '/tiles/grids.json', '/tiles/incidents/10/823/425.mvt', '/tiles/centers.json']) {
          const response = await district.get(`${p}?${q}`);
          const problem = await expectProblem(response, 400);
          expect(problem['invalid-params']!.map((i) => i.name), `${p}?${q}`).toContain('datum');
        }
      }
    });
  });

  describe('camera_views', () => {
    it('when a camera tile of zoom 16 or more is fetched, then each camera there has its view: a sector of its heading, fov and range', async () => {
      const cameras = await camerasFitting(17, 'fov < 300', 4);
      expect(cameras.length).toBeGreaterThan(0);
      for (const c of cameras) {
        const t = tileOf(c.lon, c.lat, 17);
        const { layers } = await fetchTile(district, path('cameras', t));
        const view = layers.camera_views!.find((f) => f.id === c.id)!;
        expect(view, c.code).toBeDefined();
        expect(view.type).toBe('Polygon');
        expect(view.properties).toEqual({ code: c.code, source: c.source, status: c.status });
        expect(view.rings).toHaveLength(1);
        const ring = view.rings[0]!;
        const apex = local([c.lon, c.lat], t);
        expect(inside(apex, ring), `${c.code} holds its camera`).toBe(true);

        // Area: fov/360 of the circle, within a few per cent (the arc has a vertex per 5°).
        const m = unitMetres(17, c.lat);
        const area = (Math.abs(ringArea(view.rings)) / 2) * m * m;
        const expected = (c.fov / 360) * Math.PI * c.range ** 2;
        expect(Math.abs(area - expected) / expected, `${c.code} area ${area.toFixed(0)} m² vs ${expected.toFixed(0)} m²`).toBeLessThan(0.03);

        // Extent: seen from the camera the arc's vertices span heading ± fov/2 (bearings clockwise from north, y down) …
        const off = ring.filter((p) => Math.hypot(p.x - apex.x, p.y - apex.y) * m > c.range * 0.5);
        const angles = off.map((p) => {
          const bearing = (Math.atan2(p.x - apex.x, -(p.y - apex.y)) * 180) / Math.PI;
          return ((bearing - c.heading + 540) % 360) - 180;
        });
        expect(Math.min(...angles), c.code).toBeCloseTo(-c.fov / 2, -0.5);
        expect(Math.max(...angles), c.code).toBeCloseTo(c.fov / 2, -0.5);
        expect(Math.min(...angles)).toBeGreaterThanOrEqual(-c.fov / 2 - 1.5);
        expect(Math.max(...angles)).toBeLessThanOrEqual(c.fov / 2 + 1.5);
        // … at the camera's range.
        for (const p of off) expect(Math.hypot(p.x - apex.x, p.y - apex.y) * m / c.range).toBeCloseTo(1, 1);
      }
    });

    it('when a camera sees all round (fov 360), then its view is a circle about it', async () => {
      const [c] = await camerasFitting(17, 'fov >= 360', 1);
      expect(c).toBeDefined();
      const t = tileOf(c!.lon, c!.lat, 17);
      const view = (await fetchTile(district, path('cameras', t))).layers.camera_views!.find((f) => f.id === c!.id)!;
      const apex = local([c!.lon, c!.lat], t);
      const m = unitMetres(17, c!.lat);
      for (const p of view.rings[0]!) expect(Math.hypot(p.x - apex.x, p.y - apex.y) * m / c!.range).toBeCloseTo(1, 1);
      expect(inside(apex, view.rings[0]!, 0)).toBe(true);
      const area = (Math.abs(ringArea(view.rings)) / 2) * m * m;
      expect(Math.abs(area - Math.PI * c!.range ** 2) / (Math.PI * c!.range ** 2)).toBeLessThan(0.03);
    });

    it('when a camera tile of zoom 15 is fetched, then there are no views; from 16 there are', async () => {
      const [c] = await camerasFitting(16, 'true', 1);
      const at15 = await fetchTile(district, path('cameras', tileOf(c!.lon, c!.lat, 15)));
      expect(at15.layers.cameras!.length).toBeGreaterThan(0);
      expect(at15.layers.camera_views).toBeUndefined();
      const at16 = await fetchTile(district, path('cameras', tileOf(c!.lon, c!.lat, 16)));
      expect(at16.layers.camera_views!.map((f) => f.id)).toContain(c!.id);
      // Every camera drawn whole in the tile has its view there.
      const points = at16.layers.cameras!.filter((f) => { const p = f.rings[0]![0]!; return p.x >= 0 && p.x < EXTENT && p.y >= 0 && p.y < EXTENT; });
      const views = new Set(at16.layers.camera_views!.map((f) => f.id));
      for (const p of points) expect(views.has(p.id), `camera #${p.id}`).toBe(true);
    });

    it('when views are filtered by source or status, or fetched by a village operator, then they follow the camera points', async () => {
      const [c] = await camerasFitting(16, 'true', 1);
      const t = tileOf(c!.lon, c!.lat, 16);
      const unfiltered = (await fetchTile(district, path('cameras', t))).layers.camera_views!;
      const rows = await sql<{ id: number; source: string; status: string }>('SELECT id::int, source, status FROM cameras WHERE id = ANY($1)', [
        unfiltered.map((f) => f.id),
      ]);
      const sorted = (ids: (number | undefined)[]) => ids.map(Number).sort((x, y) => x - y);
      for (const [q, keep] of [
        [`?source=${c!.source}`, (r: { source: string }) => r.source === c!.source],
        ['?status=online', (r: { status: string }) => r.status === 'online'],
        ['?status=offline&source=xueliang', (r: { source: string; status: string }) => r.status === 'offline' && r.source === 'xueliang'],
      ] as const) {
        const { layers } = await fetchTile(district, path('cameras', t, q));
        expect(sorted((layers.camera_views ?? []).map((f) => f.id)), q).toEqual(sorted(rows.filter(keep).map((r) => r.id)));
      }
      // The village operator sees the views of the village's cameras only.
      const [mine] = await sql<{ lon: number; lat: number }>(
        `SELECT ST_X(c.location) AS lon, ST_Y(c.location) AS lat FROM cameras c JOIN centers ce ON ce.id = c.center_id
         WHERE ce.code = 'C-511699-01-001' ORDER BY c.id LIMIT 1`,
      );
      const vt = tileOf(mine!.lon, mine!.lat, 16);
      const own = (await fetchTile(village, path('cameras', vt))).layers.camera_views ?? [];
      expect(own.length).toBeGreaterThan(0);
      const [foreign] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM cameras c JOIN centers ce ON ce.id = c.center_id WHERE c.id = ANY($1) AND ce.code <> 'C-511699-01-001'`,
        [own.map((f) => f.id)],
      );
      expect(foreign!.n).toBe(0);
      const all = (await fetchTile(district, path('cameras', vt))).layers.camera_views ?? [];
      expect(all.length).toBeGreaterThanOrEqual(own.length);
    });

    it('when views are asked in GCJ-02, then the sector is moved with its camera', async () => {
      const [c] = await camerasFitting(18, 'fov < 300', 1);
      const moved = gcj(c!.lon, c!.lat);
      const t = tileOf(moved[0], moved[1], 18);
      const { layers } = await fetchTile(district, path('cameras', t, '?datum=gcj02'));
      const view = layers.camera_views!.find((f) => f.id === c!.id)!;
      expect(inside(local(moved, t), view.rings[0]!)).toBe(true);
      // The apex is a vertex of the ring, where gcoord puts the camera.
      const apex = local(moved, t);
      expect(Math.min(...view.rings[0]!.map((p) => Math.hypot(p.x - apex.x, p.y - apex.y)))).toBeLessThanOrEqual(1);
    });
  });
});
