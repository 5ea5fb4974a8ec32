-- Key areas (重点区域) of a jurisdiction whose window has not ended (active ones and those
-- still to come), as a GeoJSON FeatureCollection, earliest start first; with the number
-- of alerts each has raised. Outer rings counter-clockwise, as RFC 7946 asks.
-- $1 scope center, $2 one key area (NULL = all).
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', f.id,
    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(f.geom), 7)::json,
    'properties', json_build_object(
      'id', f.id, 'name', f.name, 'kind', f.kind,
      'startsAt', to_char(f.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'endsAt', to_char(f.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'centerId', f.center_id,
      'active', f.starts_at <= now(),
      'alerts', (SELECT count(*) FROM geofence_alerts AS a WHERE a.geofence_id = f.id)
    )
  ) ORDER BY f.starts_at, f.id), '[]'::json)
)::text AS body
FROM geofences AS f
WHERE f.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  AND (f.ends_at IS NULL OR f.ends_at > now())
  AND ($2::bigint IS NULL OR f.id = $2::bigint)
