-- Who works the incident's grid: the active staff of its level-3 grid (leader first), then
-- the leaders of the grids above it, level by level. Phones masked (138****5678).
-- $1 scope center, $2 incident id.
WITH RECURSIVE chain AS (
  SELECT g.id, g.name, g.parent_id, 0 AS up
  FROM incidents AS i JOIN grids AS g ON g.id = i.grid_id
  WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  UNION ALL
  SELECT p.id, p.name, p.parent_id, chain.up + 1
  FROM chain JOIN grids AS p ON p.id = chain.parent_id
)
SELECT s.id AS staff_id, s.name, s.role, gs.duty, chain.id AS grid_id, chain.name AS grid_name,
       pingan_mask_phone(s.phone) AS phone
FROM chain
JOIN grid_staff AS gs ON gs.grid_id = chain.id AND (chain.up = 0 OR gs.duty = 'leader')
JOIN staff AS s ON s.id = gs.staff_id AND s.active
ORDER BY chain.up, gs.duty = 'leader' DESC, s.name, s.id
