WITH s AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(code text, name text, phone text, role text, center text, grids jsonb)
), inserted AS (
  INSERT INTO staff (code, name, phone, role, center_id)
  SELECT s.code, s.name, s.phone, s.role, c.id FROM s JOIN centers c ON c.code = s.center
  RETURNING id, code
)
INSERT INTO grid_staff (grid_id, staff_id, duty)
SELECT g.id, i.id, a.duty
FROM s
JOIN inserted i ON i.code = s.code
CROSS JOIN LATERAL jsonb_to_recordset(s.grids) AS a(grid text, duty text)
JOIN grids g ON g.code = a.grid;
