-- Likely duplicates of an incident: same category, within 200 m and 24 hours, not merged,
-- not itself, in the caller's jurisdiction; nearest first, the newest of equally near ones. The first distance test uses
-- the spatial index (0.003° ≥ 200 m at these latitudes), the second decides in metres.
--   $1 incident, $2 scope center
SELECT d.id, d.number, d.title, d.status, d.reported_at,
       round(ST_Distance(d.location::geography, i.location::geography))::int AS distance_m
FROM incidents AS i
JOIN incidents AS d
  ON d.category = i.category AND d.id <> i.id AND d.merged_into IS NULL AND i.merged_into IS NULL
 AND d.reported_at BETWEEN i.reported_at - interval '24 hours' AND i.reported_at + interval '24 hours'
 AND ST_DWithin(d.location, i.location, 0.003)
 AND ST_DWithin(d.location::geography, i.location::geography, 200)
WHERE i.id = $1
  AND d.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)
ORDER BY distance_m, d.reported_at DESC, d.id DESC
LIMIT 5
