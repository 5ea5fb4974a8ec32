-- Which of the live stream's credentials still hold: sessions ($1 uuid[]) not ended, not
-- past their lifetime and not idle longer than $3 seconds; access tokens ($2 bigint[]) not
-- revoked or expired; in both cases of a user who is not disabled. Read only: an open
-- stream is not activity, so it neither keeps a session alive nor records a token's use.
SELECT 'session' AS kind, s.id::text AS id
FROM sessions AS s JOIN users AS u ON u.id = s.user_id
WHERE s.id = ANY ($1::uuid[]) AND s.ended_at IS NULL AND s.expires_at > now()
  AND s.last_seen_at > now() - make_interval(secs => $3) AND NOT u.disabled
UNION ALL
SELECT 'token', t.id::text
FROM access_tokens AS t JOIN users AS u ON u.id = t.user_id
WHERE t.id = ANY ($2::bigint[]) AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT u.disabled
