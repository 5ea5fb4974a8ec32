-- Alerts raised by the jurisdiction's key areas, newest first, each with its incident's
-- number and title. Both the key area and the incident must be in the jurisdiction: an
-- area drawn across a boundary does not show the neighbour's incidents.
-- $1 scope center, $2 from (NULL = any), $3 to (NULL = any), $4 limit.
SELECT a.id, a.geofence_id, f.name, f.kind, a.incident_id, i.number AS incident_number, i.title AS incident_title, a.at
FROM geofence_alerts AS a
JOIN geofences AS f ON f.id = a.geofence_id
JOIN incidents AS i ON i.id = a.incident_id
WHERE f.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  AND ($2::timestamptz IS NULL OR a.at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR a.at < $3::timestamptz)
ORDER BY a.at DESC, a.id DESC
LIMIT $4
