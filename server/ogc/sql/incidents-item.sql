-- OGC API item of the collection `incidents`: one incident of a jurisdiction as a GeoJSON
-- Feature with the same properties as its items page (reporters' personal data masked
-- as /api/incidents masks it), and its links.
--   $1 scope  bigint  the caller's center    $2 id  bigint    $3 links  jsonb (self, collection)
-- No row: no such incident, or one outside the jurisdiction (both answer 404 alike).
SELECT json_build_object(
  'type', 'Feature',
  'id', i.id,
  'geometry', ST_AsGeoJSON(i.location, 7)::json,
  'properties', json_build_object(
    'id', i.id, 'number', i.number, 'category', i.category, 'severity', i.severity, 'status', i.status,
    'title', i.title, 'description', i.description, 'address', i.address, 'source', i.source,
    'reporter_name', pingan_mask_name(i.reporter_name),
    'reporter_phone', pingan_mask_phone(i.reporter_phone),
    'reporter_id_number', pingan_mask_id_number(i.reporter_id_number),
    'grid_id', i.grid_id, 'center_id', i.center_id, 'boundary_flag', i.boundary_flag,
    'occurred_at', i.occurred_at, 'reported_at', i.reported_at, 'due_at', i.due_at, 'closed_at', i.closed_at,
    'outcome', i.outcome
  ),
  'links', $3::jsonb
)::text AS body
FROM incidents AS i
WHERE i.id = $2 AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
