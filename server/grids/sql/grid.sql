-- One grid of a jurisdiction as a GeoJSON Feature with what its detail panel shows:
-- the chain of parents (top first; `in_scope` false for the ones above the caller's
-- jurisdiction, shown but not linked), its leader and workers, and counts of the
-- cameras and open incidents inside it, and of the jurisdiction's incidents reported in
-- a time window (the heat map's rule: reported_at in [from, to)) in it, by category: the
-- incidents GET /api/incidents?grid=&from=&to= lists for a general grid (attributed to
-- it or below it), the incidents inside the area of a specialist grid.
--   $1 scope center   $2 grid id   $3 from   $4 to (NULL: no end)
--   $5, $6 from and to as the answer states them (ISO 8601 text, as the heat map's)
-- No row: not found.
WITH RECURSIVE g AS (
  SELECT * FROM grids
  WHERE id = $2 AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
),
up AS (
  SELECT p.id, p.code, p.name, p.level, p.parent_id, p.center_id, 1 AS n
  FROM grids AS p JOIN g ON p.id = g.parent_id
  UNION ALL
  SELECT p.id, p.code, p.name, p.level, p.parent_id, p.center_id, up.n + 1
  FROM grids AS p JOIN up ON p.id = up.parent_id
)
SELECT json_build_object(
  'type', 'Feature',
  'id', g.id,
  'geometry', ST_AsGeoJSON(g.geom, 6)::json,
  'properties', json_build_object(
    'id', g.id,
    'code', g.code,
    'name', g.name,
    'level', g.level,
    'kind', g.kind,
    'department', g.department,
    'parent_id', g.parent_id,
    'center_id', g.center_id,
    'center_name', (SELECT name FROM centers WHERE id = g.center_id),
    'population', g.population,
    'households', g.households,
    'area_km2', round((ST_Area(g.geom::geography) / 1e6)::numeric, 3),
    'parents', coalesce((
      SELECT json_agg(json_build_object(
        'id', up.id, 'code', up.code, 'name', up.name, 'level', up.level,
        'in_scope', up.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
      ) ORDER BY up.n DESC)
      FROM up), '[]'::json),
    'staff', coalesce((
      SELECT json_agg(json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'phone', s.phone, 'duty', gs.duty)
                      ORDER BY gs.duty, s.name)
      FROM grid_staff AS gs JOIN staff AS s ON s.id = gs.staff_id
      WHERE gs.grid_id = g.id AND s.active), '[]'::json),
    'cameras', (SELECT count(*) FROM cameras AS c WHERE ST_Intersects(c.location, g.geom)),
    'open_incidents', (
      SELECT json_build_object('total', coalesce(sum(n), 0), 'by_category', coalesce(json_object_agg(category, n), '{}'::json))
      FROM (
        SELECT i.category, count(*) AS n
        FROM incidents AS i
        WHERE i.status <> 'closed' AND ST_Intersects(i.location, g.geom)
        GROUP BY i.category
      ) AS open),
    'incidents_in_window', (
      SELECT json_build_object('from', $5::text, 'to', $6::text,
                               'total', coalesce(sum(n), 0), 'by_category', coalesce(json_object_agg(category, n), '{}'::json))
      FROM (
        SELECT w.category, count(*) AS n
        FROM (
          -- A general grid: the incidents attributed to it or a grid below it, through
          -- incidents (grid_id, reported_at); the rule of GET /api/incidents?grid=.
          SELECT i.category
          FROM incidents AS i
          WHERE g.kind = 'general'
            AND i.grid_id IN (
              SELECT g3.id FROM grids AS g3
              LEFT JOIN grids AS g2 ON g2.id = g3.parent_id
              WHERE g3.kind = 'general' AND g3.level = 3 AND g.id IN (g3.id, g2.id, g2.parent_id))
            AND i.reported_at >= $3::timestamptz AND ($4::timestamptz IS NULL OR i.reported_at < $4::timestamptz)
            AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
          UNION ALL
          -- A specialist grid cuts across the general ones: the incidents inside its area.
          SELECT i.category
          FROM incidents AS i
          WHERE g.kind = 'specialist'
            AND ST_Intersects(i.location, g.geom)
            AND i.reported_at >= $3::timestamptz AND ($4::timestamptz IS NULL OR i.reported_at < $4::timestamptz)
            AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
        ) AS w
        GROUP BY w.category
      ) AS windowed)
  )
)::text AS body
FROM g
