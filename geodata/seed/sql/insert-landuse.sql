INSERT INTO basemap_landuse (kind, name, geom)
SELECT f -> 'properties' ->> 'kind', f -> 'properties' ->> 'name', ST_SetSRID(ST_GeomFromGeoJSON((f -> 'geometry')::text), 4326)
FROM jsonb_array_elements($1::jsonb -> 'features') AS f;
