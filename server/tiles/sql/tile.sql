-- The tile every layer's selection reads, as the CTE `tile` (see compose.ts):
--   $1 z  $2 x  $3 y   the tile (validated to lie in the pyramid before it gets here)
--   $4 scope           the caller's center; layers of governance data keep to its subtree.
--                      Selections filter on $4 itself, not tile.scope: read from this CTE
--                      (materialised, as several selections use it) the planner cannot see
--                      its value and walks the scope's closure once per row.
-- env: the tile in Web Mercator, what ST_AsMVTGeom cuts to.
-- bbox: the tile with its 64-unit buffer, in WGS84: the box is transformed into the
--   tables' SRID, never the tables into the box's, so the GiST indexes answer.
-- tolerance: one tile unit (1/4096 of the tile) in degrees, for ST_Simplify.
SELECT $1::int AS z, $2::int AS x, $3::int AS y, $4::bigint AS scope,
       ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
       ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096), 4326) AS bbox,
       360.0 / (1 << $1::int) / 4096 AS tolerance
