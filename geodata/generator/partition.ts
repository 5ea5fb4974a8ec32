import type pg from 'pg';
import { dist, pointInPolygon, toLonLat, type LonLat, type XY } from './frame.js';
import type { Random } from './random.js';

/**
 * The grid hierarchy is built from "atoms": blue-noise points, denser in town, whose Voronoi
 * cells (computed by PostGIS) tile the district. Every grid at every level is a union of
 * whole atom cells, so children partition their parent exactly: shared borders are the very
 * same cell edges, with no slivers from re-clipping.
 */
export interface Atom {
  index: number;
  xy: XY;
  lonlat: LonLat;
  /** People living in the atom's cell, from the population-density field. */
  population: number;
}

export interface AtomField {
  /** Relative settlement density (1 = open countryside); atom spacing shrinks as 1/√density. */
  density(p: XY): number;
  /** Residents per km². */
  popDensity(p: XY): number;
}

export function sampleAtoms(outline: XY[], field: AtomField, ruralSpacing: number, hotspots: XY[], rnd: Random): Atom[] {
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spacing = (p: XY) => ruralSpacing / Math.sqrt(field.density(p));
  // Cells of half the widest spacing: a proximity test looks at 5 × 5 cells at most.
  const cell = ruralSpacing / 2;
  const hash = new Map<number, XY[]>();
  const key = (cx: number, cy: number) => cx * 100_000 + cy;
  const atoms: XY[] = [];
  const tooClose = (p: XY, r: number) => {
    const cx = Math.floor(p[0] / cell);
    const cy = Math.floor(p[1] / cell);
    const reach = Math.ceil(r / cell);
    for (let dx = -reach; dx <= reach; dx++)
      for (let dy = -reach; dy <= reach; dy++)
        for (const q of hash.get(key(cx + dx, cy + dy)) ?? []) if (dist(p, q) < r) return true;
    return false;
  };
  // Half the candidates are drawn near settlements, or the dense centres would never fill up.
  const candidates = 40 * Math.ceil(((maxX - minX) * (maxY - minY)) / (ruralSpacing * ruralSpacing));
  for (let n = 0; n < candidates; n++) {
    let p: XY;
    if (n % 2 === 0) p = [rnd.range(minX, maxX), rnd.range(minY, maxY)];
    else {
      const h = rnd.pick(hotspots);
      p = [rnd.normal(h[0], 1500), rnd.normal(h[1], 1500)];
    }
    const r = spacing(p);
    // Once an area is full nearly every candidate is too close: test that before the outline.
    if (tooClose(p, r) || !pointInPolygon(p, outline)) continue;
    atoms.push(p);
    const k = key(Math.floor(p[0] / cell), Math.floor(p[1] / cell));
    hash.set(k, [...(hash.get(k) ?? []), p]);
  }
  return atoms.map((xy, index) => {
    const r = spacing(xy);
    return { index, xy, lonlat: toLonLat(xy), population: Math.round((field.popDensity(xy) * r * r * 0.87) / 1e6) };
  });
}

/** Points just outside the outline; their cells bound the border atoms' cells and are then dropped. */
export function guardRing(outline: XY[], field: AtomField, ruralSpacing: number): XY[] {
  const guards: XY[] = [];
  const centroid: XY = [
    outline.reduce((s, p) => s + p[0], 0) / outline.length,
    outline.reduce((s, p) => s + p[1], 0) / outline.length,
  ];
  for (let i = 0; i < outline.length; i++) {
    const a = outline[i]!;
    const b = outline[(i + 1) % outline.length]!;
    const r = ruralSpacing / Math.sqrt(field.density(a));
    const steps = Math.max(1, Math.ceil(dist(a, b) / r));
    for (let s = 0; s < steps; s++) {
      const t = s / steps;
      const p: XY = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      const away = dist(p, centroid);
      const push = r * 0.5;
      guards.push([p[0] + ((p[0] - centroid[0]) / away) * push, p[1] + ((p[1] - centroid[1]) / away) * push]);
    }
  }
  return guards;
}

/**
 * Loads atoms and guards into a temporary table, lets PostGIS compute the Voronoi cells
 * (snapped to the 1e-7° grid) and the Delaunay adjacency, and returns the adjacency lists.
 */
