-- Demo key areas (重点区域), active since 30 days before the load and open-ended: 200 m
-- around the first two schools and the first station of the district, owned by the village
-- center whose grid holds each, and a weekend market (300 m) in the first village of the
-- first town — the demo accounts' village (insert-demo-accounts.sql) — so every demo
-- jurisdiction has one. Loaded before the incidents, whose insert raises the alerts.
--   $1 timestamptz  the load's "now"
WITH pois AS (
  SELECT p.name || '周边' AS name, CASE p.poi_kind WHEN 'school' THEN 'school' ELSE 'station' END AS kind,
         ST_Buffer(p.location::geography, 200)::geometry AS geom, g.center_id
  FROM (
    SELECT name, poi_kind, location, row_number() OVER (PARTITION BY poi_kind ORDER BY name) AS n
    FROM places WHERE kind = 'poi' AND poi_kind IN ('school', 'station')
  ) AS p
  JOIN grids AS g ON g.kind = 'general' AND g.level = 3 AND ST_Intersects(g.geom, p.location)
  WHERE (p.poi_kind = 'school' AND p.n <= 2) OR (p.poi_kind = 'station' AND p.n = 1)
), market AS (
  SELECT c.name || '周末集市' AS name, 'event' AS kind,
         ST_Buffer(g.label_point::geography, 300)::geometry AS geom, c.id AS center_id
  FROM centers AS c
  JOIN LATERAL (
    SELECT label_point FROM grids WHERE center_id = c.id AND kind = 'general' AND level = 3 ORDER BY code LIMIT 1
  ) AS g ON true
  WHERE c.id = (
    SELECT id FROM centers
    WHERE parent_id = (SELECT id FROM centers WHERE level = 'town' ORDER BY code LIMIT 1)
    ORDER BY code LIMIT 1
  )
)
INSERT INTO geofences (name, kind, geom, starts_at, center_id)
SELECT name, kind, ST_Multi(geom), $1::timestamptz - interval '30 days', center_id
FROM (SELECT * FROM pois UNION ALL SELECT * FROM market) AS areas
ORDER BY kind, name
