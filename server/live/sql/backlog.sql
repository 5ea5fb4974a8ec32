-- How many outbox rows lie in ($1, $2], counted up to $3 only: enough to tell whether a
-- reconnecting client is too far behind to catch up row by row.
SELECT count(*)::int AS n
FROM (SELECT 1 FROM live_events WHERE seq > $1 AND seq <= $2 LIMIT $3) AS r
