-- The incident a workflow step is taken on, with what the workflow checks: the caller's
-- staff record (a grid worker's own tasks) and the parent of its center (escalation). No
-- row outside the jurisdiction. transitions.ts locks the row (FOR UPDATE) when it takes a
-- step; listing the steps allowed reads without a lock.
--   $1 incident, $2 scope center, $3 caller (users.id)
SELECT i.id, i.number, i.status, i.center_id, i.grid_id, i.boundary_flag, i.outside_flag, i.merged_into,
       i.assignee_kind, i.assignee_id, i.assignee_name, i.outcome,
       (SELECT u.staff_id FROM users AS u WHERE u.id = $3) AS caller_staff_id,
       p.id AS parent_center_id, p.name AS parent_center_name
FROM incidents AS i
JOIN centers AS c ON c.id = i.center_id
LEFT JOIN centers AS p ON p.id = c.parent_id
WHERE i.id = $1 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)
