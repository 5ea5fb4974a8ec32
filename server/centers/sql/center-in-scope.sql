-- One center if it lies in the jurisdiction of $1. $2 center id.
SELECT c.id, c.code, c.name, c.level
FROM centers AS c
WHERE c.id = $2 AND c.id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
