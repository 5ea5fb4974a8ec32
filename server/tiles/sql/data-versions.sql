-- The change counters a tile depends on, as one key (e.g. 'centers:4,grids:7').
--   $1 text[]  counter names (see data_versions in migration 0003)
SELECT coalesce(string_agg(name || ':' || version, ',' ORDER BY name), '') AS versions
FROM data_versions
WHERE name = ANY($1::text[])
