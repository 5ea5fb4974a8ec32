-- A user's live sessions, most recently active first. $1 user, $2 idle timeout in seconds.
SELECT id, created_at, last_seen_at, expires_at, ip, user_agent
FROM sessions
WHERE user_id = $1 AND ended_at IS NULL
  AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2)
ORDER BY last_seen_at DESC
