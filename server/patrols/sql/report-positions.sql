-- Stores a patrol unit's position reports in one statement and answers with the unit's
-- latest position. A report whose instant the unit already has (a retry) is skipped:
-- the caller holds pingan_live_lock(), which every position writer takes first, so two
-- retries cannot both pass the NOT EXISTS check.
--   $1 scope center   $2 unit id   $3 reports: jsonb [{ at, lon, lat, speedKmh, heading }]
-- No row: the unit is not one of the jurisdiction's teams'.
WITH unit AS (
  SELECT u.id
  FROM patrol_units AS u
  JOIN patrol_teams AS t ON t.id = u.team_id
  WHERE u.id = $2 AND t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
), stored AS (
  INSERT INTO patrol_positions (unit_id, reported_at, location, speed_kmh, heading)
  SELECT unit.id, r.at, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r."speedKmh", r.heading
  FROM unit
  CROSS JOIN jsonb_to_recordset($3::jsonb) AS r (at timestamptz, lon float8, lat float8, "speedKmh" real, heading real)
  WHERE NOT EXISTS (SELECT 1 FROM patrol_positions AS p WHERE p.unit_id = unit.id AND p.reported_at = r.at)
  ORDER BY r.at
  RETURNING reported_at, location
)
-- The trigger that keeps patrol_units.last_* runs after this statement: take the newest of
-- what was there and what was stored here.
SELECT unit.id AS unit_id,
       (SELECT count(*) FROM stored) AS stored,
       latest.reported_at, ST_X(latest.location) AS lon, ST_Y(latest.location) AS lat
FROM unit
LEFT JOIN LATERAL (
  SELECT reported_at, location FROM stored
  UNION ALL
  SELECT u.last_reported_at, u.last_location FROM patrol_units AS u WHERE u.id = unit.id AND u.last_reported_at IS NOT NULL
  ORDER BY reported_at DESC
  LIMIT 1
) AS latest ON true
