-- Up Migration
-- What the spatial API needs beyond the domain: change counters that key the tile cache,
-- and incident counts pre-aggregated per map cell and day for heat maps.

-- One counter per kind of data the tiles draw. A statement trigger bumps it in the same
-- transaction as the change, so a reader that reads the counter before building a tile
-- can never cache an old picture under a new counter (see server/tiles/cache.ts).
CREATE TABLE data_versions (
  name     text PRIMARY KEY CHECK (name IN ('centers', 'grids', 'cameras', 'patrols', 'incidents', 'basemap')),
  version  bigint NOT NULL DEFAULT 0
);
INSERT INTO data_versions (name) VALUES ('centers'), ('grids'), ('cameras'), ('patrols'), ('incidents'), ('basemap');

CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;

CREATE TRIGGER centers_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON centers
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('centers');
CREATE TRIGGER grids_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('grids');
CREATE TRIGGER cameras_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cameras
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('cameras');
CREATE TRIGGER patrol_teams_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON patrol_teams
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('patrols');
CREATE TRIGGER patrol_routes_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON patrol_routes
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('patrols');
CREATE TRIGGER incidents_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('incidents');
CREATE TRIGGER basemap_roads_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON basemap_roads
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('basemap');
CREATE TRIGGER basemap_waterways_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON basemap_waterways
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('basemap');
CREATE TRIGGER basemap_water_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON basemap_water
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('basemap');
CREATE TRIGGER basemap_landuse_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON basemap_landuse
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('basemap');
CREATE TRIGGER places_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON places
  FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('basemap');

-- The column and row of the Web Mercator tile of zoom `level` that holds a WGS84 point
-- (the slippy-map numbering: x from −180° eastwards, y from the north edge southwards).
-- Plain arithmetic: ST_Transform for every incident of a province costs minutes.
CREATE FUNCTION pingan_cell_x(lon float8, level int) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT least(floor((lon + 180) / 360 * (1 << level)), (1 << level) - 1)::int
$$;
CREATE FUNCTION pingan_cell_y(lat float8, level int) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT least(greatest(floor((1 - ln(tan(radians(l)) + 1 / cos(radians(l))) / pi()) / 2 * (1 << level)), 0), (1 << level) - 1)::int
  FROM (SELECT greatest(least(lat, 85.0511), -85.0511) AS l) AS clamped
$$;

-- Incidents counted per reporting day (UTC), map cell, center and category at two cell
-- sizes: zoom-13 cells (≈ 4.2 km across at 30° N) for province and city views and zoom-17
-- cells (≈ 265 m) for district views. The heat-map endpoint sums whole days from here and
-- counts the partial days at the ends of its window from incidents itself, so its answer
-- is exact (server/incidents/sql/heatmap-*.sql). Kept in step by statement triggers with
-- transition tables: a batch insert of 10,000 incidents costs one grouped upsert.
CREATE TABLE incident_bins (
  level      smallint NOT NULL CHECK (level IN (13, 17)),
  day        date NOT NULL,
  cx         integer NOT NULL,
  cy         integer NOT NULL,
  center_id  bigint NOT NULL,
  category   text NOT NULL,
  -- No CHECK (n >= 0): an update's negative half is checked as the row it would insert.
  n          integer NOT NULL,
  -- n rides in the key's index so a window's cells are summed from the index alone.
  PRIMARY KEY (level, day, cx, cy, center_id, category) INCLUDE (n)
);

-- Where and when each center's incidents lie: grown by every insert and move, never shrunk
-- (a box that still covers every incident), so the OGC collection extent of a jurisdiction
-- sums a row per center instead of scanning its incidents.
CREATE TABLE incident_extents (
  center_id  bigint PRIMARY KEY,
  min_lon    float8 NOT NULL,
  min_lat    float8 NOT NULL,
  max_lon    float8 NOT NULL,
  max_lat    float8 NOT NULL,
  first_at   timestamptz NOT NULL,
  last_at    timestamptz NOT NULL
);

