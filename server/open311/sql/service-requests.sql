-- Incidents of a jurisdiction as GeoReport v2 service requests, newest report first, with
-- the center that handles each and the note of its latest workflow step (mobile and ID
-- numbers in it masked, as incident-detail.sql does).
--   $1 scope center   incidents attributed to centers in its subtree only
--   $2 numbers        text[] of incident numbers (NULL = any; the other filters are then NULL)
--   $3 categories     text[] (NULL = any)
--   $4 from, $5 to    reported in [from, to) (NULL = unbounded)
--   $6 open           true: not closed; false: closed; NULL: both
--   $7 limit
SELECT i.number, i.category, i.status, i.outcome, i.title, i.description, i.address,
       ST_X(i.location) AS lon, ST_Y(i.location) AS lat,
       i.reported_at, i.updated_at, i.due_at,
       c.name AS center_name,
       (SELECT g.name FROM grids AS g WHERE g.id = i.grid_id) AS grid_name,
       (SELECT regexp_replace(
                 regexp_replace(e.note, '([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])', '\1********\2', 'g'),
                 '(1[3-9][0-9])[0-9]{4}([0-9]{4})', '\1****\2', 'g')
        FROM incident_events AS e
        WHERE e.incident_id = i.id
        ORDER BY e.at DESC, e.id DESC
        LIMIT 1) AS last_note
FROM incidents AS i
JOIN centers AS c ON c.id = i.center_id
WHERE i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  AND ($2::text[] IS NULL OR i.number = ANY ($2::text[]))
  AND ($3::text[] IS NULL OR i.category = ANY ($3::text[]))
  AND ($4::timestamptz IS NULL OR i.reported_at >= $4::timestamptz)
  AND ($5::timestamptz IS NULL OR i.reported_at < $5::timestamptz)
  AND ($6::boolean IS NULL OR (i.status <> 'closed') = $6::boolean)
ORDER BY i.reported_at DESC, i.id DESC
LIMIT $7
