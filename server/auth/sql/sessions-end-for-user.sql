-- Ends every live session of a user except $2 (NULL = all). $1 user, $3 reason.
UPDATE sessions SET ended_at = now(), end_reason = $3
WHERE user_id = $1 AND ended_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)
