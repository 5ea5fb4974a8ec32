-- The extent of each OGC API collection within a jurisdiction: one row per collection,
-- the bounding box of its features in the caller's jurisdiction (NULLs when it has none)
-- and, for incidents, the first and last report time (rounded outwards to the second, so
-- the interval holds every incident).
--   $1 scope        bigint  the caller's center: features of centers in its subtree only
--   $2 collection   text    'grids' | 'cameras' | 'patrol-routes' | 'incidents'; NULL = all four
-- A branch whose collection is not asked for is skipped by its one-time filter.
SELECT 'grids' AS collection, ST_XMin(box) AS min_lon, ST_YMin(box) AS min_lat, ST_XMax(box) AS max_lon, ST_YMax(box) AS max_lat,
       NULL::text AS first_at, NULL::text AS last_at
FROM (
  SELECT ST_Extent(geom) AS box
  FROM grids
  WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
) AS g
WHERE $2::text IS NULL OR $2::text = 'grids'
UNION ALL
SELECT 'cameras', ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box), NULL, NULL
FROM (
  SELECT ST_Extent(location) AS box
  FROM cameras
  WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
) AS c
WHERE $2::text IS NULL OR $2::text = 'cameras'
UNION ALL
SELECT 'patrol-routes', ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box), NULL, NULL
FROM (
  SELECT ST_Extent(r.geom) AS box
  FROM patrol_routes AS r
  JOIN patrol_teams AS t ON t.id = r.team_id
  WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
) AS r
WHERE $2::text IS NULL OR $2::text = 'patrol-routes'
UNION ALL
SELECT 'incidents', min_lon, min_lat, max_lon, max_lat,
       to_char(date_trunc('second', first_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(date_trunc('second', last_at + interval '999999 microseconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM (
  -- Kept per center by the incident triggers (migration 0003): a row per center, not a scan
  -- of the incidents. Grown and never shrunk, it covers every incident even after moves.
  SELECT min(min_lon) AS min_lon, min(min_lat) AS min_lat, max(max_lon) AS max_lon, max(max_lat) AS max_lat,
         min(first_at) AS first_at, max(last_at) AS last_at
  FROM incident_extents
  WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
) AS e
WHERE $2::text IS NULL OR $2::text = 'incidents'
