-- Where to write grid names: each grid's label point (the pole of inaccessibility stored
-- with the grid), from the zoom where its name fits (level 1 from 8, 2 from 11, 3 from 13).
SELECT g.id, g.label_point AS geom,
       jsonb_build_object('code', g.code, 'name', g.name, 'level', g.level) AS props
FROM tile, grids AS g
WHERE g.kind = 'general'
  AND g.label_point && tile.bbox
  AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND tile.z >= CASE g.level WHEN 1 THEN 8 WHEN 2 THEN 11 ELSE 13 END
  AND ($7::smallint IS NULL OR g.level = $7::smallint)
ORDER BY g.id
