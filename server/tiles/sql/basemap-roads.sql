-- Base map: roads; expressways and primary roads at every zoom, secondary from 10, the rest from 12.
SELECT r.id, ST_Simplify(r.geom, tile.tolerance) AS geom, jsonb_strip_nulls(jsonb_build_object('class', r.class, 'name', r.name)) AS props
FROM tile, basemap_roads AS r
WHERE r.geom && tile.bbox
  AND tile.z >= CASE r.class WHEN 'expressway' THEN 0 WHEN 'primary' THEN 0 WHEN 'secondary' THEN 10 ELSE 12 END
ORDER BY r.id
