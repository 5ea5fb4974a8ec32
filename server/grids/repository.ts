import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { GridFilter } from './schema.js';

const sql = loadSql(import.meta.url, ['grids']);

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
  ]);
  return rows[0]!.body;
}
