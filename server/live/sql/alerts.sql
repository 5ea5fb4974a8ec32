-- Key-area alerts by id ($1 bigint[]): the key area and the incident that raised it.
SELECT a.id,
       json_build_object(
         'id', a.id,
         'geofenceId', f.id,
         'name', f.name,
         'kind', f.kind,
         'incidentId', i.id,
         'incidentNumber', i.number,
         'at', to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       ) AS alert
FROM geofence_alerts AS a
JOIN geofences AS f ON f.id = a.geofence_id
JOIN incidents AS i ON i.id = a.incident_id
WHERE a.id = ANY ($1::bigint[])
