-- The incident a duplicate is merged into, locked with it. $1 target, $2 scope center.
SELECT i.id, i.number, i.status, i.merged_into, i.center_id
FROM incidents AS i
WHERE i.id = $1 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)
FOR UPDATE OF i
