-- Changes an account of the jurisdiction of $1. $2 user; NULL leaves a field as it is:
-- $3 display name, $4 role, $5 center, $6 disabled; $7 true unlocks.
UPDATE users
SET display_name = coalesce($3, display_name),
    role = coalesce($4, role),
    center_id = coalesce($5, center_id),
    disabled = coalesce($6, disabled),
    failed_logins = CASE WHEN $7 THEN 0 ELSE failed_logins END,
    locked_until = CASE WHEN $7 THEN NULL ELSE locked_until END
WHERE id = $2 AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
RETURNING id
