-- $1 token hash, $2 user, $3 CSRF token, $4 lifetime in hours, $5 address, $6 user agent.
INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, ip, user_agent)
VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5, $6)
RETURNING id, expires_at
