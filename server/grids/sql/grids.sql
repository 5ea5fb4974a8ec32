-- General and specialist grids of a jurisdiction as one GeoJSON FeatureCollection.
--   $1 scope       bigint    the caller's center: grids of centers in its subtree only
--   $2 level       smallint  1, 2 or 3; NULL = every level
--   $3 kind        text      'general' | 'specialist'; NULL = both
--   $4 department  text      a specialist department; NULL = any
--   $5 parent      bigint    children of this grid; NULL = any
--   $6..$9         float8    bbox minLon, minLat, maxLon, maxLat; NULL = anywhere
--   $10 text       text      part of the code or name (plain substring); NULL = any
-- The jurisdiction and every filter narrow the one CTE below.
WITH selected AS (
  SELECT id, code, name, level, kind, department, parent_id, center_id, population, households, geom
  FROM grids
  WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
    AND ($2::smallint IS NULL OR level = $2::smallint)
    AND ($3::text IS NULL OR kind = $3::text)
    AND ($4::text IS NULL OR department = $4::text)
    AND ($5::bigint IS NULL OR parent_id = $5::bigint)
    AND ($6::float8 IS NULL OR geom && ST_MakeEnvelope($6::float8, $7::float8, $8::float8, $9::float8, 4326))
    AND ($10::text IS NULL OR strpos(lower(code), lower($10::text)) > 0 OR strpos(name, $10::text) > 0)
)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
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
  ) ORDER BY kind, level, code), '[]'::json)
)::text AS body
FROM selected
