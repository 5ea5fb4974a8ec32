-- One step of an incident's workflow (append-only).
--   $1 incident $2 action $3 from status $4 to status $5 actor user $6 actor name
--   $7 center the step is taken at $8 assignee kind $9 assignee id $10 assignee name $11 note
INSERT INTO incident_events (incident_id, action, from_status, to_status, actor_user_id, actor_name, center_id,
                             assignee_kind, assignee_id, assignee_name, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING id
