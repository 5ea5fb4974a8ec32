-- Patrol routes of a jurisdiction's teams as a GeoJSON FeatureCollection.
--   $1 scope center    $2 team (NULL = all)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', r.id,
    'geometry', ST_AsGeoJSON(r.geom, 6)::json,
    'properties', json_build_object('id', r.id, 'name', r.name, 'shift', r.shift, 'team_id', t.id,
                                    'team_name', t.name, 'center_id', t.center_id,
                                    'length_km', round((ST_Length(r.geom::geography) / 1000)::numeric, 2))
  ) ORDER BY r.id), '[]'::json)
)::text AS body
FROM patrol_routes AS r
JOIN patrol_teams AS t ON t.id = r.team_id
WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  AND ($2::bigint IS NULL OR t.id = $2::bigint)
