-- What an incident's detail panel shows beside the incident itself (sql/incidents.sql):
-- its level-3 grid, the center it is attributed to, and its workflow so far, oldest step
-- first (times as JavaScript's toISOString writes them). $1 scope center, $2 incident id;
-- no row outside the jurisdiction.
-- Notes are free text an operator typed: a mobile number or ID number in one is masked
-- as the reporter's own fields are (138****5678, 510123********1234).
SELECT
  (SELECT json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'level', g.level)
   FROM grids AS g WHERE g.id = i.grid_id) AS grid,
  (SELECT json_build_object('id', c.id, 'code', c.code, 'name', c.name, 'level', c.level)
   FROM centers AS c WHERE c.id = i.center_id) AS center,
  coalesce((
    SELECT json_agg(json_build_object(
      'id', e.id,
      'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'type', e.action,
      'fromStatus', e.from_status,
      'status', e.to_status,
      'actor', e.actor_name,
      'center', (SELECT json_build_object('id', c.id, 'name', c.name) FROM centers AS c WHERE c.id = e.center_id),
      'assignee', CASE WHEN e.assignee_kind IS NULL AND e.assignee_name IS NULL THEN NULL
                       ELSE json_build_object('kind', e.assignee_kind, 'name', e.assignee_name) END,
      'note', regexp_replace(
                regexp_replace(e.note, '([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])', '\1********\2', 'g'),
                '(1[3-9][0-9])[0-9]{4}([0-9]{4})', '\1****\2', 'g')
    ) ORDER BY e.at, e.id)
    FROM incident_events AS e
    WHERE e.incident_id = i.id), '[]'::json) AS timeline
FROM incidents AS i
WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