export async function buildCells(client: pg.PoolClient, atoms: Atom[], guards: XY[]): Promise<number[][]> {
  await client.query('DROP TABLE IF EXISTS gen_atoms');
  await client.query('CREATE TEMP TABLE gen_atoms (i int PRIMARY KEY, pt geometry(Point, 4326) NOT NULL, cell geometry)');
  const points = [...atoms.map((a) => ({ i: a.index, ll: a.lonlat })), ...guards.map((g, k) => ({ i: -1 - k, ll: toLonLat(g) }))];
  await client.query(
    `INSERT INTO gen_atoms (i, pt)
     SELECT i, ST_SetSRID(ST_MakePoint(x, y), 4326) FROM unnest($1::int[], $2::float8[], $3::float8[]) AS t(i, x, y)`,
    [points.map((p) => p.i), points.map((p) => p.ll[0]), points.map((p) => p.ll[1])],
  );
  await client.query('CREATE INDEX ON gen_atoms USING gist (pt)');
  await client.query(
    `UPDATE gen_atoms a SET cell = ST_SnapToGrid(v.cell, 1e-7)
     FROM (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(pt)))).geom AS cell FROM gen_atoms) v
     WHERE ST_Intersects(v.cell, a.pt)`,
  );
  // Delaunay edges reuse the input coordinates exactly, so endpoints find their atoms by equality.
  const { rows } = await client.query<{ a: number; b: number }>(
    `WITH edges AS (
       SELECT (ST_Dump(ST_DelaunayTriangles(ST_Collect(pt), 0, 1))).geom AS e FROM gen_atoms
     ), atoms AS (
       SELECT i, ST_X(pt) AS x, ST_Y(pt) AS y FROM gen_atoms WHERE i >= 0
     )
     SELECT s.i AS a, t.i AS b
     FROM edges
     JOIN atoms s ON s.x = ST_X(ST_StartPoint(e)) AND s.y = ST_Y(ST_StartPoint(e))
     JOIN atoms t ON t.x = ST_X(ST_EndPoint(e)) AND t.y = ST_Y(ST_EndPoint(e))`,
  );
  const adjacency: number[][] = atoms.map(() => []);
  for (const { a, b } of rows) {
    adjacency[a]!.push(b);
    adjacency[b]!.push(a);
  }
  for (const list of adjacency) list.sort((x, y) => x - y);
  return adjacency;
}

/** Multi-source breadth-first growth: every member joins the seed that reaches it first. */
export function growRegions(members: number[], adjacency: number[][], seeds: number[]): Map<number, number> {
  const inside = new Set(members);
  const label = new Map<number, number>();
  let frontier = seeds.map((s, k) => [s, k] as const);
  for (const [s, k] of frontier) label.set(s, k);
  while (frontier.length > 0) {
    const next: (readonly [number, number])[] = [];
    for (const [atom, k] of frontier)
      for (const n of adjacency[atom]!)
        if (inside.has(n) && !label.has(n)) {
          label.set(n, k);
          next.push([n, k]);
        }
    frontier = next;
  }
  return label;
}

/**
 * Graph k-means: grow regions from seeds, move each seed to the member nearest its
 * region's centroid, repeat. Regions stay connected because each is grown, never assigned.
 */
export function partitionAtoms(members: number[], atoms: Atom[], adjacency: number[][], initialSeeds: number[], iterations: number): number[][] {
  let seeds = initialSeeds;
  let label = growRegions(members, adjacency, seeds);
  for (let it = 0; it < iterations; it++) {
    const groups = collect(members, label, seeds.length);
    seeds = groups.map((g, k) => (g.length > 0 ? medoid(g, atoms) : seeds[k]!));
    label = growRegions(members, adjacency, seeds);
  }
  return collect(members, label, seeds.length);
}

function collect(members: number[], label: Map<number, number>, k: number): number[][] {
  const groups: number[][] = Array.from({ length: k }, () => []);
  for (const m of members) groups[label.get(m) ?? 0]!.push(m);
  return groups;
}

/** The member atom closest to the members' centroid. */
export function medoid(group: number[], atoms: Atom[]): number {
  const cx = group.reduce((s, i) => s + atoms[i]!.xy[0], 0) / group.length;
  const cy = group.reduce((s, i) => s + atoms[i]!.xy[1], 0) / group.length;
  let best = group[0]!;
  for (const i of group) if (dist(atoms[i]!.xy, [cx, cy]) < dist(atoms[best]!.xy, [cx, cy])) best = i;
  return best;
}

/** k spread-out seeds: farthest-point sampling from a random start. */
export function spreadSeeds(members: number[], atoms: Atom[], k: number, rnd: Random): number[] {
  const seeds = [rnd.pick(members)];
  const xy = members.map((m) => atoms[m]!.xy);
  const nearest = Float64Array.from(xy, (p) => dist(p, atoms[seeds[0]!]!.xy));
  while (seeds.length < k) {
    let far = 0;
    for (let j = 1; j < members.length; j++) if (nearest[j]! > nearest[far]!) far = j;
    seeds.push(members[far]!);
    for (let j = 0; j < members.length; j++) nearest[j] = Math.min(nearest[j]!, dist(xy[j]!, xy[far]!));
  }
  return seeds;
}

/** Unions the cells of each group in PostGIS; returns GeoJSON MultiPolygon coordinates per group. */
export async function unionGroups(client: pg.PoolClient, groups: number[][]): Promise<number[][][][][]> {
  const ids: number[] = [];
  const keys: number[] = [];
  groups.forEach((g, k) => g.forEach((i) => (ids.push(i), keys.push(k))));
  const { rows } = await client.query<{ k: number; geom: string }>(
    `SELECT g.k, ST_AsGeoJSON(ST_Multi(ST_Union(a.cell)), 7) AS geom
     FROM unnest($1::int[], $2::int[]) AS g(i, k) JOIN gen_atoms a USING (i)
     GROUP BY g.k ORDER BY g.k`,
    [ids, keys],
  );
  const out: number[][][][][] = groups.map(() => []);
  for (const r of rows) out[r.k] = (JSON.parse(r.geom) as { coordinates: number[][][][] }).coordinates;
  return out;
}
