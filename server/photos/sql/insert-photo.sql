-- Stores a photo; nothing when the same bytes are stored for the incident already.
--   $1 incident id, $2 content type, $3 bytes, $4 sha256, $5 uploading user
INSERT INTO incident_photos (incident_id, content_type, bytes, sha256, uploaded_by)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (incident_id, sha256) DO NOTHING
RETURNING id, content_type, length(bytes) AS size, sha256, at
