-- Grids of one kind and level; parents and centers are found by code.
INSERT INTO grids (code, name, kind, level, department, parent_id, center_id, population, households, geom)
SELECT g.code, g.name, g.kind, g.level, g.department, p.id, c.id, g.population, g.households,
       ST_SetSRID(ST_GeomFromGeoJSON(g.geom::text), 4326)
FROM jsonb_to_recordset($1::jsonb) AS g(code text, name text, kind text, level int, department text, parent text,
                                       center text, population int, households int, geom jsonb)
JOIN centers c ON c.code = g.center
LEFT JOIN grids p ON p.code = g.parent
WHERE g.kind = $2 AND g.level = $3;
