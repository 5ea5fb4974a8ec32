-- The ends of the outbox: the newest row (0 when there has never been one) and the oldest
-- kept (NULL when empty). Both are one probe of the primary key. Writers take
-- pingan_live_lock() before their first row, so rows become visible in seq order: a
-- reader that sees `newest` has seen every row below it.
SELECT coalesce(max(seq), 0) AS newest, min(seq) AS oldest FROM live_events
