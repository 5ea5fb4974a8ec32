-- The caller behind a session cookie. $1 token hash, $2 idle timeout in seconds.
-- An expired session (idle too long or past its lifetime) is ended here and reported
-- as such; a live one has its last activity moved forward (at most every 15 s, to
-- spare the database a write per tile).
WITH found AS (
  SELECT s.id, s.user_id, s.csrf_token, s.expires_at, s.last_seen_at,
         (s.expires_at <= now() OR s.last_seen_at <= now() - make_interval(secs => $2)) AS expired
  FROM sessions AS s
  WHERE s.token_hash = $1 AND s.ended_at IS NULL
),
touched AS (
  UPDATE sessions SET last_seen_at = now()
  WHERE id = (SELECT id FROM found WHERE NOT expired AND last_seen_at < now() - interval '15 seconds')
),
ended AS (
  UPDATE sessions SET ended_at = now(), end_reason = 'expired'
  WHERE id = (SELECT id FROM found WHERE expired)
)
SELECT f.id AS session_id, f.csrf_token, f.expires_at, f.expired,
       u.id AS user_id, u.username, u.display_name, u.role, u.must_change_password, u.disabled,
       c.id AS center_id, c.code AS center_code, c.name AS center_name, c.level AS center_level
FROM found AS f
JOIN users AS u ON u.id = f.user_id
JOIN centers AS c ON c.id = u.center_id
