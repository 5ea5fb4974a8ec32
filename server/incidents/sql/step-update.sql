-- The incident after a workflow step (transitions.ts computes every column).
--   $1 incident $2 status $3 center $4 grid $5 boundary flag $6 outside flag
--   $7 assignee kind $8 assignee id $9 assignee name $10 outcome $11 merged into
--   $12 attribution keys to replace (NULL: unchanged); the others (the spot's specialist grids) stay
UPDATE incidents
SET status = $2, center_id = $3, grid_id = $4, boundary_flag = $5, outside_flag = $6,
    assignee_kind = $7, assignee_id = $8, assignee_name = $9, outcome = $10, merged_into = $11,
    attribution = coalesce(attribution || $12::jsonb, $12::jsonb, attribution),
    closed_at = CASE WHEN $2 = 'closed' THEN coalesce(closed_at, now()) END,
    updated_at = now()
WHERE id = $1
