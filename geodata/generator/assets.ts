import type pg from 'pg';
import TinyQueue from 'tinyqueue';
import { bearing, dist, toLonLat, toXY, type LonLat, type XY } from './frame.js';
import type { Basemap, Road } from './basemap.js';
import type { District } from './district.js';
import { mobile, personName } from './names.js';
import type { Place } from './places.js';
import type { Random } from './random.js';

export interface Camera {
  code: string; name: string; source: 'xueliang' | 'tianwang' | 'social';
  lonlat: LonLat; heading: number; fov: number; range_m: number; status: 'online' | 'offline' | 'fault'; address: string;
}

const SOURCE_CODE = { xueliang: 'XL', tianwang: 'TW', social: 'SH' } as const;
const STATUS_ONLINE = { xueliang: 0.9, tianwang: 0.96, social: 0.93 } as const;

/**
 * Cameras go where each programme puts them: 天网 (police) at junctions, main roads and key
 * places in town; 雪亮 at village entrances and along village roads; social cameras at shops,
 * markets and nightlife.
 */
export function buildCameras(d: District, map: Basemap, places: Place[], counts: Record<Camera['source'], number>, rnd: Random): Camera[] {
  const cameras: Camera[] = [];
  const segments = map.roads.flatMap((r) => r.coords.slice(1).map((b, i) => ({ road: r, a: toXY(r.coords[i]!), b: toXY(b) })));
  type Segment = (typeof segments)[number];
  // Longer segments get proportionally more cameras.
  const byClass = (classes: Road['class'][]) => rnd.sampler(segments.filter((s) => classes.includes(s.road.class)), (x) => dist(x.a, x.b) + 1);
  const alongRoad = (pick: () => Segment): { at: XY; heading: number; label: string } => {
    const s = pick();
    const t = rnd.next();
    const side = rnd.chance(0.5) ? 6 : -6;
    const h = bearing(s.a, s.b);
    const at: XY = [s.a[0] + (s.b[0] - s.a[0]) * t + side * Math.cos((h * Math.PI) / 180), s.a[1] + (s.b[1] - s.a[1]) * t - side * Math.sin((h * Math.PI) / 180)];
    return { at, heading: rnd.chance(0.5) ? h : (h + 180) % 360, label: s.road.name ?? '村道' };
  };
  const atPlace = (pool: Place[]): { at: XY; heading: number; label: string } => {
    const p = rnd.pick(pool);
    const angle = rnd.range(0, Math.PI * 2);
    const r = rnd.range(20, 90);
    const at: XY = [p.xy[0] + r * Math.cos(angle), p.xy[1] + r * Math.sin(angle)];
    return { at, heading: bearing(at, p.xy), label: p.name };
  };
  const pois = (kinds: string[]) => places.filter((p) => p.poi_kind && kinds.includes(p.poi_kind));
  const villageCentres = d.towns.flatMap((t) => t.villages).map((v) => ({ ...v, xy: v.centre }));
  const [townRoads, villageRoads, streets] = [byClass(['street', 'primary', 'expressway']), byClass(['rural', 'secondary']), byClass(['street'])];
  const [policePlaces, socialPlaces] = [
    pois(['school', 'market', 'station', 'bar_street', 'government', 'hospital', 'square']),
    pois(['market', 'bar_street', 'school', 'factory', 'construction_site', 'park']),
  ];
  const plans: Record<Camera['source'], () => { at: XY; heading: number; label: string }> = {
    tianwang: () => (rnd.chance(0.35) ? atPlace(policePlaces) : alongRoad(townRoads)),
    xueliang: () => {
      if (rnd.chance(0.35)) {
        const v = rnd.pick(villageCentres);
        const angle = rnd.range(0, Math.PI * 2);
        const at: XY = [v.xy[0] + 120 * Math.cos(angle), v.xy[1] + 120 * Math.sin(angle)];
        return { at, heading: bearing(at, v.xy), label: `${v.name}入口` };
      }
      return alongRoad(villageRoads);
    },
    social: () => (rnd.chance(0.45) ? atPlace(socialPlaces) : alongRoad(streets)),
  };
  for (const source of ['xueliang', 'tianwang', 'social'] as const) {
    for (let i = 1; i <= counts[source]; i++) {
      const { at, heading, label } = plans[source]();
      const dome = source === 'tianwang' && rnd.chance(0.12);
      const roll = rnd.next();
      cameras.push({
        code: `${SOURCE_CODE[source]}-${String(i).padStart(5, '0')}`,
        name: `${label}${dome ? '球机' : '枪机'}${i}`,
        source,
        lonlat: toLonLat(at),
        heading: Math.round(heading * 10) / 10 % 360,
        fov: dome ? 360 : Math.round(rnd.range(50, 100)),
        range_m: Math.round(dome ? rnd.range(80, 150) : rnd.range(30, 110)),
        status: roll < STATUS_ONLINE[source] ? 'online' : roll < STATUS_ONLINE[source] + 0.06 ? 'offline' : 'fault',
        address: label,
      });
    }
  }
  return cameras;
}

