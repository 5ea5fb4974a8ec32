import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { GridFilter } from './schema.js';

const sql = loadSql(import.meta.url, ['grids']);

/**
 * Grids matching `filter` as a serialised GeoJSON FeatureCollection. The one place
 * grids are read for the map: the jurisdiction scope joins the filter here.
 */
export async function gridsGeoJson(db: Queryable, filter: GridFilter): Promise<string> {
  const { rows } = await db.query<{ body: string }>(sql.grids, [
    filter.level ?? null,
    filter.kind ?? null,
    filter.department ?? null,
  ]);
  return rows[0]!.body;
}
