-- OGC API items: one page of a collection in the jurisdiction as a GeoJSON FeatureCollection,
-- in id order (keyset paging). repository.ts puts the collection's selection (sql/<id>.sql:
-- id, geometry json, properties json for the CTE `params`) in place of the marker below.
--   $1 scope        bigint       the caller's center: features of centers in its subtree only
--   $2..$5          float8       bbox minLon, minLat, maxLon, maxLat (CRS84); NULL = anywhere;
--                                a feature is in when its shape intersects the box
--   $6 cursor       bigint       the id of the last feature of the previous page; NULL = first page
--   $7 limit        integer      features per page
--   $8 links        jsonb        the page's links (self, collection, …)
--   $9 next         text         the next page's URL without its cursor value: the page's
--                                last id is appended, and the link added while more follow
--   $10 from, $11 to timestamptz `datetime` (incidents only; NULL = open)
-- numberMatched is counted on the first page only (later pages would count the same set
-- again), and only up to MATCHED_CAP: beyond it the count would cost a scan of a province's
-- incidents, and the standard lets a server leave it out.
WITH params AS (
  SELECT $1::bigint AS scope, $2::float8 AS min_lon, $3::float8 AS min_lat, $4::float8 AS max_lon, $5::float8 AS max_lat,
         $10::timestamptz AS from_at, $11::timestamptz AS to_at, NULL::bigint AS id
),
matched AS NOT MATERIALIZED (
/*selection*/
),
page AS (
  -- One row more than the page holds: whether it exists says whether a next page does.
  SELECT * FROM matched
  WHERE $6::bigint IS NULL OR id > $6::bigint
  ORDER BY id
  LIMIT $7::integer + 1
),
body AS (
  SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', id, 'geometry', geometry, 'properties', properties) ORDER BY id), '[]'::json) AS features,
         count(*) AS returned,
         max(id) AS last_id
  FROM (SELECT * FROM page ORDER BY id LIMIT $7::integer) AS shown
),
links AS (
  SELECT $8::jsonb || CASE
           WHEN (SELECT count(*) FROM page) > $7::integer
           THEN jsonb_build_array(jsonb_build_object('rel', 'next', 'type', 'application/geo+json', 'title', 'Next page',
                                                     'href', $9::text || (SELECT last_id FROM body)))
           ELSE '[]'::jsonb
         END AS links
),
counted AS (
  SELECT count(*) AS n FROM (SELECT 1 FROM matched WHERE $6::bigint IS NULL LIMIT /*MATCHED_CAP*/ + 1) AS m
)
SELECT CASE WHEN $6::bigint IS NULL AND c.n <= /*MATCHED_CAP*/
  THEN json_build_object('type', 'FeatureCollection', 'numberMatched', c.n,
                         'numberReturned', b.returned, 'timeStamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                         'links', l.links, 'features', b.features)
  ELSE json_build_object('type', 'FeatureCollection',
                         'numberReturned', b.returned, 'timeStamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                         'links', l.links, 'features', b.features)
END::text AS body
FROM body AS b
CROSS JOIN links AS l
CROSS JOIN counted AS c
