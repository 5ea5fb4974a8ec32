-- Base map: place labels (district, towns, villages) and points of interest as one
-- GeoJSON FeatureCollection in rank order (1 first), so a renderer that places labels
-- in order keeps the rank-1 names when space runs out.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', id,
    'geometry', ST_AsGeoJSON(location, 6)::json,
    'properties', json_build_object('kind', kind, 'poi_kind', poi_kind, 'name', name, 'rank', rank)
  ) ORDER BY rank, id), '[]'::json)
)::text AS body
FROM places
