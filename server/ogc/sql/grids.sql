-- Collection `grids`: general and specialist grids of the jurisdiction, with what a GIS
-- user wants to see of each. Reads the CTE `params` (see items.sql / item.sql).
SELECT g.id, ST_AsGeoJSON(g.geom, 6)::json AS geometry,
       json_build_object(
         'id', g.id, 'code', g.code, 'name', g.name, 'level', g.level, 'kind', g.kind, 'department', g.department,
         'parent_id', g.parent_id, 'center_id', g.center_id, 'population', g.population, 'households', g.households
       ) AS properties
FROM params, grids AS g
WHERE g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = params.scope)
  AND (params.id IS NULL OR g.id = params.id)
  AND (params.min_lon IS NULL OR ST_Intersects(g.geom, ST_MakeEnvelope(params.min_lon, params.min_lat, params.max_lon, params.max_lat, 4326)))
