/**
 * Map cells: the Web Mercator tiles of a zoom ("level"), numbered as slippy maps number
 * tiles. The same arithmetic as the SQL functions pingan_cell_x / pingan_cell_y
 * (migration 0003), which bin incidents for heat maps.
 */

/** Column of the zoom-`level` tile holding `lon`. */
export const cellX = (lon: number, level: number): number => Math.min(Math.floor(((lon + 180) / 360) * 2 ** level), 2 ** level - 1);

/** Row of the zoom-`level` tile holding `lat` (0 at the north edge). */
export function cellY(lat: number, level: number): number {
  const r = (Math.max(Math.min(lat, 85.0511), -85.0511) * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** level);
  return Math.min(Math.max(y, 0), 2 ** level - 1);
}

export interface CellRange {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The cells of zoom `level` that a WGS84 box touches (inclusive). */
export function cellsOf(b: { minLon: number; minLat: number; maxLon: number; maxLat: number }, level: number): CellRange {
  return { x0: cellX(b.minLon, level), y0: cellY(b.maxLat, level), x1: cellX(b.maxLon, level), y1: cellY(b.minLat, level) };
}
