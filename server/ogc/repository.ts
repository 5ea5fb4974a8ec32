import type { Queryable } from '../db/database.js';
import { bboxValues } from '../http/params.js';
import { loadSql } from '../sql-files.js';
import { COLLECTION_IDS, type CollectionId, type ItemsFilter } from './schema.js';

const sql = loadSql(import.meta.url, ['extents', 'items', 'item', ...COLLECTION_IDS]);

/** Largest numberMatched a first page counts; beyond it the member is left out (see items.sql). */
export const MATCHED_CAP = 100_000;

/** Each collection's page and single-feature statements, its selection put into the shared ones at start-up. */
const STATEMENTS = Object.fromEntries(
  COLLECTION_IDS.map((id) => [
    id,
    {
      items: sql.items.replace('/*selection*/', sql[id]).replaceAll('/*MATCHED_CAP*/', String(MATCHED_CAP)),
      item: sql.item.replace('/*selection*/', sql[id]),
    },
  ]),
) as Record<CollectionId, { items: string; item: string }>;

/** A link of an OGC API document. */
export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

/** Where a collection's features lie in a jurisdiction, and when (incidents only). */
export interface CollectionExtent {
  collection: CollectionId;
  /** minLon, minLat, maxLon, maxLat; null while the jurisdiction has none of them. */
  bbox: [number, number, number, number] | null;
  /** First and last report (RFC 3339, UTC), for incidents; null otherwise or while there are none. */
  interval: [string, string] | null;
}

/** The extents of `collection` (or of all four) within the jurisdiction of `scope`. */
export async function collectionExtents(q: Queryable, scope: number, collection?: CollectionId): Promise<CollectionExtent[]> {
  const { rows } = await q.query<{
    collection: CollectionId;
    min_lon: number | null;
    min_lat: number | null;
    max_lon: number | null;
    max_lat: number | null;
    first_at: string | null;
    last_at: string | null;
  }>(sql.extents, [scope, collection ?? null]);
  return rows.map((r) => ({
    collection: r.collection,
    bbox: r.min_lon === null || r.min_lat === null || r.max_lon === null || r.max_lat === null ? null : [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
    interval: r.first_at === null || r.last_at === null ? null : [r.first_at, r.last_at],
  }));
}

/**
 * One page of a collection's features in the jurisdiction of `scope`, as a serialised
 * GeoJSON FeatureCollection that PostGIS builds whole (features, counts, time stamp and
 * `links`, to which it adds the next link, `next` followed by the page's last id, while
 * more features follow).
 */
export async function itemsGeoJson(
  q: Queryable,
  collection: CollectionId,
  scope: number,
  filter: ItemsFilter,
  links: readonly Link[],
  next: string,
): Promise<string> {
  const { rows } = await q.query<{ body: string }>(STATEMENTS[collection].items, [
    scope,
    ...bboxValues(filter.bbox),
    filter.cursor ?? null,
    filter.limit,
    JSON.stringify(links),
    next,
    filter.datetime?.from ?? null,
    filter.datetime?.to ?? null,
  ]);
  return rows[0]!.body;
}

/** One feature of a collection in the jurisdiction of `scope` as a serialised GeoJSON Feature with `links`, or undefined. */
export async function itemGeoJson(
  q: Queryable,
  collection: CollectionId,
  scope: number,
  id: number,
  links: readonly Link[],
): Promise<string | undefined> {
  const { rows } = await q.query<{ body: string }>(STATEMENTS[collection].item, [scope, id, JSON.stringify(links)]);
  return rows[0]?.body;
}
