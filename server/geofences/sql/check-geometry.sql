-- Whether a drawn key area can be stored: a valid geometry (PostGIS's reason when not,
-- e.g. "Self-intersection[106.61 30.45]") that overlaps the jurisdiction's general grids
-- (an area elsewhere would alert a center about incidents it cannot see).
-- $1 GeoJSON Polygon or MultiPolygon, $2 scope center.
WITH drawn AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326) AS geom)
SELECT ST_IsValid(drawn.geom) AS valid,
       ST_IsValidReason(drawn.geom) AS reason,
       -- Intersecting an invalid geometry may fail in GEOS: only asked of a valid one.
       CASE WHEN ST_IsValid(drawn.geom) THEN EXISTS (
         SELECT 1 FROM grids AS g
         WHERE g.kind = 'general' AND ST_Intersects(g.geom, drawn.geom)
           AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)
       ) END AS in_jurisdiction
FROM drawn
