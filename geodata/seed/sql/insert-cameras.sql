-- Each camera is attributed to the level-3 grid it stands in (the nearest one when it stands
-- just outside the district's edge) and to that grid's center.
WITH cam AS (
  SELECT c.*, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS location
  FROM jsonb_to_recordset($1::jsonb) AS c(code text, name text, source text, lon float8, lat float8, heading real,
                                          fov real, range_m real, status text, address text)
)
INSERT INTO cameras (code, name, source, location, heading, fov, range_m, status, address, grid_id, center_id)
SELECT cam.code, cam.name, cam.source, cam.location, cam.heading, cam.fov, cam.range_m, cam.status, cam.address, g.id, g.center_id
FROM cam
CROSS JOIN LATERAL (
  (SELECT id, center_id FROM grids WHERE kind = 'general' AND level = 3 AND ST_Intersects(geom, cam.location) LIMIT 1)
  UNION ALL
  (SELECT id, center_id FROM grids WHERE kind = 'general' AND level = 3 ORDER BY geom <-> cam.location LIMIT 1)
  LIMIT 1
) g;
