import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { SearchFilter, SearchKind } from './schema.js';

const sql = loadSql(import.meta.url, ['search']);

/** How a hit matched: its code, number or name is the text, starts with it, or (names) holds it. */
export type SearchMatch = 'exact' | 'prefix' | 'substring';
const MATCHES: readonly SearchMatch[] = ['exact', 'prefix', 'substring'];

export interface SearchHit {
  kind: SearchKind;
  id: number;
  /** Name (grid, camera, place) or number (incident). */
  label: string;
  /** Grid or camera code, incident number; places have none. */
  code?: string;
  /**
   * What the hit is, as a key the client translates: a general grid's `level-1` … `level-3`,
   * a specialist grid's department, a camera's source, an incident's category, a place's
   * kind (`district`, `town`, `village`) or point-of-interest kind (`market`, `school` …).
   */
  detail: string;
  match: SearchMatch;
  bbox: [minLon: number, minLat: number, maxLon: number, maxLat: number];
  /** Where to put a marker: a grid's label point (inside it), else the point itself. */
  center: [lon: number, lat: number];
}

/** What the caller's role may read (permissions.ts): kinds it may not are left out. */
export interface SearchKinds {
  grids: boolean;
  cameras: boolean;
  incidents: boolean;
}

interface HitRow {
  kind: SearchKind;
  id: number;
  label: string;
  code: string | null;
  detail: string;
  rank: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  lon: number;
  lat: number;
}

/** Hits of the jurisdiction of `scope`, best first (see sql/search.sql for the order). */
export async function search(q: Queryable, scope: number, f: SearchFilter, kinds: SearchKinds): Promise<SearchHit[]> {
  const { rows } = await q.query<HitRow>(sql.search, [scope, f.q, f.limit, kinds.grids, kinds.cameras, kinds.incidents]);
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    label: r.label,
    ...(r.code === null ? {} : { code: r.code }),
    detail: r.detail,
    match: MATCHES[r.rank]!,
    bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
    center: [r.lon, r.lat],
  }));
}
