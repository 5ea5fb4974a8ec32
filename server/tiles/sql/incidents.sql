-- Incidents in the tile from zoom 13, reported in [$7, $8) ($8 NULL = no end), of category
-- $9 (NULL = any): what the map colours and filters by, never personal data. `due` (not an
-- overdue flag) so a cached tile stays true as time passes: the map compares it with now.
SELECT i.id, i.location AS geom,
       jsonb_strip_nulls(jsonb_build_object('number', i.number, 'category', i.category, 'severity', i.severity, 'status', i.status,
                          'reported', extract(epoch FROM i.reported_at)::bigint,
                          'due', extract(epoch FROM i.due_at)::bigint)) AS props
FROM tile, incidents AS i
WHERE tile.z >= 13
  AND i.location && tile.bbox
  AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND i.reported_at >= $7::timestamptz AND i.reported_at < coalesce($8::timestamptz, 'infinity')
  AND ($9::text IS NULL OR i.category = $9::text)
ORDER BY i.id
