import { expect } from 'vitest';
import type { Queryable } from '../../server/db/database.js';

/** WGS84 longitude and latitude, as the intake API takes a location. */
export type LonLat = [number, number];

/** A point well inside one level-3 general grid. */
export interface InteriorPoint {
  gridId: number;
  location: LonLat;
}

/**
 * A point in every level-3 general grid of `centerId` that lies at least `clearanceM`
 * metres from every other level-3 grid (so intake attributes it to that grid, unflagged).
 * Ordered by grid id.
 */
export async function interiorPoints(db: Queryable, centerId: number, clearanceM = 60): Promise<InteriorPoint[]> {
  const { rows } = await db.query<{ grid_id: number; lon: number; lat: number }>(
    `SELECT g.id AS grid_id, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
     FROM grids AS g
     -- ~100 m inward (in degrees), then checked in metres below.
     CROSS JOIN LATERAL (SELECT ST_PointOnSurface(ST_Buffer(g.geom, -0.001)) AS geom) AS p
     WHERE g.kind = 'general' AND g.level = 3 AND g.center_id = $1 AND NOT ST_IsEmpty(p.geom)
       AND NOT EXISTS (
         SELECT 1 FROM grids AS o
         WHERE o.kind = 'general' AND o.level = 3 AND o.id <> g.id
           AND ST_DWithin(o.geom, p.geom, 0.01) AND ST_DWithin(o.geom::geography, p.geom::geography, $2))
     ORDER BY g.id`,
    [centerId, clearanceM],
  );
  expect(rows.length, `level-3 grids of center ${centerId} with a point ${clearanceM} m from the others`).toBeGreaterThan(0);
  return rows.map((r) => ({ gridId: r.grid_id, location: [r.lon, r.lat] }));
}

/** Where two level-3 grids meet, and points stepping from there into the first one. */
export interface BoundaryCase {
  /** The grid `near` and `far` lie in. */
  gridId: number;
  /** The grid across the shared boundary. */
  neighbourId: number;
  /** A vertex of the shared boundary: in both grids and in no other. */
  vertex: LonLat;
  /** 2 m from the vertex into `gridId`: inside it only, within 2 m of the neighbour. */
  near: LonLat;
  /** 50 m from the vertex on the same bearing: inside `gridId` only, more than 10 m from every other grid. */
  far: LonLat;
}

/**
 * A boundary between a level-3 grid of `centerId` and a neighbour in the jurisdiction of
 * `neighbourScope`, of the same center (`sameCenter`) or another one. The shared point is a
 * vertex both outlines have: a point interpolated along the shared edge lands a rounding
 * error inside one grid only, so it is not on the boundary.
 */
export async function boundaryCase(db: Queryable, centerId: number, neighbourScope: number, sameCenter: boolean): Promise<BoundaryCase> {
  const { rows } = await db.query<{ a: number; b: number; vertex: LonLat; near: LonLat; far: LonLat }>(
    `WITH general3 AS (
       SELECT id, geom, center_id FROM grids WHERE kind = 'general' AND level = 3
     ), pairs AS (
       SELECT a.id AS a, b.id AS b, ST_PointOnSurface(a.geom) AS inside, line.geom AS line
       FROM general3 AS a
       JOIN general3 AS b ON b.id <> a.id AND ST_Intersects(a.geom, b.geom)
        AND b.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)
        AND (b.center_id = a.center_id) = $3
       CROSS JOIN LATERAL ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2))) AS line
       WHERE a.center_id = $1 AND ST_NPoints(line.geom) >= 3
     ), placed AS (
       SELECT p.a, p.b, v.geom AS vertex,
              ST_Project(v.geom::geography, 2, ST_Azimuth(v.geom::geography, p.inside::geography))::geometry AS near,
              ST_Project(v.geom::geography, 50, ST_Azimuth(v.geom::geography, p.inside::geography))::geometry AS far
       FROM pairs AS p
       -- A vertex in the middle of the shared line: never one of its ends, where a third grid may meet.
       CROSS JOIN LATERAL (SELECT ST_PointN(p.line, ST_NPoints(p.line) / 2 + 1) AS geom) AS v
     )
     SELECT a, b,
            json_build_array(ST_X(vertex), ST_Y(vertex)) AS vertex,
            json_build_array(ST_X(near), ST_Y(near)) AS near,
            json_build_array(ST_X(far), ST_Y(far)) AS far
     FROM placed
     WHERE (SELECT array_agg(g.id ORDER BY g.id) FROM general3 AS g WHERE ST_Intersects(g.geom, vertex)) = ARRAY[least(a, b), greatest(a, b)]
       AND (SELECT array_agg(g.id) FROM general3 AS g WHERE ST_Intersects(g.geom, near)) = ARRAY[a]
       AND (SELECT array_agg(g.id) FROM general3 AS g WHERE ST_Intersects(g.geom, far)) = ARRAY[a]
       AND ST_DWithin((SELECT geom FROM general3 WHERE id = b)::geography, near::geography, 2.01)
       AND NOT EXISTS (SELECT 1 FROM general3 AS o WHERE o.id <> a AND ST_DWithin(o.geom::geography, far::geography, 10))
     ORDER BY a, b
     LIMIT 1`,
    [centerId, neighbourScope, sameCenter],
  );
  const found = rows[0];
  expect(found, `a boundary of a grid of center ${centerId} with a grid under center ${neighbourScope}`).toBeDefined();
  return { gridId: found!.a, neighbourId: found!.b, vertex: found!.vertex, near: found!.near, far: found!.far };
}
