-- Where a reported point lands (pingan_attribute, migration 0005) and whether that is
-- within the caller's jurisdiction. No row: outside every grid.
--   $1 lon, $2 lat   $3 attribute points outside every grid to the nearest one
--   $4 boundary distance in metres   $5 scope center
SELECT a.grid_id, a.center_id, a.boundary_flag, a.outside_flag, a.attribution,
       (SELECT g.name FROM grids AS g WHERE g.id = a.grid_id) AS grid_name,
       (SELECT c.name FROM centers AS c WHERE c.id = a.center_id) AS center_name,
       a.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $5) AS in_scope
FROM pingan_attribute(ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326), $3::boolean, $4::float8) AS a
