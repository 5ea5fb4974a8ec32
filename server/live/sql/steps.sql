-- Workflow steps by id ($1 bigint[]), each as one entry of an incident's timeline
-- (pingan_timeline_step, as the detail panel shows it).
SELECT e.id, e.incident_id, pingan_timeline_step(e) AS step
FROM incident_events AS e
WHERE e.id = ANY ($1::bigint[])
