-- Ends a key area of the jurisdiction now. One that has not started yet has seen nothing
-- (alerts need an incident reported inside its window) and is removed instead: an end
-- before its start would break geofences_window. One that already ended is left alone.
-- $1 scope center, $2 key area. No row: no such active or future key area.
WITH target AS (
  SELECT f.id, f.starts_at
  FROM geofences AS f
  WHERE f.id = $2
    AND f.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
    AND (f.ends_at IS NULL OR f.ends_at > now())
  FOR UPDATE
), ended AS (
  UPDATE geofences AS f SET ends_at = now()
  FROM target WHERE f.id = target.id AND target.starts_at < now()
  RETURNING f.id, 'ended' AS outcome
), removed AS (
  DELETE FROM geofences AS f
  USING target WHERE f.id = target.id AND target.starts_at >= now()
  RETURNING f.id, 'removed' AS outcome
)
SELECT id, outcome FROM ended
UNION ALL
SELECT id, outcome FROM removed
