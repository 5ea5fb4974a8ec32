import type { CenterLevel, CenterRef } from '../auth/caller.js';
import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';

const sql = loadSql(import.meta.url, ['centers', 'center-in-scope']);

export interface CenterSummary extends CenterRef {
  parentId: number | null;
  location: [lon: number, lat: number];
}

export async function listCenters(q: Queryable, scope: number): Promise<CenterSummary[]> {
  const { rows } = await q.query<{
    id: number;
    code: string;
    name: string;
    level: CenterLevel;
    parent_id: number | null;
    lon: number;
    lat: number;
  }>(sql.centers, [scope]);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    level: r.level,
    parentId: r.parent_id,
    location: [r.lon, r.lat],
  }));
}

/** The center `id` when it is in the jurisdiction of `scope`, else undefined (whether or not it exists). */
export async function findCenterInScope(q: Queryable, scope: number, id: number): Promise<CenterRef | undefined> {
  const { rows } = await q.query<{ id: number; code: string; name: string; level: CenterLevel }>(sql['center-in-scope'], [scope, id]);
  const r = rows[0];
  return r && { id: r.id, code: r.code, name: r.name, level: r.level };
}
