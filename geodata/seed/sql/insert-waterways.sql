INSERT INTO basemap_waterways (class, name, geom)
SELECT f -> 'properties' ->> 'class', f -> 'properties' ->> 'name', ST_SetSRID(ST_GeomFromGeoJSON((f -> 'geometry')::text), 4326)
FROM jsonb_array_elements($1::jsonb -> 'features') AS f;
