-- Collection `cameras`: 雪亮, 天网 and social cameras of the jurisdiction with their view.
-- Reads the CTE `params` (see items.sql / item.sql).
SELECT c.id, ST_AsGeoJSON(c.location, 7)::json AS geometry,
       json_build_object(
         'id', c.id, 'code', c.code, 'name', c.name, 'source', c.source, 'status', c.status,
         'heading', c.heading, 'fov', c.fov, 'range_m', c.range_m, 'grid_id', c.grid_id, 'center_id', c.center_id
       ) AS properties
FROM params, cameras AS c
WHERE c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = params.scope)
  AND (params.id IS NULL OR c.id = params.id)
  AND (params.min_lon IS NULL OR ST_Intersects(c.location, ST_MakeEnvelope(params.min_lon, params.min_lat, params.max_lon, params.max_lat, 4326)))
