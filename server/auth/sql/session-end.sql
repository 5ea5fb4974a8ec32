-- Ends one live session of one user. $1 session id, $2 user, $3 reason.
UPDATE sessions SET ended_at = now(), end_reason = $3
WHERE id = $1 AND user_id = $2 AND ended_at IS NULL
RETURNING id
