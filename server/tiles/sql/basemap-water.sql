-- Base map: lakes and reservoirs.
SELECT w.id, ST_Simplify(w.geom, tile.tolerance, true) AS geom, jsonb_strip_nulls(jsonb_build_object('name', w.name)) AS props
FROM tile, basemap_water AS w
WHERE w.geom && tile.bbox
ORDER BY w.id
