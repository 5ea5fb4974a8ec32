-- Cameras of the jurisdiction whose field of view covers an incident's point, nearest
-- first: within range_m metres of it, and the bearing from the camera to the point
-- within heading ± fov/2 (fov 360: all around). Bearings are true ones on the spheroid,
-- clockwise from north, as the camera_views tiles draw the sectors. $1 scope center,
-- $2 incident id, $3 how many.
-- Found through the gist index on cameras.location with a box around the point as wide
-- as the longest range allowed (5 km, migration 0001); the geography tests decide.
WITH incident AS (
  SELECT i.location AS p, i.location::geography AS g, abs(ST_Y(i.location)) AS lat
  FROM incidents AS i
  WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
), seen AS (
  SELECT c.id, c.code, c.name, c.source, c.status, c.heading, c.fov, c.stream_url,
         ST_Distance(c.location::geography, incident.g) AS distance_m,
         -- NULL when the camera stands on the point itself.
         degrees(ST_Azimuth(c.location::geography, incident.g)) AS bearing
  FROM incident, cameras AS c
  WHERE c.location && ST_Expand(incident.p, 1.01 * 5000 / (111320 * cos(radians(least(incident.lat + 5000 / 110574.0, 89)))),
                                1.01 * 5000 / 110574.0)
    AND ST_DWithin(c.location::geography, incident.g, c.range_m)
    AND c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
)
SELECT id, code, name, source, status, distance_m, bearing, stream_url
FROM seen
-- The angle between bearing and heading, folded into 0…180 across north.
WHERE fov >= 360 OR bearing IS NULL OR abs(((bearing - heading + 540)::numeric % 360) - 180) <= fov / 2.0
ORDER BY distance_m, id
LIMIT $3
