-- Drops the outbox rows older than $1 seconds. What goes is always a prefix of seq (every
-- row up to the newest old one), so "oldest kept" tells a reconnecting client whether it
-- missed deleted rows; the newest row always stays, so the current seq survives a quiet
-- day. Any number of server processes may run this at once: the losers find nothing.
DELETE FROM live_events
WHERE seq <= (SELECT max(seq) FROM live_events WHERE at < now() - make_interval(secs => $1))
  AND seq < (SELECT max(seq) FROM live_events)
