-- A reconnecting client's catch-up: the outbox rows in ($1, $2] of the jurisdiction of
-- center $3 (and rows for everyone, center_id NULL), oldest first, at most $4.
SELECT seq, kind, center_id, incident_id, ref_id
FROM live_events
WHERE seq > $1 AND seq <= $2
  AND (center_id IS NULL OR center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $3))
ORDER BY seq
LIMIT $4
