-- What an incident's detail panel shows beside the incident itself (sql/incidents.sql):
-- its level-3 grid, the center it is attributed to, its attribution at intake (grid chain,
-- specialist grids, leader chain), the key areas it fell in, and its workflow so far, oldest step
-- first (times as JavaScript's toISOString writes them). $1 scope center, $2 incident id;
-- no row outside the jurisdiction.
-- Steps as pingan_timeline_step (migration 0005) writes them, notes' phone and ID numbers masked.
SELECT
  (SELECT json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'level', g.level)
   FROM grids AS g WHERE g.id = i.grid_id) AS grid,
  (SELECT json_build_object('id', c.id, 'code', c.code, 'name', c.name, 'level', c.level)
   FROM centers AS c WHERE c.id = i.center_id) AS center,
  coalesce((
    SELECT json_agg(pingan_timeline_step(e) ORDER BY e.at, e.id)
    FROM incident_events AS e
    WHERE e.incident_id = i.id), '[]'::json) AS timeline,
  i.attribution,
  coalesce((
    SELECT json_agg(json_build_object('id', a.id, 'geofenceId', f.id, 'name', f.name, 'kind', f.kind,
                                      'at', to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY a.id)
    FROM geofence_alerts AS a JOIN geofences AS f ON f.id = a.geofence_id
    WHERE a.incident_id = i.id), '[]'::json) AS alerts
FROM incidents AS i
WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
