-- General grids meeting the tile. Each level appears from the zoom where it is more than
-- a speck (1 from 0, 2 from 8, 3 from 10); $7 asks for one level only (NULL = all drawn).
SELECT g.id, ST_Simplify(g.geom, tile.tolerance, true) AS geom,
       jsonb_build_object('code', g.code, 'name', g.name, 'level', g.level) AS props
FROM tile, grids AS g
WHERE g.kind = 'general'
  AND g.geom && tile.bbox
  AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND tile.z >= CASE g.level WHEN 1 THEN 0 WHEN 2 THEN 8 ELSE 10 END
  AND ($7::smallint IS NULL OR g.level = $7::smallint)
ORDER BY g.id
