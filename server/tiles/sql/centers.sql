-- Governance centers (综治中心) of the jurisdiction: the district always, towns from zoom 8,
-- villages from zoom 11.
SELECT c.id, c.location AS geom, jsonb_build_object('code', c.code, 'name', c.name, 'level', c.level) AS props
FROM tile, centers AS c
WHERE c.location && tile.bbox
  AND c.id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
  AND tile.z >= CASE c.level WHEN 'district' THEN 0 WHEN 'town' THEN 8 ELSE 11 END
ORDER BY c.id
