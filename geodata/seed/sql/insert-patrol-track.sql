-- The last hour of each unit's position reports, one a minute, moving along its route at the
-- pace of its kind from a phase fixed by its id, so every load shows units mid-patrol "now".
WITH units AS MATERIALIZED (
  SELECT u.id, r.geom, ST_Length(r.geom::geography) AS length_m,
         CASE u.kind WHEN 'vehicle' THEN 25 WHEN 'ebike' THEN 14 ELSE 4.5 END AS kmh,
         u.id * 0.6180339887 AS phase
  FROM patrol_units u JOIN patrol_routes r ON r.id = u.route_id
), track AS (
  SELECT units.*, k, phase + (60 - k) * kmh * 1000 / 60 / length_m AS laps
  FROM units, generate_series(0, 59) AS k
), positioned AS (
  SELECT id, k, kmh, ST_LineInterpolatePoint(geom, laps - floor(laps)) AS here,
         ST_LineInterpolatePoint(geom, least(laps - floor(laps) + 1e-4, 1)) AS ahead
  FROM track
)
INSERT INTO patrol_positions (unit_id, reported_at, location, speed_kmh, heading)
SELECT id, $1::timestamptz - k * interval '1 minute', here, kmh,
       CASE WHEN ST_Equals(here, ahead) THEN NULL ELSE degrees(ST_Azimuth(here, ahead)) END
FROM positioned;
