-- Revokes one token of one user. $1 token id, $2 user. No row: not theirs, or already revoked.
UPDATE access_tokens SET revoked_at = now()
WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
RETURNING id
