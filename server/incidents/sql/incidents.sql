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
--   $11 category, $12 severity, $13 status
--   $14 grid          in this grid or below it (a level-3 incident grid whose chain contains it)
--   $15 center        attributed to this center or below it
SELECT i.id, i.number, i.category, i.severity, i.status, i.title, i.description, i.address, i.source,
       ST_X(i.location) AS lon, ST_Y(i.location) AS lat,
       pingan_mask_name(i.reporter_name) AS reporter_name,
       pingan_mask_phone(i.reporter_phone) AS reporter_phone,
       pingan_mask_id_number(i.reporter_id_number) AS reporter_id_number,
       i.grid_id, i.center_id, i.boundary_flag, i.occurred_at, i.reported_at, i.due_at, i.closed_at, i.outcome
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
  AND ($13::text IS NULL OR i.status = $13::text)
  AND ($14::bigint IS NULL OR i.grid_id IN (
        SELECT g3.id FROM grids AS g3
        LEFT JOIN grids AS g2 ON g2.id = g3.parent_id
        WHERE $14::bigint IN (g3.id, g2.id, g2.parent_id)))
  AND ($15::bigint IS NULL OR i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $15::bigint))
ORDER BY i./*column*/ /*direction*/, i.id /*direction*/
LIMIT $3
