-- Cameras in the tile from zoom 12, with what the map needs to draw their icon and view
-- cone; $7 source, $8 status (NULL = any).
SELECT c.id, c.location AS geom,
       jsonb_build_object('code', c.code, 'source', c.source, 'status', c.status,
                          'heading', round(c.heading)::int, 'fov', round(c.fov)::int, 'range', round(c.range_m)::int) AS props
FROM tile, cameras AS c
WHERE tile.z >= 12
  AND c.location && tile.bbox
  AND c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND ($7::text IS NULL OR c.source = $7::text)
  AND ($8::text IS NULL OR c.status = $8::text)
ORDER BY c.id
