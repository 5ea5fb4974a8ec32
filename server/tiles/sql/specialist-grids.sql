-- Specialist grids (专业网格) of the departments meeting the tile; $7 one department (NULL = all).
SELECT g.id, ST_Simplify(g.geom, tile.tolerance, true) AS geom,
       jsonb_build_object('code', g.code, 'name', g.name, 'department', g.department) AS props
FROM tile, grids AS g
WHERE g.kind = 'specialist'
  AND g.geom && tile.bbox
  AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND ($7::text IS NULL OR g.department = $7::text)
ORDER BY g.id
