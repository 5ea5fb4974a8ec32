-- Below zoom 13 incidents are counted per 1/32 of the tile (the heat-map cells of zoom
-- z + 5, pre-aggregated per day) and drawn at the cell's centre; the tile's own cells (tile.cx0 … cy1).
SELECT (h.cy::bigint << (tile.z + 5)) + h.cx AS id,
       ST_SetSRID(ST_MakePoint(pingan_cell_lon(h.cx + 0.5, tile.z + 5), pingan_cell_lat(h.cy + 0.5, tile.z + 5)), 4326) AS geom,
       jsonb_build_object('count', h.n) AS props
FROM tile
CROSS JOIN LATERAL pingan_incident_heat(tile.scope, tile.z + 5, tile.cx0, tile.cy0, tile.cx1, tile.cy1,
                                        $7::timestamptz, coalesce($8::timestamptz, 'infinity'), $9::text) AS h
WHERE tile.z < 13
ORDER BY 1
