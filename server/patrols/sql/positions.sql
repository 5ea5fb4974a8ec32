-- The latest reported position of each patrol unit of a jurisdiction's teams, as a
-- GeoJSON FeatureCollection (one index probe per unit). Units that never reported are
-- left out. $1 scope center, $2 team (NULL = all).
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', u.id,
    'geometry', ST_AsGeoJSON(p.location, 7)::json,
    'properties', json_build_object('unit_id', u.id, 'callsign', u.callsign, 'kind', u.kind, 'members', u.members,
                                    'team_id', t.id, 'route_id', u.route_id, 'center_id', t.center_id,
                                    'reported_at', p.reported_at, 'speed_kmh', p.speed_kmh, 'heading', p.heading)
  ) ORDER BY u.id), '[]'::json)
)::text AS body
FROM patrol_units AS u
JOIN patrol_teams AS t ON t.id = u.team_id
CROSS JOIN LATERAL (
  SELECT location, reported_at, speed_kmh, heading
  FROM patrol_positions
  WHERE unit_id = u.id
  ORDER BY reported_at DESC
  LIMIT 1
) AS p
WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  AND ($2::bigint IS NULL OR t.id = $2::bigint)
