-- The columns of an incident as every reader sees it (IncidentSummary in repository.ts),
-- reporters' personal data masked; spliced into incidents.sql and incidents-by-id.sql
-- where they say /*summary-columns*/. `i` is the incident.
i.id, i.number, i.category, i.severity, i.status, i.title, i.description, i.address, i.source,
ST_X(i.location) AS lon, ST_Y(i.location) AS lat,
pingan_mask_name(i.reporter_name) AS reporter_name,
pingan_mask_phone(i.reporter_phone) AS reporter_phone,
pingan_mask_id_number(i.reporter_id_number) AS reporter_id_number,
i.grid_id, i.center_id, i.boundary_flag, i.occurred_at, i.reported_at, i.due_at, i.closed_at, i.outcome,
i.outside_flag, i.overdue_at, i.merged_into, i.assignee_kind, i.assignee_id, i.assignee_name,
(SELECT g.name FROM grids AS g WHERE g.id = i.grid_id) AS grid_name
