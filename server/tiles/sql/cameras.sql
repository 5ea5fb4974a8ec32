-- Cameras in the tile from zoom 12, with what the map needs to draw their icon and view
-- cone; $5 source, $6 status (NULL = any).
SELECT c.id, c.location AS geom,
       jsonb_build_object('code', c.code, 'source', c.source, 'status', c.status,
                          'heading', round(c.heading)::int, 'fov', round(c.fov)::int, 'range', round(c.range_m)::int) AS props
FROM tile, cameras AS c
WHERE tile.z >= 12
  AND c.location && tile.bbox
  AND c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND ($5::text IS NULL OR c.source = $5::text)
  AND ($6::text IS NULL OR c.status = $6::text)
ORDER BY c.id
