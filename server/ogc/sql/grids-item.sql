-- OGC API item of the collection `grids`: one grid of a jurisdiction as a GeoJSON
-- Feature with the same properties as its items page, and its links.
--   $1 scope  bigint  the caller's center    $2 id  bigint    $3 links  jsonb (self, collection)
-- No row: no such grid, or one outside the jurisdiction (both answer 404 alike).
SELECT json_build_object(
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
  ),
  'links', $3::jsonb
)::text AS body
FROM grids
WHERE id = $2 AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
