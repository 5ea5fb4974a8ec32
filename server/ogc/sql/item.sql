-- OGC API item: one feature of a collection in the jurisdiction as a GeoJSON Feature with
-- the same properties as its items page, and its links. repository.ts puts the collection's
-- selection (sql/<id>.sql) in place of the marker below.
--   $1 scope  bigint  the caller's center    $2 id  bigint    $3 links  jsonb (self, collection)
-- No row: no such feature, or one outside the jurisdiction (both answer 404 alike).
WITH params AS (
  SELECT $1::bigint AS scope, NULL::float8 AS min_lon, NULL::float8 AS min_lat, NULL::float8 AS max_lon, NULL::float8 AS max_lat,
         NULL::timestamptz AS from_at, NULL::timestamptz AS to_at, $2::bigint AS id
),
matched AS (
/*selection*/
)
SELECT json_build_object('type', 'Feature', 'id', id, 'geometry', geometry, 'properties', properties, 'links', $3::jsonb)::text AS body
FROM matched
