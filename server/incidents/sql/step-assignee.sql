-- Whom a dispatch names, if they are within the caller's jurisdiction: a patrol unit (by
-- its team's center) or an active staff member. $1 kind, $2 id, $3 scope center.
SELECT u.callsign || ' ' || t.name AS name
FROM patrol_units AS u JOIN patrol_teams AS t ON t.id = u.team_id
WHERE $1 = 'patrol_unit' AND u.id = $2
  AND t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $3)
UNION ALL
SELECT s.name
FROM staff AS s
WHERE $1 = 'staff' AND s.id = $2 AND s.active
  AND s.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $3)
