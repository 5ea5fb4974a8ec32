-- General and specialist grids as one GeoJSON FeatureCollection.
--   $1 level       smallint  1, 2 or 3; NULL = every level
--   $2 kind        text      'general' | 'specialist'; NULL = both
--   $3 department  text      a specialist department; NULL = any
-- Every filter (and, later, the reader's jurisdiction) narrows the one CTE below.
WITH selected AS (
  SELECT id, code, name, level, kind, department, parent_id, center_id, population, households, geom
  FROM grids
  WHERE ($1::smallint IS NULL OR level = $1::smallint)
    AND ($2::text IS NULL OR kind = $2::text)
    AND ($3::text IS NULL OR department = $3::text)
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
