import type pg from 'pg';
import { blob, dist, meander, meanderThrough, toLonLat, type LonLat, type XY } from './frame.js';
import type { District } from './district.js';
import { roadName } from './names.js';
import type { Random } from './random.js';

export type RoadClass = 'expressway' | 'primary' | 'secondary' | 'street' | 'rural';
export interface Road { class: RoadClass; name: string | null; coords: LonLat[] }
export interface Waterway { class: 'river' | 'stream'; name: string; coords: LonLat[] }
export interface Area { kind?: 'urban' | 'town' | 'village'; name: string | null; coordinates: number[][][][] }

export interface Basemap {
  roads: Road[];
  waterways: Waterway[];
  water: Area[];
  landuse: Area[];
}

const line = (xy: XY[]) => xy.map(toLonLat);

/** Prim's minimum spanning tree over points: the village roads a county would build first. */
function spanningTree(points: XY[]): [number, number][] {
  const best = points.map((p) => ({ d: dist(p, points[0]!), from: 0 }));
  const inTree = points.map((_, i) => i === 0);
  const edges: [number, number][] = [];
  for (let added = 1; added < points.length; added++) {
    let next = -1;
    for (let i = 0; i < points.length; i++) if (!inTree[i] && (next < 0 || best[i]!.d < best[next]!.d)) next = i;
    inTree[next] = true;
    edges.push([best[next]!.from, next]);
    for (let i = 0; i < points.length; i++) {
      const d = dist(points[i]!, points[next]!);
      if (!inTree[i] && d < best[i]!.d) best[i] = { d, from: next };
    }
  }
  return edges;
}

