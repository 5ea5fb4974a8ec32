-- Incidents of a jurisdiction in a box and time window as bare points for the client's GPU
-- heat map and playback: position, time, category, status, severity; oldest first.
--   $1 scope center   $2..$5 bbox (minLon, minLat, maxLon, maxLat)
--   $6 from, $7 to (reported in [from, to))   $8 category (NULL = any)
--   $9 limit (the caller asks for one more than it accepts, to know when there are more)
SELECT ST_X(i.location) AS lon, ST_Y(i.location) AS lat, extract(epoch FROM i.reported_at)::float8 AS t,
       i.category, i.status, i.severity
FROM incidents AS i
WHERE i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1::bigint)
  AND i.location && ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4326)
  AND i.reported_at >= $6::timestamptz AND i.reported_at < $7::timestamptz
  AND ($8::text IS NULL OR i.category = $8::text)
ORDER BY i.reported_at, i.id
LIMIT $9::int
