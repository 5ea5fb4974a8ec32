import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import { encodePoints, type IncidentPoint } from './points-format.js';
import { cellsOf } from './cells.js';
import { HEAT_CELLS_PER_TILE_ZOOM, resolveWindow, type HeatmapFilter, type PointsFilter } from './schema.js';

const sql = loadSql(import.meta.url, ['heatmap', 'points']);

export interface Heatmap {
  /** Zoom of the cells: the map's zoom + 5, at most 17 for windows longer than two days. */
  level: number;
  /** Width of a cell in degrees of longitude. */
  cellSize: number;
  from: string;
  to: string | null;
  /** Incidents counted, and the largest count of one cell. */
  total: number;
  max: number;
  /** [lon, lat, count] of each cell with incidents, at the cell's centre. */
  cells: [number, number, number][];
}

/** Finest cells kept pre-counted (migration 0006): finer ones are counted from the incidents themselves. */
export const FINEST_COUNTED_LEVEL = 17;
/**
 * Longest window counted from incidents at cells finer than FINEST_COUNTED_LEVEL: a street
 * view over a year holds close to a million incidents; over two days, a few thousand.
 */
const FINE_CELLS_MAX_WINDOW_MS = 2 * 86_400_000;

/**
 * The cell zoom a heat map is counted at: the map's zoom + 5 (8 px cells on 256-px tiles),
 * but no finer than the pre-counted cells for windows longer than two days. At zoom 12 and
 * above such cells (≈ 265 m) are still no wider than the client's blur.
 */
export function heatLevel(zoom: number, from: Date, to: Date | null, now: Date): number {
  const level = zoom + HEAT_CELLS_PER_TILE_ZOOM;
  if (level <= FINEST_COUNTED_LEVEL) return level;
  const span = (to ?? now).getTime() - from.getTime();
  return span <= FINE_CELLS_MAX_WINDOW_MS ? level : FINEST_COUNTED_LEVEL;
}

export async function incidentHeatmap(q: Queryable, scope: number, f: HeatmapFilter, now: Date): Promise<Heatmap> {
  const { from, to } = resolveWindow(f, now);
  const level = heatLevel(f.zoom, from, to, now);
  const { x0, y0, x1, y1 } = cellsOf(f.bbox, level);
  const { rows } = await q.query<{ lon: number; lat: number; n: number }>(sql.heatmap, [
    scope,
    level,
    x0,
    y0,
    x1,
    y1,
    from,
    to ?? 'infinity',
    f.category ?? null,
  ]);
  let total = 0;
  let max = 0;
  const cells = rows.map((r): [number, number, number] => {
    total += r.n;
    max = Math.max(max, r.n);
    return [r.lon, r.lat, r.n];
  });
  return { level, cellSize: 360 / 2 ** level, from: from.toISOString(), to: to?.toISOString() ?? null, total, max, cells };
}

/** The binary points of the box and window, or undefined when more than `limit` match. */
export async function incidentPoints(q: Queryable, scope: number, f: PointsFilter, now: Date): Promise<Uint8Array | undefined> {
  const { from, to } = resolveWindow(f, now);
  const { rows } = await q.query<{ lon: number; lat: number; t: number; category: string; status: string; severity: string }>(sql.points, [
    scope,
    f.bbox.minLon,
    f.bbox.minLat,
    f.bbox.maxLon,
    f.bbox.maxLat,
    from,
    to ?? 'infinity',
    f.category ?? null,
    f.limit + 1,
  ]);
  if (rows.length > f.limit) return undefined;
  return encodePoints(rows.map((r) => ({ ...r, time: r.t * 1000 }) as IncidentPoint));
}
