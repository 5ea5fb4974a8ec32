-- How many photos an incident carries.
--   $1 incident id
SELECT count(*)::int AS n FROM incident_photos WHERE incident_id = $1
