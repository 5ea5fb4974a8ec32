-- A level-3 general grid an incident is reassigned to, if within the caller's jurisdiction:
-- its center and the attribution of its grid chain and leaders (from a point inside it).
--   $1 grid, $2 scope center
SELECT g.id, g.name, g.center_id, a.attribution
FROM grids AS g
CROSS JOIN LATERAL pingan_attribute(ST_PointOnSurface(g.geom), false, 0) AS a
WHERE g.id = $1 AND g.kind = 'general' AND g.level = 3
  AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)
