-- The outbox rows after $1, oldest first, at most $2: what one server process reads once
-- and fans out to its clients.
SELECT seq, kind, center_id, incident_id, ref_id
FROM live_events
WHERE seq > $1
ORDER BY seq
LIMIT $2
