-- The incident to dispatch for, when it is in the jurisdiction. $1 scope center, $2 incident id.
SELECT i.id, i.grid_id
FROM incidents AS i
WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
