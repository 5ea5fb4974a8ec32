-- The photos of one incident of the jurisdiction, oldest first, without their bytes.
-- No row: the incident is not in the jurisdiction (or does not exist); one row with a
-- NULL id: it has no photos.
--   $1 scope center, $2 incident id
SELECT p.id, p.content_type, length(p.bytes) AS size, p.sha256, p.at
FROM incidents AS i
LEFT JOIN incident_photos AS p ON p.incident_id = i.id
WHERE i.id = $2
  AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
ORDER BY p.id
