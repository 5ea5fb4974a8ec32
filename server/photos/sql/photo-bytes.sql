-- One photo of one incident of the jurisdiction, with its bytes.
--   $1 scope center, $2 incident id, $3 photo id
SELECT p.content_type, p.bytes, p.sha256
FROM incident_photos AS p
JOIN incidents AS i ON i.id = p.incident_id
WHERE p.id = $3
  AND p.incident_id = $2
  AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
