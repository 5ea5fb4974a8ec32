-- The patrol units of the jurisdiction nearest to an incident, by their latest reported
-- position (patrol_units.last_location, kept by a trigger on patrol_positions), nearest
-- first. $1 scope center, $2 incident id, $3 how many, $4 ignore reports older than this
-- many minutes.
--
-- The index KNN (`<->`) measures degrees, and a degree of longitude is shorter than one
-- of latitude away from the equator, so its order is not quite the order in metres. Two
-- steps make the answer exact: the KNN's $3 candidates bound the radius (their farthest,
-- in metres, on the spheroid), and every unit within that radius is then measured and
-- ordered exactly; the true $3 nearest are all within it. Both steps use the gist index
-- on last_location (the second through the box test of ST_Expand).
WITH incident AS (
  SELECT i.location AS p, i.location::geography AS g, abs(ST_Y(i.location)) AS lat
  FROM incidents AS i
  WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
), scope_teams AS (
  SELECT t.id FROM patrol_teams AS t WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
), candidates AS (
  -- The point as a sub-select (a plan parameter), so the planner can walk the index in
  -- distance order; a join to it would sort every unit instead.
  SELECT u.last_location
  FROM patrol_units AS u
  WHERE u.last_location IS NOT NULL
    AND u.last_reported_at >= now() - make_interval(mins => $4)
    AND u.team_id IN (SELECT id FROM scope_teams)
  ORDER BY u.last_location <-> (SELECT p FROM incident)
  LIMIT $3
), radius AS (
  SELECT max(ST_Distance(c.last_location::geography, incident.g)) AS m
  FROM candidates AS c, incident
), area AS (
  -- A lon/lat box holding every point within radius.m metres (1 % to spare): a degree of
  -- latitude is at least 110,574 m, one of longitude at least 111,320 m × cos(latitude)
  -- at the box's edge farthest from the equator.
  SELECT ST_Expand(incident.p,
                   1.01 * radius.m / (111320 * cos(radians(least(incident.lat + radius.m / 110574.0, 89)))),
                   1.01 * radius.m / 110574.0) AS box,
         radius.m
  FROM incident, radius
  WHERE radius.m IS NOT NULL
)
SELECT u.id, u.callsign, u.kind, u.members, t.id AS team_id, t.name AS team_name,
       ST_Distance(u.last_location::geography, incident.g) AS distance_m,
       u.last_reported_at,
       greatest(0, floor(extract(epoch FROM now() - u.last_reported_at) / 60))::int AS minutes_since_report,
       ST_X(u.last_location) AS lon, ST_Y(u.last_location) AS lat
FROM incident, area, patrol_units AS u
JOIN patrol_teams AS t ON t.id = u.team_id
WHERE u.last_location && area.box
  -- The same measure as the radius (ST_DWithin's may differ in the last digits and drop the farthest).
  AND ST_Distance(u.last_location::geography, incident.g) <= area.m
  AND u.last_reported_at >= now() - make_interval(mins => $4)
  AND t.id IN (SELECT id FROM scope_teams)
ORDER BY distance_m, u.id
LIMIT $3
