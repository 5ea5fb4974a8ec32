import type { Queryable } from '../db/database.js';
import { bboxValues } from '../http/params.js';
import { loadSql } from '../sql-files.js';
import { resolveWindow } from '../incidents/schema.js';
import type { GridDetailFilter, GridFilter } from './schema.js';

const sql = loadSql(import.meta.url, ['grids', 'grid']);

/**
 * Grids matching `filter` as a serialised GeoJSON FeatureCollection. The one place
 * grids are read for the map; only grids of centers in the jurisdiction of `scope`.
 */
export async function gridsGeoJson(db: Queryable, scope: number, filter: GridFilter): Promise<string> {
  const { rows } = await db.query<{ body: string }>(sql.grids, [
    scope,
    filter.level ?? null,
    filter.kind ?? null,
    filter.department ?? null,
    filter.parent ?? null,
    ...bboxValues(filter.bbox),
    filter.q ?? null,
  ]);
  return rows[0]!.body;
}

/**
 * One grid of the jurisdiction as a serialised GeoJSON Feature with its detail, or
 * undefined. Its incidents are counted in the window of `filter` (default: the last 30
 * days, as the heat map's).
 */
export async function gridFeature(db: Queryable, scope: number, id: number, filter: GridDetailFilter, now: Date): Promise<string | undefined> {
  const { from, to } = resolveWindow(filter, now);
  const { rows } = await db.query<{ body: string }>(sql.grid, [scope, id, from, to, from.toISOString(), to?.toISOString() ?? null]);
  return rows[0]?.body;
}