export async function buildBasemap(client: pg.PoolClient, d: District, outline: XY[], rnd: Random): Promise<Basemap> {
  const taken = new Set<string>();
  const towns = d.towns;
  const core = towns[0]!.centre;
  const urban = towns.filter((t) => t.kind === 'street');
  // The river, streams, reservoirs and expressway are drawn for the demo's 12.5 km radius and
  // stretched with the outline when a larger district is generated.
  const k = d.plan.radius / 12_500;
  const at = (p: XY): XY => [p[0] * k, p[1] * k];
  const roads: Road[] = [];
  const road = (cls: RoadClass, name: string | null, xy: XY[]) => {
    if (xy.length >= 2) roads.push({ class: cls, name, coords: line(xy) });
  };

  // 渠江 runs from the north-east to the south, past the new town and east of the old core.
  const riverCtl = ([[15000, 15500], [7200, 7600], [2600, -400], [-1200, -4200], [-2500, -9000], [-4000, -16000]] as XY[]).map(at);
  const river = meanderThrough(riverCtl, 700, () => rnd.next(), 120);
  const streams: { name: string; from: XY }[] = [
    { name: '龙溪河', from: at([-11000, 7000]) },
    { name: '白马河', from: at([9000, -9000]) },
    { name: '石滩河', from: at([11000, 9500]) },
  ];
  const waterways: Waterway[] = [{ class: 'river', name: '渠江', coords: line(river) }];
  for (const s of streams) {
    const mouth = river.reduce((b, p) => (dist(p, s.from) < dist(b, s.from) ? p : b), river[0]!);
    waterways.push({ class: 'stream', name: s.name, coords: line(meander(s.from, mouth, 900, () => rnd.next(), 100)) });
  }
  const reservoirs = [
    { name: '青龙水库', centre: at([-9500, -2500]), r: 480 },
    { name: '黄桷水库', centre: at([7000, -3500]), r: 380 },
  ];

  road('expressway', '渠江高速', meanderThrough(([[-15000, 1200], [-5000, 3200], [3500, 4200], [15000, 2200]] as XY[]).map(at), 500, () => rnd.next(), 200));
  for (const [i, t] of urban.entries()) if (i > 0) road('primary', roadName(rnd, taken, '大道'), meander(urban[0]!.centre, t.centre, 300, () => rnd.next()));
  for (const t of towns.filter((t) => t.kind === 'town')) {
    const hub = urban.reduce((b, u) => (dist(u.centre, t.centre) < dist(b.centre, t.centre) ? u : b)).centre;
    road('primary', roadName(rnd, taken, '路'), meander(hub, t.centre, 900, () => rnd.next()));
    // Each town also has a road that leaves it away from the centre of the district.
    const out = Math.hypot(t.centre[0], t.centre[1]);
    const away: XY = [t.centre[0] + (t.centre[0] / out) * Math.min(1.1 * out, 9000), t.centre[1] + (t.centre[1] / out) * Math.min(1.1 * out, 9000)];
    road('secondary', roadName(rnd, taken, '路'), meander(t.centre, away, 700, () => rnd.next()));
  }
  const ring = blob(core, 2300, 0.08, () => rnd.next(), 64);
  road('primary', '环城路', [...ring, ring[0]!]);

  const villages = towns.flatMap((t) => t.villages);
  const hubs: XY[] = [...towns.map((t) => t.centre), ...villages.map((v) => v.centre)];
  for (const [a, b] of spanningTree(hubs)) road('secondary', null, meander(hubs[a]!, hubs[b]!, 200, () => rnd.next(), 100));
  for (const v of villages.filter((v) => v.kind === 'village'))
    for (const b of v.blocks) if (dist(b.centre, v.centre) > 150) road('rural', null, meander(v.centre, b.centre, 120, () => rnd.next(), 80));

  // Street grids in the built-up cores, clipped to the built-up outline in PostGIS below.
  const plans = new Map(d.plan.towns.map((t) => [t.name, t]));
  const urbanBlobs = towns.map((t) => t.kind === 'street'
    ? { kind: 'urban' as const, name: t.name, ring: blob(t.centre, 1.2 * plans.get(t.name)!.spread, 0.22, () => rnd.next()), spacing: rnd.range(280, 340), angle: rnd.range(-0.4, 0.4) }
    : { kind: 'town' as const, name: t.name, ring: blob(t.centre, 650, 0.25, () => rnd.next()), spacing: 220, angle: rnd.range(-0.6, 0.6) });
  const streets: { ring: XY[]; xy: XY[]; name: string }[] = [];
  for (const u of urbanBlobs) {
    const c = u.ring.reduce<XY>((s, p) => [s[0] + p[0] / u.ring.length, s[1] + p[1] / u.ring.length], [0, 0]);
    const reach = Math.max(...u.ring.map((p) => dist(p, c)));
    for (const angle of [u.angle, u.angle + Math.PI / 2]) {
      const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
      for (let off = -reach; off <= reach; off += u.spacing) {
        const o: XY = [c[0] - dy * off, c[1] + dx * off];
        streets.push({ ring: u.ring, name: roadName(rnd, taken, u.kind === 'urban' ? '路' : '街'), xy: meander([o[0] - dx * reach, o[1] - dy * reach], [o[0] + dx * reach, o[1] + dy * reach], 40, () => rnd.next(), 100) });
      }
    }
  }
  const clipped = await client.query<{ geom: string; name: string }>(
    `SELECT s.name, ST_AsGeoJSON((ST_Dump(ST_Intersection(ST_GeomFromGeoJSON(s.line), ST_GeomFromGeoJSON(s.area)))).geom, 7) AS geom
     FROM unnest($1::text[], $2::text[], $3::text[]) AS s(line, area, name)`,
    [
      streets.map((s) => JSON.stringify({ type: 'LineString', coordinates: line(s.xy) })),
      streets.map((s) => JSON.stringify({ type: 'Polygon', coordinates: [line([...s.ring, s.ring[0]!])] })),
      streets.map((s) => s.name),
    ],
  );
  for (const r of clipped.rows) {
    const g = JSON.parse(r.geom) as { type: string; coordinates: LonLat[] };
    if (g.type === 'LineString' && g.coordinates.length >= 2) roads.push({ class: 'street', name: r.name, coords: g.coordinates });
  }

  const rural = villages.filter((v) => v.kind === 'village');
  const builtUp: { ring: XY[]; kind: 'urban' | 'town' | 'village'; name: string | null }[] = [
    ...urbanBlobs.map((u) => ({ ring: u.ring, kind: u.kind, name: u.name })),
    ...rural.map((v) => ({ ring: blob(v.centre, rnd.range(150, 260), 0.3, () => rnd.next(), 24), kind: 'village' as const, name: v.name })),
    ...rural.flatMap((v) => v.blocks.filter(() => rnd.chance(0.5)).map((b) => ({ ring: blob(b.centre, rnd.range(70, 140), 0.3, () => rnd.next(), 16), kind: 'village' as const, name: null }))),
  ];
  const areas = await client.query<{ kind: string; name: string | null; geom: string; water: boolean }>(
    `WITH district AS (SELECT ST_GeomFromGeoJSON($1) AS g),
     river AS (SELECT ST_Buffer(ST_GeomFromGeoJSON($2)::geography, 140)::geometry AS g),
     lakes AS (SELECT ST_GeomFromGeoJSON(l) AS g, n FROM unnest($3::text[], $4::text[]) AS t(l, n)),
     water AS (SELECT ST_Union(g) AS g FROM (SELECT g FROM river UNION ALL SELECT g FROM lakes) w),
     blobs AS (SELECT ST_GeomFromGeoJSON(b) AS g, k, n FROM unnest($5::text[], $6::text[], $7::text[]) AS t(b, k, n))
     SELECT 'water' AS kind, '渠江' AS name, ST_AsGeoJSON(ST_Multi(ST_SnapToGrid(g, 1e-7)), 7) AS geom, true AS water FROM river
     UNION ALL
     SELECT 'water', n, ST_AsGeoJSON(ST_Multi(ST_SnapToGrid(g, 1e-7)), 7), true FROM lakes
     UNION ALL
     SELECT k, n, ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(g, 1e-7)), 3)), 7), false
     FROM (SELECT b.k, b.n, ST_Difference(ST_Intersection(b.g, district.g), water.g) AS g FROM blobs b, district, water) dry
     WHERE NOT ST_IsEmpty(g)`,
    [
      JSON.stringify({ type: 'Polygon', coordinates: [line([...outline, outline[0]!])] }),
      JSON.stringify({ type: 'LineString', coordinates: line(river) }),
      reservoirs.map((r) => { const ring = blob(r.centre, r.r, 0.3, () => rnd.next(), 48); return JSON.stringify({ type: 'Polygon', coordinates: [line([...ring, ring[0]!])] }); }),
      reservoirs.map((r) => r.name),
      builtUp.map((b) => JSON.stringify({ type: 'Polygon', coordinates: [line([...b.ring, b.ring[0]!])] })),
      builtUp.map((b) => b.kind),
      builtUp.map((b) => b.name),
    ],
  );
  const water: Area[] = [];
  const landuse: Area[] = [];
  for (const r of areas.rows) {
    const coordinates = (JSON.parse(r.geom) as { coordinates: number[][][][] }).coordinates;
    if (coordinates.length === 0) continue;
    if (r.water) water.push({ name: r.name, coordinates });
    else landuse.push({ kind: r.kind as Area['kind'], name: r.name, coordinates });
  }
  return { roads, waterways, water, landuse };
}
