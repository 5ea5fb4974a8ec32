-- One camera of a jurisdiction as a GeoJSON Feature with the grid it is in. $1 scope, $2 id.
SELECT json_build_object(
  'type', 'Feature',
  'id', c.id,
  'geometry', ST_AsGeoJSON(c.location, 7)::json,
  'properties', json_build_object(
    'id', c.id, 'code', c.code, 'name', c.name, 'source', c.source, 'status', c.status,
    'status_changed_at', c.status_changed_at, 'heading', c.heading, 'fov', c.fov, 'range_m', c.range_m,
    'stream_url', c.stream_url, 'address', c.address,
    'grid', (SELECT json_build_object('id', g.id, 'code', g.code, 'name', g.name) FROM grids AS g WHERE g.id = c.grid_id),
    'center', (SELECT json_build_object('id', x.id, 'code', x.code, 'name', x.name) FROM centers AS x WHERE x.id = c.center_id)
  )
)::text AS body
FROM cameras AS c
WHERE c.id = $2 AND c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
