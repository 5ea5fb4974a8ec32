-- Base map: roads (lines) as one GeoJSON FeatureCollection.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', id,
    'geometry', ST_AsGeoJSON(geom, 6)::json,
    'properties', json_build_object('class', class, 'name', name)
  ) ORDER BY id), '[]'::json)
)::text AS body
FROM basemap_roads
