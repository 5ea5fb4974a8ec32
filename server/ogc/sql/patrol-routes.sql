-- Collection `patrol-routes`: planned routes of the jurisdiction's patrol teams (a route
-- belongs to the center of its team). Reads the CTE `params` (see items.sql / item.sql).
SELECT r.id, ST_AsGeoJSON(r.geom, 6)::json AS geometry,
       json_build_object(
         'id', r.id, 'name', r.name, 'shift', r.shift, 'team_id', t.id, 'team_name', t.name, 'center_id', t.center_id,
         'length_km', round((ST_Length(r.geom::geography) / 1000)::numeric, 2)
       ) AS properties
FROM params, patrol_routes AS r
JOIN patrol_teams AS t ON t.id = r.team_id
WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = params.scope)
  AND (params.id IS NULL OR r.id = params.id)
  AND (params.min_lon IS NULL OR ST_Intersects(r.geom, ST_MakeEnvelope(params.min_lon, params.min_lat, params.max_lon, params.max_lat, 4326)))
