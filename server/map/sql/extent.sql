-- Where the map opens: the district's name and its center's location, and the
-- extent of the level-1 general grids (streets and towns), which together cover
-- the district. No row when either is missing (an empty database).
WITH district AS (
  SELECT name, location
  FROM centers
  WHERE level = 'district'
  ORDER BY id
  LIMIT 1
),
streets AS (
  SELECT ST_Extent(geom) AS box
  FROM grids
  WHERE kind = 'general' AND level = 1
)
SELECT d.name,
       ST_XMin(s.box) AS min_lon,
       ST_YMin(s.box) AS min_lat,
       ST_XMax(s.box) AS max_lon,
       ST_YMax(s.box) AS max_lat,
       ST_X(d.location) AS lon,
       ST_Y(d.location) AS lat
FROM district AS d
CROSS JOIN streets AS s
WHERE s.box IS NOT NULL
