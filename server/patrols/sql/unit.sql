-- One patrol unit of a jurisdiction's teams with its team, its planned route (geometry as
-- GeoJSON) and its latest reported position (one index probe; NULL if it never reported).
-- $1 scope center, $2 unit id. No row: not found.
SELECT u.id, u.callsign, u.kind, u.members,
       json_build_object('id', t.id, 'code', t.code, 'name', t.name, 'centerId', t.center_id,
                         'centerName', (SELECT name FROM centers WHERE id = t.center_id)) AS team,
       (SELECT json_build_object('id', r.id, 'name', r.name, 'shift', r.shift,
                                 'lengthKm', round((ST_Length(r.geom::geography) / 1000)::numeric, 2),
                                 'geometry', ST_AsGeoJSON(r.geom, 6)::json)
        FROM patrol_routes AS r WHERE r.id = u.route_id) AS route,
       p.lon, p.lat, p.reported_at, p.speed_kmh, p.heading
FROM patrol_units AS u
JOIN patrol_teams AS t ON t.id = u.team_id
LEFT JOIN LATERAL (
  SELECT ST_X(location) AS lon, ST_Y(location) AS lat, reported_at, speed_kmh, heading
  FROM patrol_positions
  WHERE unit_id = u.id
  ORDER BY reported_at DESC
  LIMIT 1
) AS p ON true
WHERE u.id = $2 AND t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
