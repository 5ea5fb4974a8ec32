import type { Queryable } from '../db/database.js';
import { bboxValues } from '../http/params.js';
import { loadSql } from '../sql-files.js';
import type { CameraFilter } from './schema.js';

const sql = loadSql(import.meta.url, ['cameras', 'camera']);

/** A page of cameras of the jurisdiction as a serialised GeoJSON FeatureCollection (with `next`). */
export async function camerasGeoJson(q: Queryable, scope: number, f: CameraFilter): Promise<string> {
  const { rows } = await q.query<{ body: string }>(sql.cameras, [
    scope,
    ...bboxValues(f.bbox),
    f.source ?? null,
    f.status ?? null,
    f.grid ?? null,
    f.after ?? null,
    f.limit,
  ]);
  return rows[0]!.body;
}

/** One camera of the jurisdiction as a serialised GeoJSON Feature, or undefined. */
export async function cameraFeature(q: Queryable, scope: number, id: number): Promise<string | undefined> {
  const { rows } = await q.query<{ body: string }>(sql.camera, [scope, id]);
  return rows[0]?.body;
}
