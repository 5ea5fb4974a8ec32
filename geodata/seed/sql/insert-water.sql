INSERT INTO basemap_water (name, geom)
SELECT f -> 'properties' ->> 'name', ST_SetSRID(ST_GeomFromGeoJSON((f -> 'geometry')::text), 4326)
FROM jsonb_array_elements($1::jsonb -> 'features') AS f;
