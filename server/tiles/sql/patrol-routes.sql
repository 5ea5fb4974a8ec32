-- Planned patrol routes of the jurisdiction's teams meeting the tile.
SELECT r.id, ST_Simplify(r.geom, tile.tolerance) AS geom,
       jsonb_build_object('team_id', t.id, 'team', t.name, 'name', r.name, 'shift', r.shift) AS props
FROM tile, patrol_routes AS r
JOIN patrol_teams AS t ON t.id = r.team_id
WHERE r.geom && tile.bbox
  AND t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
ORDER BY r.id
