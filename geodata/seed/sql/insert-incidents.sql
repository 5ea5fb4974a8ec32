-- A batch of incidents. Each is attributed to the level-3 grid it lies in (the nearest one
-- when just outside the district's edge) and to the center that holds it: the grid's village
-- center, or the town or district center when it was escalated (上报) one or two levels.
-- $2 shifts every time forward (the demo's year is moved to end near now); $3 + n numbers them.
WITH i AS (
  SELECT i.*, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326) AS location
  FROM jsonb_to_recordset($1::jsonb)
    AS i(lon float8, lat float8, category text, severity text, status text, title text, description text, address text,
         source text, reporter_name text, reporter_phone text, reporter_id_number text, occurred_at timestamptz,
         reported_at timestamptz, due_at timestamptz, closed_at timestamptz, outcome text, escalated int, n bigint)
)
INSERT INTO incidents (number, category, severity, status, title, description, location, address, source,
                       reporter_name, reporter_phone, reporter_id_number, grid_id, center_id,
                       occurred_at, reported_at, due_at, closed_at, outcome, updated_at)
SELECT 'SJ' || to_char((i.reported_at + $2::interval) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(($3 + i.n)::text, 8, '0'),
       i.category, i.severity, i.status, i.title, i.description, i.location, i.address, i.source,
       i.reporter_name, i.reporter_phone, i.reporter_id_number, g.id,
       CASE i.escalated WHEN 0 THEN c.id WHEN 1 THEN c.parent_id ELSE town.parent_id END,
       i.occurred_at + $2::interval, i.reported_at + $2::interval, i.due_at + $2::interval, i.closed_at + $2::interval,
       i.outcome, coalesce(i.closed_at, i.reported_at) + $2::interval
FROM i
CROSS JOIN LATERAL (
  (SELECT id, center_id FROM grids WHERE kind = 'general' AND level = 3 AND ST_Intersects(geom, i.location) LIMIT 1)
  UNION ALL
  (SELECT id, center_id FROM grids WHERE kind = 'general' AND level = 3 ORDER BY geom <-> i.location LIMIT 1)
  LIMIT 1
) g
JOIN centers c ON c.id = g.center_id
JOIN centers town ON town.id = c.parent_id
ORDER BY i.n
RETURNING id, number;
