import { toDatum, type Datum } from '../../server/tiles/datum';

export type { Datum };
export type Project = (lon: number, lat: number) => [number, number];

/**
 * Where a stored WGS84 (≈ CGCS2000, within centimetres) position is drawn on the
 * configured base map. A GCJ-02 base map (高德/腾讯-style tiles) is offset 300–500 m
 * inside China, so what the client draws itself moves with it, by the same function
 * the server shifts tiles with (`datum=gcj02`).
 */
export function projectionFor(datum: Datum): Project {
  return (lon, lat) => toDatum([lon, lat], datum);
}

/** Shifts a WGS84 box into the base map's datum (corners moved; exact enough for framing). */
export function projectBox(project: Project, [minLon, minLat, maxLon, maxLat]: [number, number, number, number]): [number, number, number, number] {
  const [a, b] = project(minLon, minLat);
  const [c, d] = project(maxLon, maxLat);
  return [a, b, c, d];
}
