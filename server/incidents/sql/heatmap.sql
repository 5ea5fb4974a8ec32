-- Incidents of a jurisdiction counted per map cell (a Web Mercator tile of zoom $2), each
-- with its centre in WGS84, for heat maps. pingan_incident_heat (migration 0003) reads the
-- per-day pre-aggregation for whole days and incidents for the rest, so counts are exact.
--   $1 scope center   $2 cell zoom   $3..$6 cells x0, y0, x1, y1 (inclusive)
--   $7 from, $8 to (reported in [from, to))   $9 category (NULL = any)
SELECT pingan_cell_lon(h.cx + 0.5, $2::int) AS lon, pingan_cell_lat(h.cy + 0.5, $2::int) AS lat, h.n
FROM pingan_incident_heat($1::bigint, $2::int, $3::int, $4::int, $5::int, $6::int, $7::timestamptz, $8::timestamptz, $9::text) AS h
ORDER BY h.cy, h.cx
