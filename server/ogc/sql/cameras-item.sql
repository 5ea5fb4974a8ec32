-- OGC API item of the collection `cameras`: one camera of a jurisdiction as a GeoJSON
-- Feature with the same properties as its items page, and its links.
--   $1 scope  bigint  the caller's center    $2 id  bigint    $3 links  jsonb (self, collection)
-- No row: no such camera, or one outside the jurisdiction (both answer 404 alike).
SELECT json_build_object(
  'type', 'Feature',
  'id', id,
  'geometry', ST_AsGeoJSON(location, 7)::json,
  'properties', json_build_object(
    'id', id, 'code', code, 'name', name, 'source', source, 'status', status,
    'heading', heading, 'fov', fov, 'range_m', range_m, 'grid_id', grid_id, 'center_id', center_id
  ),
  'links', $3::jsonb
)::text AS body
FROM cameras
WHERE id = $2 AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
