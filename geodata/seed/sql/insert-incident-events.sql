-- Workflow events; `up` says how many levels above the incident's village center the acting
-- center sits.
WITH e AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS e(incident_id bigint, action text, "from" text, "to" text, actor text, at timestamptz, up int, note text,
         assignee_kind text, assignee_name text)
)
INSERT INTO incident_events (incident_id, action, from_status, to_status, actor_name, center_id, assignee_kind,
                             assignee_name, note, at)
SELECT e.incident_id, e.action, e."from", e."to", e.actor,
       CASE e.up WHEN 0 THEN c.id WHEN 1 THEN c.parent_id ELSE town.parent_id END,
       e.assignee_kind, e.assignee_name, e.note, e.at + $2::interval
FROM e
JOIN incidents i ON i.id = e.incident_id
JOIN grids g ON g.id = i.grid_id
JOIN centers c ON c.id = g.center_id
JOIN centers town ON town.id = c.parent_id
ORDER BY e.incident_id, e.at;
