-- Patrol teams of a jurisdiction with their numbers of units and routes. $1 scope center.
SELECT t.id, t.code, t.name, t.center_id, t.members, t.leader, t.phone,
       (SELECT count(*) FROM patrol_units AS u WHERE u.team_id = t.id) AS units,
       (SELECT count(*) FROM patrol_routes AS r WHERE r.team_id = t.id) AS routes
FROM patrol_teams AS t
WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
ORDER BY t.code