-- Grows a center's row to cover the incidents `added` (a transition table) brought it.
CREATE FUNCTION incident_extents_grow(p_center bigint, p_box box2d, p_first timestamptz, p_last timestamptz) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO incident_extents AS e (center_id, min_lon, min_lat, max_lon, max_lat, first_at, last_at)
  VALUES (p_center, ST_XMin(p_box), ST_YMin(p_box), ST_XMax(p_box), ST_YMax(p_box), p_first, p_last)
  ON CONFLICT (center_id) DO UPDATE
  SET min_lon = least(e.min_lon, EXCLUDED.min_lon), min_lat = least(e.min_lat, EXCLUDED.min_lat),
      max_lon = greatest(e.max_lon, EXCLUDED.max_lon), max_lat = greatest(e.max_lat, EXCLUDED.max_lat),
      first_at = least(e.first_at, EXCLUDED.first_at), last_at = greatest(e.last_at, EXCLUDED.last_at)
  -- Most new incidents fall inside what is known: no write then.
  WHERE EXCLUDED.min_lon < e.min_lon OR EXCLUDED.min_lat < e.min_lat OR EXCLUDED.max_lon > e.max_lon
     OR EXCLUDED.max_lat > e.max_lat OR EXCLUDED.first_at < e.first_at OR EXCLUDED.last_at > e.last_at
$$;

