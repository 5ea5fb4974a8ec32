WITH t AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS t(code text, name text, center text, members int, leader text, phone text, routes jsonb, units jsonb)
), teams AS (
  INSERT INTO patrol_teams (code, name, center_id, members, leader, phone)
  SELECT t.code, t.name, c.id, t.members, t.leader, t.phone FROM t JOIN centers c ON c.code = t.center
  RETURNING id, code
), routes AS (
  INSERT INTO patrol_routes (team_id, name, shift, geom)
  SELECT teams.id, r.name, r.shift, ST_SetSRID(ST_MakeLine(ARRAY(
           SELECT ST_MakePoint((p ->> 0)::float8, (p ->> 1)::float8) FROM jsonb_array_elements(r.coords) WITH ORDINALITY AS e(p, n) ORDER BY n)), 4326)
  FROM t JOIN teams USING (code)
  CROSS JOIN LATERAL jsonb_to_recordset(t.routes) AS r(name text, shift text, coords jsonb)
  RETURNING id, team_id, name
)
INSERT INTO patrol_units (team_id, route_id, callsign, kind, members)
SELECT teams.id, routes.id, u.callsign, u.kind, u.members
FROM t JOIN teams USING (code)
CROSS JOIN LATERAL jsonb_to_recordset(t.units) AS u(callsign text, kind text, members int, route int)
LEFT JOIN routes ON routes.team_id = teams.id AND routes.name = (t.routes -> u.route ->> 'name');
