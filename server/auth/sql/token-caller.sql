-- The caller behind a personal access token. $1 token hash. Revoked and expired tokens,
-- and tokens of disabled users, find nobody. Last use is recorded at most once a minute.
WITH found AS (
  SELECT t.id, t.user_id, t.role, t.last_used_at
  FROM access_tokens AS t
  WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()
),
touched AS (
  UPDATE access_tokens SET last_used_at = now()
  WHERE id = (SELECT id FROM found WHERE last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')
)
SELECT f.id AS token_id, f.role AS token_role,
       u.id AS user_id, u.username, u.display_name, u.role, u.must_change_password,
       c.id AS center_id, c.code AS center_code, c.name AS center_name, c.level AS center_level
FROM found AS f
JOIN users AS u ON u.id = f.user_id AND NOT u.disabled
JOIN centers AS c ON c.id = u.center_id
