-- OGC API item of the collection `patrol-routes`: one route of a jurisdiction's patrol
-- teams as a GeoJSON Feature with the same properties as its items page, and its links.
--   $1 scope  bigint  the caller's center (the team's center must lie in its subtree)
--   $2 id     bigint  $3 links  jsonb (self, collection)
-- No row: no such route, or one outside the jurisdiction (both answer 404 alike).
SELECT json_build_object(
  'type', 'Feature',
  'id', r.id,
  'geometry', ST_AsGeoJSON(r.geom, 6)::json,
  'properties', json_build_object(
    'id', r.id, 'name', r.name, 'shift', r.shift, 'team_id', t.id, 'team_name', t.name, 'center_id', t.center_id,
    'length_km', round((ST_Length(r.geom::geography) / 1000)::numeric, 2)
  ),
  'links', $3::jsonb
)::text AS body
FROM patrol_routes AS r
JOIN patrol_teams AS t ON t.id = r.team_id
WHERE r.id = $2 AND t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
