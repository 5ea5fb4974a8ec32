-- Incidents of a jurisdiction, reporters' personal data masked, in one of the orders of
-- INCIDENT_SORTS: repository.ts fills /*column*/, /*direction*/ and /*after*/ (< or >) once
-- at start-up from that allow-list, never from input text.
--   $1 scope center   incidents attributed to centers in its subtree only
--   $2 after       keyset cursor: the id of the last row of the previous page (NULL = from the first);
--                  its position is looked up in the same jurisdiction, so a foreign id yields nothing
--   $3 limit
--   $4 one incident id (NULL = all)
--   $5..$8 bbox (minLon, minLat, maxLon, maxLat; NULL = anywhere)
--   $9 from, $10 to   reported in [from, to)
--   $11 category, $12 severity, $13 statuses (any of them)
--   $14 grid          in this grid or below it (a level-3 incident grid whose chain contains it)
--   $15 center        attributed to this center or below it
--   $16 open          true: not closed; false: closed
--   $17 overdue       true: flagged past its deadline and still open
--   $18 user          open and assigned to this user's staff record (a grid worker's own tasks)
SELECT /*summary-columns*/
FROM incidents AS i
WHERE i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1) -- scope
  AND ($2::bigint IS NULL OR (i./*column*/, i.id) /*after*/ (
        SELECT a./*column*/, a.id FROM incidents AS a
        WHERE a.id = $2::bigint AND a.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)))
  AND ($4::bigint IS NULL OR i.id = $4::bigint)
  AND ($5::float8 IS NULL OR i.location && ST_MakeEnvelope($5::float8, $6::float8, $7::float8, $8::float8, 4326))
  AND ($9::timestamptz IS NULL OR i.reported_at >= $9::timestamptz)
  AND ($10::timestamptz IS NULL OR i.reported_at < $10::timestamptz)
  AND ($11::text IS NULL OR i.category = $11::text)
  AND ($12::text IS NULL OR i.severity = $12::text)
  AND ($13::text[] IS NULL OR i.status = ANY($13::text[]))
  AND ($14::bigint IS NULL OR i.grid_id IN (
        SELECT g3.id FROM grids AS g3
        LEFT JOIN grids AS g2 ON g2.id = g3.parent_id
        WHERE $14::bigint IN (g3.id, g2.id, g2.parent_id)))
  AND ($15::bigint IS NULL OR i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $15::bigint))
  AND ($16::boolean IS NULL OR (i.status <> 'closed') = $16::boolean)
  AND ($17::boolean IS NULL OR (i.overdue_at IS NOT NULL AND i.status <> 'closed') = $17::boolean)
  AND ($18::bigint IS NULL OR (i.assignee_kind = 'staff' AND i.status <> 'closed'
        AND i.assignee_id = (SELECT u.staff_id FROM users AS u WHERE u.id = $18::bigint)))
ORDER BY i./*column*/ /*direction*/, i.id /*direction*/
LIMIT $3
