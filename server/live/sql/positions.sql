-- Patrol position reports by id ($1 bigint[]), with the unit's call sign.
SELECT p.id,
       json_build_object(
         'unitId', u.id,
         'callsign', u.callsign,
         'location', json_build_array(ST_X(p.location), ST_Y(p.location)),
         'reportedAt', to_char(p.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'speedKmh', p.speed_kmh,
         'heading', p.heading
       ) AS position
FROM patrol_positions AS p
JOIN patrol_units AS u ON u.id = p.unit_id
WHERE p.id = ANY ($1::bigint[])
