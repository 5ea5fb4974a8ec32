-- Centers of one level; parents (the level above) are already in and found by code.
INSERT INTO centers (code, name, level, parent_id, location, address, phone)
SELECT c.code, c.name, c.level, p.id, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326), c.address, c.phone
FROM jsonb_to_recordset($1::jsonb) AS c(code text, name text, level text, parent text, lon float8, lat float8, address text, phone text)
LEFT JOIN centers p ON p.code = c.parent
WHERE c.level = $2;