/** The road network as a graph, noded by PostGIS so crossings become junctions. */
const NODE_IN_ONE_GO = 5000;

export interface RoadGraph { nodes: XY[]; edges: Map<number, { to: number; w: number; path: XY[] }[]> }

export async function roadGraph(client: pg.PoolClient, roads: Road[]): Promise<RoadGraph> {
  const lines = roads.filter((r) => r.class !== 'expressway');
  // Large networks are not noded: GEOS 3.11's noder crashed PostgreSQL 15's backend on a
  // province-sized district (≈ 56,000 roads, also split into 20 km cells). The generator's
  // roads meet at shared end points (town, village and block centres), which join them anyway.
  const pieces = lines.length > NODE_IN_ONE_GO
    ? lines.map((r) => r.coords)
    : (await client.query<{ geom: string }>(
        `SELECT ST_AsGeoJSON((ST_Dump(ST_Node(ST_Collect(ST_SnapToGrid(ST_GeomFromGeoJSON(l), 1e-6))))).geom, 7) AS geom
         FROM unnest($1::text[]) AS t(l)`,
        [lines.map((r) => JSON.stringify({ type: 'LineString', coordinates: r.coords }))],
      )).rows.map((r) => (JSON.parse(r.geom) as { coordinates: LonLat[] }).coordinates);
  const nodes: XY[] = [];
  const ids = new Map<string, number>();
  const node = (c: number[]) => {
    const k = `${c[0]!.toFixed(6)},${c[1]!.toFixed(6)}`;
    let id = ids.get(k);
    if (id === undefined) {
      id = nodes.length;
      ids.set(k, id);
      nodes.push(toXY([c[0]!, c[1]!]));
    }
    return id;
  };
  const edges = new Map<number, { to: number; w: number; path: XY[] }[]>();
  for (const coords of pieces) {
    const path = coords.map((c) => toXY(c));
    const [a, b] = [node(coords[0]!), node(coords[coords.length - 1]!)];
    const w = path.slice(1).reduce((s, p, i) => s + dist(path[i]!, p), 0);
    edges.set(a, [...(edges.get(a) ?? []), { to: b, w, path }]);
    edges.set(b, [...(edges.get(b) ?? []), { to: a, w, path: [...path].reverse() }]);
  }
  return { nodes, edges };
}

function largestComponent(graph: RoadGraph): Set<number> {
  let best = new Set<number>();
  const seen = new Set<number>();
  for (let s = 0; s < graph.nodes.length; s++) {
    if (seen.has(s)) continue;
    const component = new Set([s]);
    const stack = [s];
    while (stack.length > 0) {
      for (const e of graph.edges.get(stack.pop()!) ?? []) {
        if (component.has(e.to)) continue;
        component.add(e.to);
        stack.push(e.to);
      }
    }
    for (const n of component) seen.add(n);
    if (component.size > best.size) best = component;
  }
  return best;
}

function shortestPath(graph: RoadGraph, from: number, to: number): XY[] | undefined {
  if (from === to) return [graph.nodes[from]!];
  const distTo = new Map([[from, 0]]);
  const via = new Map<number, { prev: number; path: XY[] }>();
  const queue = new TinyQueue<[number, number]>([[0, from]], (a, b) => a[0] - b[0]);
  while (queue.length > 0) {
    const [d, n] = queue.pop()!;
    if (n === to) break;
    if (d > (distTo.get(n) ?? Infinity)) continue;
    for (const e of graph.edges.get(n) ?? []) {
      const nd = d + e.w;
      if (nd < (distTo.get(e.to) ?? Infinity)) {
        distTo.set(e.to, nd);
        via.set(e.to, { prev: n, path: e.path });
        queue.push([nd, e.to]);
      }
    }
  }
  if (!via.has(to)) return undefined;
  const parts: XY[][] = [];
  for (let n = to; n !== from; n = via.get(n)!.prev) parts.unshift(via.get(n)!.path);
  return parts.flatMap((p, i) => (i === 0 ? p : p.slice(1)));
}

