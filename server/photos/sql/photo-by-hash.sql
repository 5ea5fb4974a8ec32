-- The photo of an incident with these bytes (by their SHA-256), if stored already.
--   $1 incident id, $2 sha256
SELECT p.id, p.content_type, length(p.bytes) AS size, p.sha256, p.at
FROM incident_photos AS p
WHERE p.incident_id = $1 AND p.sha256 = $2
