-- Base map: built-up areas (urban, town, village).
SELECT l.id, ST_Simplify(l.geom, tile.tolerance, true) AS geom, jsonb_strip_nulls(jsonb_build_object('kind', l.kind, 'name', l.name)) AS props
FROM tile, basemap_landuse AS l
WHERE l.geom && tile.bbox
ORDER BY l.id