CREATE FUNCTION incident_bins_rows(p_location geometry, p_reported_at timestamptz)
RETURNS TABLE (level smallint, day date, cx integer, cy integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lv.level::smallint, (p_reported_at AT TIME ZONE 'UTC')::date,
         pingan_cell_x(ST_X(p_location), lv.level), pingan_cell_y(ST_Y(p_location), lv.level)
  FROM (VALUES (13), (17)) AS lv (level)
$$;

CREATE FUNCTION incident_bins_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its trigger declares.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO incident_bins AS b (level, day, cx, cy, center_id, category, n)
    SELECT c.level, c.day, c.cx, c.cy, r.center_id, r.category, count(*)
    FROM added AS r CROSS JOIN LATERAL incident_bins_rows(r.location, r.reported_at) AS c
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (level, day, cx, cy, center_id, category) DO UPDATE SET n = b.n + EXCLUDED.n;
    PERFORM incident_extents_grow(center_id, ST_Extent(location), min(reported_at), max(reported_at))
    FROM added GROUP BY center_id ORDER BY center_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE incident_bins AS b SET n = b.n - d.n
    FROM (
      SELECT c.level, c.day, c.cx, c.cy, r.center_id, r.category, count(*)::int AS n
      FROM removed AS r CROSS JOIN LATERAL incident_bins_rows(r.location, r.reported_at) AS c
      GROUP BY 1, 2, 3, 4, 5, 6
    ) AS d
    WHERE (b.level, b.day, b.cx, b.cy, b.center_id, b.category) = (d.level, d.day, d.cx, d.cy, d.center_id, d.category);
  ELSE
    -- Most updates are workflow steps that move no bin: their rows cancel out here.
    INSERT INTO incident_bins AS b (level, day, cx, cy, center_id, category, n)
    SELECT c.level, c.day, c.cx, c.cy, r.center_id, r.category, sum(r.d)
    FROM (
      SELECT location, reported_at, center_id, category, 1 AS d FROM added
      UNION ALL
      SELECT location, reported_at, center_id, category, -1 FROM removed
    ) AS r CROSS JOIN LATERAL incident_bins_rows(r.location, r.reported_at) AS c
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(r.d) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (level, day, cx, cy, center_id, category) DO UPDATE SET n = b.n + EXCLUDED.n;
    PERFORM incident_extents_grow(center_id, ST_Extent(location), min(reported_at), max(reported_at))
    FROM added GROUP BY center_id ORDER BY center_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER incidents_bins_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION incident_bins_sync();
CREATE TRIGGER incidents_bins_update AFTER UPDATE ON incidents REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION incident_bins_sync();
CREATE TRIGGER incidents_bins_delete AFTER DELETE ON incidents REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION incident_bins_sync();

CREATE FUNCTION incident_bins_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incident_bins;
  DELETE FROM incident_extents;
  RETURN NULL;
END $$;
CREATE TRIGGER incidents_bins_truncate AFTER TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_bins_clear();

-- Incidents already stored (a database migrated with data in it).
INSERT INTO incident_bins (level, day, cx, cy, center_id, category, n)
SELECT c.level, c.day, c.cx, c.cy, i.center_id, i.category, count(*)
FROM incidents AS i CROSS JOIN LATERAL incident_bins_rows(i.location, i.reported_at) AS c
GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO incident_extents (center_id, min_lon, min_lat, max_lon, max_lat, first_at, last_at)
SELECT center_id, min(ST_X(location)), min(ST_Y(location)), max(ST_X(location)), max(ST_Y(location)), min(reported_at), max(reported_at)
FROM incidents GROUP BY center_id;

-- The inverse: the WGS84 longitude of a cell column's west edge and the latitude of a
-- cell row's north edge (fractional columns and rows give points inside the cell).
CREATE FUNCTION pingan_cell_lon(x float8, level int) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT x / (1 << level) * 360 - 180
$$;
CREATE FUNCTION pingan_cell_lat(y float8, level int) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT degrees(atan(sinh(pi() * (1 - 2 * y / (1 << level)))))
$$;

-- Incidents of a jurisdiction counted per map cell of zoom `p_level` (cells x0..x1, y0..y1),
-- reported in [p_from, p_to), optionally of one category. Exact: whole UTC days come from
-- incident_bins (summed up from the finest stored level that is at least as fine), the
-- partial days at both ends, and any cell finer than the stored ones, from incidents. The
-- heat-map endpoint and the incident-cluster tiles both read it.
CREATE FUNCTION pingan_incident_heat(p_scope bigint, p_level int, p_x0 int, p_y0 int, p_x1 int, p_y1 int,
                                     p_from timestamptz, p_to timestamptz, p_category text)
RETURNS TABLE (cx integer, cy integer, n bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH window_days AS (
    -- The whole days inside the window; when there are none, first_day >= last_day.
    SELECT CASE WHEN p_level <= 17 THEN (date_trunc('day', p_from AT TIME ZONE 'UTC') + CASE WHEN p_from = date_trunc('day', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' THEN interval '0' ELSE interval '1 day' END)::date END AS first_day,
           CASE WHEN p_level <= 17 THEN (p_to AT TIME ZONE 'UTC')::date END AS last_day,
           CASE WHEN p_level <= 13 THEN 13 ELSE 17 END AS stored
  ),
  raw_ranges AS (
    -- The parts of the window that the stored days do not cover; `short` ones (the partial
    -- days at the ends, or a window of hours) are found by time, the rest by place.
    SELECT t0, t1, t1 <= t0 + interval '2 days' AS short -- not t1 - t0: PostgreSQL 15 cannot subtract infinity
    FROM (
      SELECT p_from AS t0, p_to AS t1 FROM window_days WHERE first_day IS NULL OR first_day >= last_day
      UNION ALL
      SELECT p_from, (first_day::timestamp AT TIME ZONE 'UTC') FROM window_days WHERE first_day < last_day
      UNION ALL
      SELECT (last_day::timestamp AT TIME ZONE 'UTC'), p_to FROM window_days WHERE first_day < last_day
    ) AS r
    WHERE t0 < t1
  ),
  from_bins AS (
    SELECT b.cx >> (w.stored - p_level) AS cx, b.cy >> (w.stored - p_level) AS cy, sum(b.n) AS n
    FROM window_days AS w
    JOIN incident_bins AS b
      ON b.level = w.stored AND b.day >= w.first_day AND b.day < w.last_day
     AND b.cx BETWEEN p_x0 << (w.stored - p_level) AND ((p_x1 + 1) << (w.stored - p_level)) - 1
     AND b.cy BETWEEN p_y0 << (w.stored - p_level) AND ((p_y1 + 1) << (w.stored - p_level)) - 1
    -- The scope as a subquery, not a CTE: the planner probes center_tree's key per row
    -- instead of scanning a CTE of a province's 11,000 centers per bin.
    WHERE w.first_day < w.last_day
      AND b.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = p_scope)
      AND (p_category IS NULL OR b.category = p_category)
    GROUP BY 1, 2
  ),
  -- Each range is searched on its own (LATERAL), by time for short ones and by place for
  -- the others: left to choose, the planner would read a province tile's millions of
  -- incidents through the spatial index to find the few thousand of one day.
  by_time AS (
    SELECT i.location, i.center_id, i.category
    FROM raw_ranges AS r
    CROSS JOIN LATERAL (
      SELECT location, center_id, category FROM incidents
      WHERE reported_at >= r.t0 AND reported_at < r.t1
      OFFSET 0 -- keeps the range's own scan from being merged into a join the planner reorders
    ) AS i
    WHERE r.short
  ),
  by_place AS (
    SELECT i.location, i.center_id, i.category
    FROM raw_ranges AS r
    CROSS JOIN LATERAL (
      SELECT location, center_id, category FROM incidents
      WHERE reported_at >= r.t0 AND reported_at < r.t1
        AND location && ST_MakeEnvelope(pingan_cell_lon(p_x0, p_level), pingan_cell_lat(p_y1 + 1, p_level),
                                        pingan_cell_lon(p_x1 + 1, p_level), pingan_cell_lat(p_y0, p_level), 4326)
      OFFSET 0
    ) AS i
    WHERE NOT r.short
  ),
  from_incidents AS (
    SELECT pingan_cell_x(ST_X(i.location), p_level) AS cx, pingan_cell_y(ST_Y(i.location), p_level) AS cy, count(*) AS n
    FROM (SELECT * FROM by_time UNION ALL SELECT * FROM by_place) AS i
    WHERE i.location && ST_MakeEnvelope(pingan_cell_lon(p_x0, p_level), pingan_cell_lat(p_y1 + 1, p_level),
                                        pingan_cell_lon(p_x1 + 1, p_level), pingan_cell_lat(p_y0, p_level), 4326)
      AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = p_scope)
      AND (p_category IS NULL OR i.category = p_category)
    GROUP BY 1, 2
  )
  SELECT cx, cy, sum(n)::bigint AS n
  FROM (SELECT * FROM from_bins UNION ALL SELECT * FROM from_incidents) AS counted
  WHERE cx BETWEEN p_x0 AND p_x1 AND cy BETWEEN p_y0 AND p_y1
  GROUP BY cx, cy
  HAVING sum(n) > 0 -- bins emptied by updates stay behind with n = 0
$$;

-- The incident list's other orders (its default, newest report first, has its index already).
CREATE INDEX incidents_occurred_idx ON incidents (occurred_at, id);
CREATE INDEX incidents_updated_idx ON incidents (updated_at, id);

-- Where a grid's name is written on the map: the centre of the largest circle inside it
-- (its pole of inaccessibility), which stays inside concave and ring-shaped grids.
ALTER TABLE grids ADD COLUMN label_point geometry(Point, 4326)
  GENERATED ALWAYS AS ((ST_MaximumInscribedCircle(geom)).center) STORED;

-- Down Migration
DROP INDEX IF EXISTS incidents_updated_idx;
DROP INDEX IF EXISTS incidents_occurred_idx;
ALTER TABLE grids DROP COLUMN IF EXISTS label_point;
DROP FUNCTION IF EXISTS pingan_incident_heat(bigint, int, int, int, int, int, timestamptz, timestamptz, text);
DROP FUNCTION IF EXISTS pingan_cell_lat(float8, int), pingan_cell_lon(float8, int);
DROP TRIGGER IF EXISTS incidents_bins_truncate ON incidents;
DROP TRIGGER IF EXISTS incidents_bins_delete ON incidents;
DROP TRIGGER IF EXISTS incidents_bins_update ON incidents;
DROP TRIGGER IF EXISTS incidents_bins_insert ON incidents;
DROP FUNCTION IF EXISTS incident_bins_clear(), incident_bins_sync(), incident_bins_rows(geometry, timestamptz);
DROP TABLE IF EXISTS incident_bins;
DROP FUNCTION IF EXISTS incident_extents_grow(bigint, box2d, timestamptz, timestamptz);
DROP TABLE IF EXISTS incident_extents;
DROP FUNCTION IF EXISTS pingan_cell_y(float8, int), pingan_cell_x(float8, int);
DROP TRIGGER IF EXISTS places_version ON places;
DROP TRIGGER IF EXISTS basemap_landuse_version ON basemap_landuse;
DROP TRIGGER IF EXISTS basemap_water_version ON basemap_water;
DROP TRIGGER IF EXISTS basemap_waterways_version ON basemap_waterways;
DROP TRIGGER IF EXISTS basemap_roads_version ON basemap_roads;
DROP TRIGGER IF EXISTS incidents_version ON incidents;
DROP TRIGGER IF EXISTS patrol_routes_version ON patrol_routes;
DROP TRIGGER IF EXISTS patrol_teams_version ON patrol_teams;
DROP TRIGGER IF EXISTS cameras_version ON cameras;
DROP TRIGGER IF EXISTS grids_version ON grids;
DROP TRIGGER IF EXISTS centers_version ON centers;
DROP FUNCTION IF EXISTS data_version_bump();
DROP TABLE IF EXISTS data_versions;
