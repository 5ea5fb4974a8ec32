-- The command map's search box: grids, cameras and incidents of a jurisdiction and the
-- base map's place names in and around it, best hit first.
--   $1 scope center   grids, cameras and incidents of centers in its subtree only;
--                     places (geography) within 0.02° (about 2 km) of its general grids
--   $2 text           trimmed, 1-64 characters; compared as plain text, never as a pattern
--   $3 limit          hits in all, and at most this many of each kind
--   $4, $5, $6        whether the caller may read grids, cameras, incidents (the role table)
-- match rank: 0 the code, number or name is the text; 1 it starts with the text; 2 the name
-- holds it. Then by kind (grid, incident, camera, place), then within a kind. Codes and
-- numbers are upper case, so the text is upper-cased for them; names compare lower-cased.
-- Each kind is cut to $3 hits in the final order first, so each reads only a few rows:
-- cameras by code and incidents by number are one range of their byte-order indexes
-- (migration 0004) per prefix, read in order ([prefix, prefix || U+10FFFF) holds every
-- string that starts with the prefix; starts_with() rechecks it).
WITH area AS (
  SELECT ST_Expand(ST_Extent(geom), 0.02) AS box
  FROM grids
  WHERE kind = 'general' AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
),
hits AS (
  (SELECT * FROM (
     SELECT 'grid' AS kind, 0 AS kind_order, g.id, g.name AS label, g.code,
            CASE WHEN g.kind = 'general' THEN 'level-' || g.level ELSE g.department END AS detail,
            CASE WHEN g.code = upper($2::text) OR lower(g.name) = lower($2::text) THEN 0
                 WHEN starts_with(g.code, upper($2::text)) OR starts_with(lower(g.name), lower($2::text)) THEN 1
                 ELSE 2 END AS rank,
            g.level::int AS sub, g.code AS sort_key,
            ST_XMin(g.geom) AS min_lon, ST_YMin(g.geom) AS min_lat, ST_XMax(g.geom) AS max_lon, ST_YMax(g.geom) AS max_lat,
            ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat
     FROM grids AS g
     WHERE $4::boolean
       AND g.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
       AND (starts_with(g.code, upper($2::text)) OR strpos(lower(g.name), lower($2::text)) > 0)
   ) AS grid_hits
   ORDER BY rank, sub, sort_key COLLATE "C", id
   LIMIT $3)
  UNION ALL
  (SELECT 'incident', 1, i.id, i.number, i.number, i.category,
          CASE WHEN i.number = upper($2::text) THEN 0 ELSE 1 END, 0, i.number,
          ST_X(i.location), ST_Y(i.location), ST_X(i.location), ST_Y(i.location), ST_X(i.location), ST_Y(i.location)
   FROM incidents AS i
   WHERE $6::boolean
     AND i.number COLLATE "C" >= upper($2::text)
     AND i.number COLLATE "C" < upper($2::text) || chr(1114111)
     AND starts_with(i.number, upper($2::text))
     AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
   ORDER BY i.number COLLATE "C"
   LIMIT $3)
  UNION ALL
  (SELECT 'camera', 2, c.id, c.name, c.code, c.source,
          CASE WHEN c.code = upper($2::text) THEN 0 ELSE 1 END, 0, c.code,
          ST_X(c.location), ST_Y(c.location), ST_X(c.location), ST_Y(c.location), ST_X(c.location), ST_Y(c.location)
   FROM cameras AS c
   WHERE $5::boolean
     AND c.code COLLATE "C" >= upper($2::text)
     AND c.code COLLATE "C" < upper($2::text) || chr(1114111)
     AND starts_with(c.code, upper($2::text))
     AND c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
   ORDER BY c.code COLLATE "C"
   LIMIT $3)
  UNION ALL
  (SELECT * FROM (
     SELECT 'place' AS kind, 3 AS kind_order, p.id, p.name AS label, NULL::text AS code, coalesce(p.poi_kind, p.kind) AS detail,
            CASE WHEN lower(p.name) = lower($2::text) THEN 0
                 WHEN starts_with(lower(p.name), lower($2::text)) THEN 1
                 ELSE 2 END AS rank,
            p.rank::int AS sub, p.name AS sort_key,
            ST_X(p.location) AS min_lon, ST_Y(p.location) AS min_lat, ST_X(p.location) AS max_lon, ST_Y(p.location) AS max_lat,
            ST_X(p.location) AS lon, ST_Y(p.location) AS lat
     FROM places AS p
     CROSS JOIN area AS a
     WHERE p.location && a.box
       AND strpos(lower(p.name), lower($2::text)) > 0
   ) AS place_hits
   ORDER BY rank, sub, sort_key COLLATE "C", id
   LIMIT $3)
)
SELECT kind, id, label, code, detail, rank, min_lon, min_lat, max_lon, max_lat, lon, lat
FROM hits
ORDER BY rank, kind_order, sub, sort_key COLLATE "C", id
LIMIT $3
