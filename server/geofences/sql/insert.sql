-- A new key area. $1 name, $2 kind, $3 GeoJSON Polygon or MultiPolygon, $4 start
-- (NULL = now), $5 end (NULL = none), $6 center, $7 the user who drew it.
INSERT INTO geofences (name, kind, geom, starts_at, ends_at, center_id, created_by)
VALUES ($1, $2, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3::text), 4326)), coalesce($4::timestamptz, now()), $5, $6, $7)
RETURNING id
