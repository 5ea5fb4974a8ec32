-- Base map: built-up areas (urban core, town and village settlements) as one
-- GeoJSON FeatureCollection, assembled in the database and sent as text.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', id,
    'geometry', ST_AsGeoJSON(geom, 6)::json,
    'properties', json_build_object('kind', kind, 'name', name)
  ) ORDER BY id), '[]'::json)
)::text AS body
FROM basemap_landuse
