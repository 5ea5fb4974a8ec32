-- $1 user, $2 name, $3 token hash, $4 narrower role or NULL, $5 days to expiry.
INSERT INTO access_tokens (user_id, name, token_hash, role, expires_at)
VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
RETURNING id, name, role, created_at, expires_at, last_used_at, revoked_at
