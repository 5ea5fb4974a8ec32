-- The unmasked reporter of one incident of the jurisdiction of $1. $2 incident id.
SELECT i.number, i.reporter_name, i.reporter_phone, i.reporter_id_number
FROM incidents AS i
WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
