-- Where the map opens for a caller: their center's name, level and location, and the
-- extent of the general grids of their jurisdiction (which cover it). No row while
-- the jurisdiction has no grids (an empty database). $1 scope center.
WITH home AS (
  SELECT name, level, location FROM centers WHERE id = $1
),
area AS (
  SELECT ST_Extent(geom) AS box
  FROM grids
  WHERE kind = 'general' AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
)
SELECT h.name,
       h.level,
       ST_XMin(a.box) AS min_lon,
       ST_YMin(a.box) AS min_lat,
       ST_XMax(a.box) AS max_lon,
       ST_YMax(a.box) AS max_lat,
       ST_X(h.location) AS lon,
       ST_Y(h.location) AS lat
FROM home AS h
CROSS JOIN area AS a
WHERE a.box IS NOT NULL
