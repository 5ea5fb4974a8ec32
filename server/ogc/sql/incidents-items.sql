-- OGC API items of the collection `incidents`: one page of the incidents of a
-- jurisdiction as a GeoJSON FeatureCollection, in id order (keyset paging), with the
-- reporters' name, phone and ID number masked exactly as /api/incidents masks them.
--   $1 scope        bigint       the caller's center: incidents attributed to centers in its subtree only
--   $2..$5          float8       bbox minLon, minLat, maxLon, maxLat (CRS84); NULL = anywhere
--   $6 cursor       bigint       the id of the last incident of the previous page; NULL = first page
--   $7 limit        integer      incidents per page
--   $8 links        jsonb        the page's links (self, collection, …)
--   $9 next         text         the next page's URL without its cursor value: the page's
--                                last id is appended, and the link added while more follow
--   $10 from        timestamptz  reported at or after (the `datetime` interval's start); NULL = open
--   $11 to          timestamptz  reported at or before (its end; an instant is from = to); NULL = open
-- numberMatched (every incident the filters select) is counted on the first page only:
-- later pages would count the same set again.
WITH matched AS NOT MATERIALIZED (
  SELECT i.id, i.number, i.category, i.severity, i.status, i.title, i.description, i.address, i.source, i.location,
         pingan_mask_name(i.reporter_name) AS reporter_name,
         pingan_mask_phone(i.reporter_phone) AS reporter_phone,
         pingan_mask_id_number(i.reporter_id_number) AS reporter_id_number,
         i.grid_id, i.center_id, i.boundary_flag, i.occurred_at, i.reported_at, i.due_at, i.closed_at, i.outcome
  FROM incidents AS i
  WHERE i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1) -- scope
    AND ($2::float8 IS NULL OR ST_Intersects(i.location, ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4326)))
    AND ($10::timestamptz IS NULL OR i.reported_at >= $10::timestamptz)
    AND ($11::timestamptz IS NULL OR i.reported_at <= $11::timestamptz)
),
page AS (
  -- One row more than the page holds: whether it exists says whether a next page does.
  SELECT * FROM matched
  WHERE $6::bigint IS NULL OR id > $6::bigint
  ORDER BY id
  LIMIT $7::integer + 1
),
body AS (
  SELECT coalesce(json_agg(json_build_object(
           'type', 'Feature',
           'id', id,
           'geometry', ST_AsGeoJSON(location, 7)::json,
           'properties', json_build_object(
             'id', id, 'number', number, 'category', category, 'severity', severity, 'status', status,
             'title', title, 'description', description, 'address', address, 'source', source,
             'reporter_name', reporter_name, 'reporter_phone', reporter_phone, 'reporter_id_number', reporter_id_number,
             'grid_id', grid_id, 'center_id', center_id, 'boundary_flag', boundary_flag,
             'occurred_at', occurred_at, 'reported_at', reported_at, 'due_at', due_at, 'closed_at', closed_at,
             'outcome', outcome
           )
         ) ORDER BY id), '[]'::json) AS features,
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
)
SELECT CASE WHEN $6::bigint IS NULL
  THEN json_build_object('type', 'FeatureCollection', 'numberMatched', (SELECT count(*) FROM matched),
                         'numberReturned', b.returned, 'timeStamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                         'links', l.links, 'features', b.features)
  ELSE json_build_object('type', 'FeatureCollection',
                         'numberReturned', b.returned, 'timeStamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                         'links', l.links, 'features', b.features)
END::text AS body
FROM body AS b
CROSS JOIN links AS l
