INSERT INTO places (kind, poi_kind, name, rank, location)
SELECT p.kind, p.poi_kind, p.name, p.rank, ST_SetSRID(ST_MakePoint((p.lonlat ->> 0)::float8, (p.lonlat ->> 1)::float8), 4326)
FROM jsonb_to_recordset($1::jsonb) AS p(kind text, poi_kind text, name text, rank int, lonlat jsonb);
