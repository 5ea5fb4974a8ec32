import type { Response } from 'express';

/** RFC 7946's media type; every JSON reader accepts it. */
export const GEOJSON_CONTENT_TYPE = 'application/geo+json; charset=utf-8';

/**
 * Sends GeoJSON that PostGIS already serialised, without parsing it in Node.
 * Express adds a weak ETag, so a `no-cache` client revalidates with a cheap 304;
 * `private` because what a caller receives depends on their jurisdiction.
 */
export function sendGeoJson(res: Response, body: string, cacheControl = 'private, no-cache'): void {
  res.set('Cache-Control', cacheControl).type(GEOJSON_CONTENT_TYPE).send(body);
}
