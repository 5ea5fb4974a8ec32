import { z } from 'zod';
import { bboxParam, idParam, intParam } from '../http/params.js';

/** The collections this OGC API – Features serves, in the order the collection list gives them. */
export const COLLECTION_IDS = ['grids', 'cameras', 'patrol-routes', 'incidents'] as const;
export type CollectionId = (typeof COLLECTION_IDS)[number];

/** Items per page when the request names no `limit`, and the most one page may hold. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** `f=json` (the only encoding of the landing page, conformance and collections). */
const jsonOnly = z.enum(['json'], { error: 'must be json: this server answers in JSON only' });

/** `f=json` or `f=geojson` for items: both mean GeoJSON. */
const geoJsonOnly = z.enum(['json', 'geojson'], { error: 'must be json or geojson: features come as GeoJSON only' });

/** Landing page, conformance, collections: only the encoding can be chosen. */
export const MetadataQuery = z.object({ f: jsonOnly.optional().describe('Encoding; only json is served') });

/** One feature: only the encoding can be chosen. */
export const ItemQuery = z.object({ f: geoJsonOnly.optional().describe('Encoding; json and geojson both mean GeoJSON') });

/** A time filter as the SQL takes it: RFC 3339 text, bounds included, NULL for an open end. */
export interface TimeInterval {
  from: string | null;
  to: string | null;
}

const rfc3339 = z.iso.datetime({ offset: true });
const DATETIME_MESSAGE = 'must be an RFC 3339 date-time with its offset (2026-11-24T08:00:00Z) or an interval start/end, ../end or start/..';

/**
 * OGC API `datetime`: an instant, or an interval whose ends are RFC 3339 date-times or
 * open (`..` or empty). Bounds are inclusive; an instant matches exactly that time.
 */
export const datetimeParam = () =>
  z
    .string()
    .max(100)
    .transform((text, ctx): TimeInterval => {
      const parts = text.split('/');
      const bound = (part: string): string | null | undefined => {
        if (parts.length === 2 && (part === '..' || part === '')) return null;
        return rfc3339.safeParse(part).success ? part : undefined;
      };
      const [from, to] = parts.length === 1 ? [bound(text), bound(text)] : parts.length === 2 ? [bound(parts[0]!), bound(parts[1]!)] : [undefined, undefined];
      if (from === undefined || to === undefined) {
        ctx.addIssue({ code: 'custom', message: DATETIME_MESSAGE });
        return z.NEVER;
      }
      if (from !== null && to !== null && Date.parse(from) > Date.parse(to)) {
        ctx.addIssue({ code: 'custom', message: 'the interval must not end before it starts' });
        return z.NEVER;
      }
      return { from, to };
    });

const itemsQuery = {
  f: geoJsonOnly.optional().describe('Encoding; json and geojson both mean GeoJSON'),
  bbox: bboxParam()
    .optional()
    .describe('minLon,minLat,maxLon,maxLat in CRS84 degrees: only features whose geometry intersects the box'),
  limit: intParam(1, MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .describe(`Features per page, 1–${MAX_LIMIT}; a value outside that range is refused (400), not clamped`),
  cursor: idParam().optional().describe('Continue after this feature id: the next link of a page carries it'),
};

/** Items of a collection without time: grids, cameras, patrol routes. */
export const ItemsQuery = z.object(itemsQuery);

/** Items of the incidents, which can also be filtered by the time they were reported. */
export const IncidentItemsQuery = z.object({
  ...itemsQuery,
  datetime: datetimeParam()
    .optional()
    .describe('Reported at this RFC 3339 instant, or within start/end, ../end or start/.. (bounds included)'),
});

export interface ItemsFilter {
  bbox?: z.output<typeof itemsQuery.bbox>;
  limit: number;
  cursor?: number;
  datetime?: TimeInterval;
}
