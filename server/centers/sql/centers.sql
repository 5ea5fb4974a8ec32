-- The governance centers of a jurisdiction, top level first. $1 scope center.
SELECT c.id, c.code, c.name, c.level, c.parent_id, ST_X(c.location) AS lon, ST_Y(c.location) AS lat
FROM centers AS c
WHERE c.id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
ORDER BY array_position(ARRAY['district', 'town', 'village'], c.level), c.code
