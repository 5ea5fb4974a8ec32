-- Below zoom 12 cameras are counted per 1/32 of the tile (16 px of a 512-px tile) and drawn
-- at the mean position of each group. Only the cells of the tile itself (tile.cx0 … cy1),
-- not of its buffer, so no group is drawn twice at a tile edge (for a shifted datum, see
-- tile.sql). The id is the cell's number at zoom z + 5.
SELECT (pingan_cell_y(ST_Y(c.location), tile.z + 5)::bigint << (tile.z + 5)) + pingan_cell_x(ST_X(c.location), tile.z + 5) AS id,
       ST_SetSRID(ST_MakePoint(avg(ST_X(c.location)), avg(ST_Y(c.location))), 4326) AS geom,
       jsonb_build_object('count', count(*), 'online', count(*) FILTER (WHERE c.status = 'online')) AS props
FROM tile, cameras AS c
WHERE tile.z < 12
  AND c.location && tile.cells
  AND pingan_cell_x(ST_X(c.location), tile.z + 5) BETWEEN tile.cx0 AND tile.cx1
  AND pingan_cell_y(ST_Y(c.location), tile.z + 5) BETWEEN tile.cy0 AND tile.cy1
  AND c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND ($7::text IS NULL OR c.source = $7::text)
  AND ($8::text IS NULL OR c.status = $8::text)
GROUP BY 1
ORDER BY 1
