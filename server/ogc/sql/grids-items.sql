-- OGC API items of the collection `grids`: one page of the general and specialist grids
-- of a jurisdiction as a GeoJSON FeatureCollection, in id order (keyset paging).
--   $1 scope        bigint  the caller's center: grids of centers in its subtree only
--   $2..$5          float8  bbox minLon, minLat, maxLon, maxLat (CRS84); NULL = anywhere;
--                           a grid is in when its shape intersects the box
--   $6 cursor       bigint  the id of the last grid of the previous page; NULL = first page
--   $7 limit        integer grids per page
--   $8 links        jsonb   the page's links (self, collection, …)
--   $9 next         text    the next page's URL without its cursor value: the page's
--                           last id is appended, and the link added while more follow
-- numberMatched (every grid the filters select) is counted on the first page only: later
-- pages would count the same set again.
WITH matched AS NOT MATERIALIZED (
  SELECT id, code, name, level, kind, department, parent_id, center_id, population, households, geom
  FROM grids
  WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
    AND ($2::float8 IS NULL OR ST_Intersects(geom, ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4326)))
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
           'geometry', ST_AsGeoJSON(geom, 6)::json,
           'properties', json_build_object(
             'id', id,
             'code', code,
             'name', name,
             'level', level,
             'kind', kind,
             'department', department,
             'parent_id', parent_id,
             'center_id', center_id,
             'population', population,
             'households', households
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