export interface PatrolTeam {
  code: string; name: string; center: string; members: number; leader: string; phone: string;
  routes: { name: string; shift: 'day' | 'night' | 'all_day'; coords: LonLat[] }[];
  units: { callsign: string; kind: 'vehicle' | 'ebike' | 'foot'; members: number; route: number }[];
}

/** 60 teams: district squads, town teams and the busiest villages' own; routes follow the roads. */
export function buildPatrols(d: District, graph: RoadGraph, centerCode: (town: number, village?: number) => string, rnd: Random): PatrolTeam[] {
  // Routes stay on the largest connected part of the network, so every leg has a path.
  const main = largestComponent(graph);
  const mainNodes = graph.nodes.map((n, i) => [n, i] as const).filter(([, i]) => main.has(i));
  const nearestNode = (p: XY) => mainNodes.reduce((b, c) => (dist(c[0], p) < dist(b[0], p) ? c : b))[1];
  const tour = (base: XY, radius: number, stops: number): XY[] => {
    const start = nearestNode(base);
    let around = mainNodes.filter(([n]) => dist(n, base) < radius).map(([, i]) => i);
    // Sparse country roads: widen the patrol area until there is somewhere to go.
    for (let r = radius * 1.5; around.length < stops + 1; r *= 1.5) around = mainNodes.filter(([n]) => dist(n, base) < r).map(([, i]) => i);
    const waypoints = [start, ...Array.from({ length: stops }, () => rnd.pick(around.filter((i) => i !== start))), start];
    const legs = waypoints.slice(1).map((w, i) => shortestPath(graph, waypoints[i]!, w)!);
    return legs.flatMap((l, i) => (i === 0 ? l : l.slice(1)));
  };
  const teams: PatrolTeam[] = [];
  const villages = d.towns.flatMap((t, ti) => t.villages.map((v, vi) => ({ v, ti, vi, pop: v.blocks.reduce((s, b) => s + b.population, 0) })));
  const busiest = [...villages].sort((a, b) => b.pop - a.pop).slice(0, 37);
  const plans: { name: string; center: string; base: XY; radius: number; members: [number, number]; kinds: PatrolTeam['units'][number]['kind'][] }[] = [
    ...['一', '二', '三', '四', '五'].map((n, i) => ({ name: `区治安巡防${n}中队`, center: centerCode(-1), base: d.towns[i % 2]!.centre, radius: 6000, members: [24, 30] as [number, number], kinds: ['vehicle', 'vehicle', 'ebike'] as const })),
    // Town teams for the first five towns only: a larger generated district keeps 60 teams.
    ...d.towns.slice(0, 5).flatMap((t, ti) => Array.from({ length: ti === 0 ? 5 : ti === 1 ? 4 : 3 }, (_, k) => ({
      name: `${t.name}巡防${k + 1}队`, center: centerCode(ti), base: t.villages[k % t.villages.length]!.centre, radius: t.kind === 'street' ? 1800 : 3000,
      members: [14, 20] as [number, number], kinds: ['vehicle', 'ebike', 'foot'] as const,
    }))),
    ...busiest.map(({ v, ti, vi }) => ({ name: `${v.name}巡逻队`, center: centerCode(ti, vi), base: v.centre, radius: v.kind === 'community' ? 700 : 1500, members: [8, 12] as [number, number], kinds: ['ebike', 'foot'] as const })),
  ].map((p) => ({ ...p, kinds: [...p.kinds] }));
  plans.forEach((p, i) => {
    const routes: PatrolTeam['routes'] = [];
    for (const shift of ['day', 'night'] as const) {
      routes.push({ name: `${p.name}${shift === 'day' ? '日间' : '夜间'}路线`, shift, coords: tour(p.base, p.radius, 3).map(toLonLat) });
    }
    const members = rnd.int(p.members[0], p.members[1]);
    const unitCount = Math.max(2, Math.round(members / 5));
    teams.push({
      code: `PT-${String(i + 1).padStart(3, '0')}`,
      name: p.name,
      center: p.center,
      members,
      leader: personName(rnd),
      phone: mobile(rnd),
      routes,
      units: Array.from({ length: unitCount }, (_, k) => ({
        callsign: `PT-${String(i + 1).padStart(3, '0')}-${k + 1}`,
        kind: p.kinds[k % p.kinds.length]!,
        members: p.kinds[k % p.kinds.length] === 'vehicle' ? 3 : 2,
        route: k % routes.length,
      })),
    });
  });
  return teams;
}
