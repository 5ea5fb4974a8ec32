-- Base map: rivers (all zooms) and streams (from zoom 11).
SELECT w.id, ST_Simplify(w.geom, tile.tolerance) AS geom, jsonb_strip_nulls(jsonb_build_object('class', w.class, 'name', w.name)) AS props
FROM tile, basemap_waterways AS w
WHERE w.geom && tile.bbox
  AND (w.class = 'river' OR tile.z >= 11)
ORDER BY w.id
