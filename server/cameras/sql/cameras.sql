-- Cameras of a jurisdiction as a GeoJSON FeatureCollection, by id, one page at a time
-- (`next` is the id to continue after, or null on the last page).
--   $1 scope center    $2..$5 bbox (minLon, minLat, maxLon, maxLat; NULL = anywhere)
--   $6 source          $7 status          $8 grid (level-3 grid it is in)
--   $9 after id        $10 limit
WITH selected AS (
  SELECT c.id, c.code, c.name, c.source, c.status, c.heading, c.fov, c.range_m, c.grid_id, c.center_id, c.location
  FROM cameras AS c
  WHERE c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
    AND ($2::float8 IS NULL OR c.location && ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4326))
    AND ($6::text IS NULL OR c.source = $6::text)
    AND ($7::text IS NULL OR c.status = $7::text)
    AND ($8::bigint IS NULL OR c.grid_id = $8::bigint)
    AND ($9::bigint IS NULL OR c.id > $9::bigint)
  ORDER BY c.id
  LIMIT $10
)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', id,
    'geometry', ST_AsGeoJSON(location, 7)::json,
    'properties', json_build_object(
      'id', id, 'code', code, 'name', name, 'source', source, 'status', status,
      'heading', heading, 'fov', fov, 'range_m', range_m, 'grid_id', grid_id, 'center_id', center_id
    )
  ) ORDER BY id), '[]'::json),
  'next', CASE WHEN count(*) = $10 THEN max(id) END
)::text AS body
FROM selected
