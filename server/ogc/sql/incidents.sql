-- Collection `incidents`: incidents of the jurisdiction with the reporters' name, phone and
-- ID number masked exactly as /api/incidents masks them; `datetime` filters reported_at
-- (both ends included). Reads the CTE `params` (see items.sql / item.sql).
SELECT i.id, ST_AsGeoJSON(i.location, 7)::json AS geometry,
       json_build_object(
         'id', i.id, 'number', i.number, 'category', i.category, 'severity', i.severity, 'status', i.status,
         'title', i.title, 'description', i.description, 'address', i.address, 'source', i.source,
         'reporter_name', pingan_mask_name(i.reporter_name),
         'reporter_phone', pingan_mask_phone(i.reporter_phone),
         'reporter_id_number', pingan_mask_id_number(i.reporter_id_number),
         'grid_id', i.grid_id, 'center_id', i.center_id, 'boundary_flag', i.boundary_flag,
         'occurred_at', i.occurred_at, 'reported_at', i.reported_at, 'due_at', i.due_at, 'closed_at', i.closed_at,
         'outcome', i.outcome
       ) AS properties
FROM params, incidents AS i
WHERE i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = params.scope)
  AND (params.id IS NULL OR i.id = params.id)
  AND (params.min_lon IS NULL OR ST_Intersects(i.location, ST_MakeEnvelope(params.min_lon, params.min_lat, params.max_lon, params.max_lat, 4326)))
  AND (params.from_at IS NULL OR i.reported_at >= params.from_at)
  AND (params.to_at IS NULL OR i.reported_at <= params.to_at)
