-- A user's personal access tokens, newest first (revoked and expired ones too, for the record).
SELECT id, name, role, created_at, expires_at, last_used_at, revoked_at
FROM access_tokens
WHERE user_id = $1
ORDER BY id DESC
