-- The tile every layer's selection reads, as the CTE `tile` (see compose.ts):
--   $1 z  $2 x  $3 y   the tile (validated to lie in the pyramid before it gets here)
--   $4 scope           the caller's center; layers of governance data keep to its subtree.
--                      Selections filter on $4 itself, not tile.scope: read from this CTE
--                      (materialised, as several selections use it) the planner cannot see
--                      its value and walks the scope's closure once per row.
--   $5 dx  $6 dy       the datum shift of what is drawn at the tile centre, Web-Mercator metres (datum.ts;
--                      0, 0 for WGS84). Node moves each vertex into the datum afterwards;
--                      here the tile is only moved back by it, to find what is drawn in it.
-- The layer's own parameters follow from $7.
-- env: the tile in Web Mercator, what ST_AsMVTGeom cuts to.
-- bbox: the tile with its 64-unit buffer, moved back by the datum shift, in WGS84: the box
--   is transformed into the tables' SRID, never the tables into the box's, so the GiST
--   indexes answer.
-- tolerance: one tile unit (1/4096 of the tile) in degrees, for ST_Simplify.
-- cx0, cy0, cx1, cy1: the cells of zoom z + 5 (1/32 of the tile) that the cluster layers
--   count: the tile's own; when shifted, those of the tile moved back, one more all round
--   (Node keeps only the groups drawn inside the tile: compose.ts, `ownTileOnly`).
-- cells: those cells' box in WGS84.
SELECT $1::int AS z, $2::int AS x, $3::int AS y, $4::bigint AS scope,
       ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
       ST_Transform(ST_Translate(ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096), -$5::float8, -$6::float8), 4326) AS bbox,
       360.0 / (1 << $1::int) / 4096 AS tolerance,
       c.cx0, c.cy0, c.cx1, c.cy1,
       ST_MakeEnvelope(pingan_cell_lon(c.cx0, $1::int + 5), pingan_cell_lat(c.cy1 + 1, $1::int + 5),
                       pingan_cell_lon(c.cx1 + 1, $1::int + 5), pingan_cell_lat(c.cy0, $1::int + 5), 4326) AS cells
FROM (SELECT 40075016.685578488 / (1 << ($1::int + 5)) AS size) AS cell,
LATERAL (
  SELECT CASE WHEN $5::float8 = 0 AND $6::float8 = 0 THEN ($2::int << 5)
              ELSE greatest(floor(($2::int << 5) - $5::float8 / cell.size)::int - 1, 0) END AS cx0,
         CASE WHEN $5::float8 = 0 AND $6::float8 = 0 THEN (($2::int + 1) << 5) - 1
              ELSE least(floor((($2::int + 1) << 5) - $5::float8 / cell.size)::int + 1, (1 << ($1::int + 5)) - 1) END AS cx1,
         -- Rows count southwards, dy northwards.
         CASE WHEN $5::float8 = 0 AND $6::float8 = 0 THEN ($3::int << 5)
              ELSE greatest(floor(($3::int << 5) + $6::float8 / cell.size)::int - 1, 0) END AS cy0,
         CASE WHEN $5::float8 = 0 AND $6::float8 = 0 THEN (($3::int + 1) << 5) - 1
              ELSE least(floor((($3::int + 1) << 5) + $6::float8 / cell.size)::int + 1, (1 << ($1::int + 5)) - 1) END AS cy1
) AS c
