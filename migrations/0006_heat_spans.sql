-- Up Migration

-- Heat-map counts that stay fast at province scale (10 M incidents, 11,000 centers).
-- incident_bins (0003) kept a row per UTC day, cell, center and category. At that scale
-- they hardly aggregated (13.9 M bins for 10 M incidents), and a year's view summed
-- millions of rows. incident_heat instead
--  * counts per UTC day, ISO week and month, so a window is covered by whole months, then
--    whole weeks, then whole days, and only the hours at its two ends come from incidents
--    (pingan_heat_cover);
--  * holds the six categories as columns of one row instead of six rows;
--  * adds, at zoom 13, rows counting a root center's whole tree, so the province view sums
--    a row per cell instead of one per cell and center.
-- Counts stay exact. Irreversible: going back to 0003's bins means restoring a backup.
-- On a large database, run VACUUM (ANALYZE) incident_heat afterwards: the heat queries are
-- index-only scans, which read the heap until a vacuum has written the visibility map.

CREATE TABLE incident_heat (
  level       smallint NOT NULL CHECK (level IN (13, 17)),
  span        text NOT NULL CHECK (span IN ('day', 'week', 'month')),
  -- The span's first day (UTC; a week starts on Monday).
  period      date NOT NULL,
  cx          integer NOT NULL,
  cy          integer NOT NULL,
  -- true: the incidents of center_id's whole tree (roots only, level 13 only); false: of center_id itself.
  whole_tree  boolean NOT NULL,
  center_id   bigint NOT NULL,
  -- No CHECK (n >= 0): an update's negative half is checked as the row it would insert.
  n                  integer NOT NULL,
  n_dispute          integer NOT NULL,
  n_safety_hazard    integer NOT NULL,
  n_public_order     integer NOT NULL,
  n_city_management  integer NOT NULL,
  n_livelihood       integer NOT NULL,
  n_other            integer NOT NULL,
  -- The counts ride in the key's index so a window's cells are summed from the index alone.
  PRIMARY KEY (level, span, period, cx, cy, whole_tree, center_id)
    INCLUDE (n, n_dispute, n_safety_hazard, n_public_order, n_city_management, n_livelihood, n_other)
);

-- Adds (sign +1) or takes away (−1) incidents given as parallel arrays: one grouped upsert
-- for a whole statement's rows. Every writer of incident_heat goes through here.
CREATE FUNCTION incident_heat_apply(p_location geometry[], p_reported_at timestamptz[], p_center bigint[],
                                    p_category text[], p_sign int[])
RETURNS void LANGUAGE sql AS $$
  WITH r AS (
    SELECT * FROM unnest(p_location, p_reported_at, p_center, p_category, p_sign) AS r (location, reported_at, center_id, category, d)
  ),
  own AS (
    SELECT lv.level, s.span, date_trunc(s.span, r.reported_at AT TIME ZONE 'UTC')::date AS period,
           pingan_cell_x(ST_X(r.location), lv.level) AS cx, pingan_cell_y(ST_Y(r.location), lv.level) AS cy,
           r.center_id, r.category, r.d
    FROM r
    CROSS JOIN (VALUES (13::smallint), (17::smallint)) AS lv (level)
    CROSS JOIN (VALUES ('day'), ('week'), ('month')) AS s (span)
  ),
  owned AS (
    SELECT level, span, period, cx, cy, false AS whole_tree, center_id, category, d FROM own
    UNION ALL
    SELECT o.level, o.span, o.period, o.cx, o.cy, true, t.ancestor_id, o.category, o.d
    FROM own AS o
    JOIN center_tree AS t ON t.center_id = o.center_id
    JOIN centers AS root ON root.id = t.ancestor_id AND root.parent_id IS NULL
    WHERE o.level = 13
  )
  INSERT INTO incident_heat AS h (level, span, period, cx, cy, whole_tree, center_id,
                                  n, n_dispute, n_safety_hazard, n_public_order, n_city_management, n_livelihood, n_other)
  SELECT level, span, period, cx, cy, whole_tree, center_id, sum(d),
         coalesce(sum(d) FILTER (WHERE category = 'dispute'), 0), coalesce(sum(d) FILTER (WHERE category = 'safety_hazard'), 0),
         coalesce(sum(d) FILTER (WHERE category = 'public_order'), 0), coalesce(sum(d) FILTER (WHERE category = 'city_management'), 0),
         coalesce(sum(d) FILTER (WHERE category = 'livelihood'), 0), coalesce(sum(d) FILTER (WHERE category = 'other'), 0)
  FROM owned
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (level, span, period, cx, cy, whole_tree, center_id) DO UPDATE
  SET n = h.n + EXCLUDED.n,
      n_dispute = h.n_dispute + EXCLUDED.n_dispute,
      n_safety_hazard = h.n_safety_hazard + EXCLUDED.n_safety_hazard,
      n_public_order = h.n_public_order + EXCLUDED.n_public_order,
      n_city_management = h.n_city_management + EXCLUDED.n_city_management,
      n_livelihood = h.n_livelihood + EXCLUDED.n_livelihood,
      n_other = h.n_other + EXCLUDED.n_other
$$;

CREATE FUNCTION incident_heat_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its trigger declares.
  IF TG_OP = 'INSERT' THEN
    PERFORM incident_heat_apply(array_agg(location), array_agg(reported_at), array_agg(center_id), array_agg(category), array_agg(1))
    FROM added HAVING count(*) > 0;
    PERFORM incident_extents_grow(center_id, ST_Extent(location), min(reported_at), max(reported_at))
    FROM added GROUP BY center_id ORDER BY center_id;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM incident_heat_apply(array_agg(location), array_agg(reported_at), array_agg(center_id), array_agg(category), array_agg(-1))
    FROM removed HAVING count(*) > 0;
  ELSE
    -- Workflow steps change none of these columns: such updates cost no write here.
    PERFORM incident_heat_apply(array_agg(c.location), array_agg(c.reported_at), array_agg(c.center_id), array_agg(c.category), array_agg(c.d))
    FROM (
      SELECT a.location, a.reported_at, a.center_id, a.category, 1 AS d, a.id FROM added AS a
      UNION ALL
      SELECT r.location, r.reported_at, r.center_id, r.category, -1, r.id FROM removed AS r
    ) AS c
    WHERE c.id IN (
      SELECT a.id FROM added AS a JOIN removed AS r USING (id)
      WHERE (a.location, a.reported_at, a.center_id, a.category) IS DISTINCT FROM (r.location, r.reported_at, r.center_id, r.category)
    )
    HAVING count(*) > 0;
    PERFORM incident_extents_grow(center_id, ST_Extent(location), min(reported_at), max(reported_at))
    FROM added GROUP BY center_id ORDER BY center_id;
  END IF;
  RETURN NULL;
END $$;

-- The whole-tree rows follow the center tree: a center moved to another root moves its counts.
CREATE FUNCTION incident_heat_rebuild_trees() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incident_heat WHERE whole_tree;
  INSERT INTO incident_heat (level, span, period, cx, cy, whole_tree, center_id,
                             n, n_dispute, n_safety_hazard, n_public_order, n_city_management, n_livelihood, n_other)
  SELECT h.level, h.span, h.period, h.cx, h.cy, true, t.ancestor_id,
         sum(h.n), sum(h.n_dispute), sum(h.n_safety_hazard), sum(h.n_public_order), sum(h.n_city_management), sum(h.n_livelihood), sum(h.n_other)
  FROM incident_heat AS h
  JOIN center_tree AS t ON t.center_id = h.center_id
  JOIN centers AS root ON root.id = t.ancestor_id AND root.parent_id IS NULL
  WHERE h.level = 13 AND NOT h.whole_tree
  GROUP BY 1, 2, 3, 4, 5, 7
  HAVING sum(h.n) <> 0;
  RETURN NULL;
END $$;
-- After center_tree_sync (triggers of one event fire in name order), which it reads.
CREATE TRIGGER center_tree_sync_heat AFTER UPDATE OF parent_id ON centers
  FOR EACH STATEMENT EXECUTE FUNCTION incident_heat_rebuild_trees();

DROP TRIGGER incidents_bins_insert ON incidents;
DROP TRIGGER incidents_bins_update ON incidents;
DROP TRIGGER incidents_bins_delete ON incidents;
DROP TRIGGER incidents_bins_truncate ON incidents;
DROP FUNCTION incident_bins_clear(), incident_bins_sync(), incident_bins_rows(geometry, timestamptz);
DROP TABLE incident_bins;

CREATE TRIGGER incidents_heat_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION incident_heat_sync();
CREATE TRIGGER incidents_heat_update AFTER UPDATE ON incidents REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION incident_heat_sync();
CREATE TRIGGER incidents_heat_delete AFTER DELETE ON incidents REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION incident_heat_sync();

CREATE FUNCTION incident_heat_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incident_heat;
  DELETE FROM incident_extents;
  RETURN NULL;
END $$;
CREATE TRIGGER incidents_heat_truncate AFTER TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_heat_clear();

-- Incidents already stored, a slice of ids at a time: one upsert of 10 M would hold them all in memory.
SELECT incident_heat_apply(array_agg(location), array_agg(reported_at), array_agg(center_id), array_agg(category), array_agg(1))
FROM incidents GROUP BY id / 200000;

-- The window [p_from, p_to) as whole UTC months, then whole ISO weeks and whole days of what
-- the months leave, and the hours left at either end ('raw': counted from incidents). An
-- open end (infinity) is cut at the start of today; what lies after is raw.
CREATE FUNCTION pingan_heat_cover(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (span text, t0 timestamptz, t1 timestamptz)
-- A year is some 32 pieces: said so, the planner probes incident_heat's key per piece
-- instead of expecting the default thousand rows and hashing the whole table.
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 32 AS $$
DECLARE
  -- In UTC wall time (timestamp), so that adding a month never meets a daylight-saving jump.
  todo tsrange[] := ARRAY[tsrange(p_from AT TIME ZONE 'UTC', p_to AT TIME ZONE 'UTC')];
  left_over tsrange[];
  part tsrange;
  unit text;
  step interval;
  a timestamp;
  b timestamp;
  s timestamp;
  e timestamp;
BEGIN
  IF NOT p_from < p_to THEN
    RETURN;
  END IF;
  FOREACH unit IN ARRAY ARRAY['month', 'week', 'day'] LOOP
    step := ('1 ' || unit)::interval;
    left_over := '{}';
    FOREACH part IN ARRAY todo LOOP
      a := lower(part);
      b := upper(part);
      s := date_trunc(unit, a);
      IF s < a THEN
        s := s + step;
      END IF;
      e := date_trunc(unit, CASE WHEN isfinite(b) THEN b ELSE greatest(a, now() AT TIME ZONE 'UTC') END);
      IF isfinite(a) AND s < e THEN
        IF a < s THEN
          left_over := left_over || tsrange(a, s);
        END IF;
        IF e < b THEN
          left_over := left_over || tsrange(e, b);
        END IF;
        WHILE s < e LOOP
          span := unit;
          t0 := s AT TIME ZONE 'UTC';
          t1 := (s + step) AT TIME ZONE 'UTC';
          RETURN NEXT;
          s := s + step;
        END LOOP;
      ELSE
        left_over := left_over || part;
      END IF;
    END LOOP;
    todo := left_over;
  END LOOP;
  FOREACH part IN ARRAY todo LOOP
    span := 'raw';
    t0 := lower(part) AT TIME ZONE 'UTC';
    t1 := upper(part) AT TIME ZONE 'UTC';
    RETURN NEXT;
  END LOOP;
END $$;

-- Incidents of a jurisdiction counted per map cell of zoom `p_level` (cells x0..x1, y0..y1),
-- reported in [p_from, p_to), optionally of one category. Exact: the window's whole months,
-- weeks and days come from incident_heat (summed up from the finest stored level at least as
-- fine as asked), the hours at its ends, and every cell finer than zoom 17, from incidents.
-- The heat-map endpoint and the incident-cluster tiles both read it.
CREATE OR REPLACE FUNCTION pingan_incident_heat(p_scope bigint, p_level int, p_x0 int, p_y0 int, p_x1 int, p_y1 int,
                                                p_from timestamptz, p_to timestamptz, p_category text)
RETURNS TABLE (cx integer, cy integer, n bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH plan AS (
    SELECT CASE WHEN p_level <= 13 THEN 13 ELSE 17 END AS stored,
           -- A root's whole tree is one row per cell at zoom 13; any other scope sums its centers' rows.
           p_level <= 13 AND NOT EXISTS (SELECT 1 FROM centers WHERE id = p_scope AND parent_id IS NOT NULL) AS whole_tree
  ),
  cover AS (
    SELECT c.span, c.t0, c.t1 FROM pingan_heat_cover(p_from, p_to) AS c WHERE p_level <= 17
    UNION ALL
    SELECT 'raw', p_from, p_to WHERE p_level > 17 AND p_from < p_to
  ),
  from_bins AS (
    SELECT h.cx >> (p.stored - p_level) AS cx, h.cy >> (p.stored - p_level) AS cy,
           sum(CASE p_category WHEN 'dispute' THEN h.n_dispute WHEN 'safety_hazard' THEN h.n_safety_hazard
                               WHEN 'public_order' THEN h.n_public_order WHEN 'city_management' THEN h.n_city_management
                               WHEN 'livelihood' THEN h.n_livelihood WHEN 'other' THEN h.n_other ELSE h.n END) AS n
    FROM plan AS p
    JOIN cover AS c ON c.span <> 'raw'
    JOIN incident_heat AS h
      ON h.level = p.stored AND h.span = c.span AND h.period = (c.t0 AT TIME ZONE 'UTC')::date
     AND h.cx BETWEEN p_x0 << (p.stored - p_level) AND ((p_x1 + 1) << (p.stored - p_level)) - 1
     AND h.cy BETWEEN p_y0 << (p.stored - p_level) AND ((p_y1 + 1) << (p.stored - p_level)) - 1
     AND h.whole_tree = p.whole_tree
    -- The scope as a subquery, not a CTE: the planner probes center_tree's key per row
    -- instead of scanning a CTE of a province's 11,000 centers per row.
    WHERE CASE WHEN p.whole_tree THEN h.center_id = p_scope
               ELSE h.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = p_scope) END
    GROUP BY 1, 2
  ),
  -- Each raw range is searched on its own (LATERAL), by time for short ones and by place for
  -- the others: left to choose, the planner would read a province tile's millions of
  -- incidents through the spatial index to find the few thousand of one day.
  by_time AS (
    SELECT i.location, i.center_id, i.category
    FROM cover AS r
    CROSS JOIN LATERAL (
      SELECT location, center_id, category FROM incidents
      WHERE reported_at >= r.t0 AND reported_at < r.t1
      OFFSET 0 -- keeps the range's own scan from being merged into a join the planner reorders
    ) AS i
    WHERE r.span = 'raw' AND r.t1 <= r.t0 + interval '2 days' -- not t1 - t0: PostgreSQL 15 cannot subtract infinity
  ),
  by_place AS (
    SELECT i.location, i.center_id, i.category
    FROM cover AS r
    CROSS JOIN LATERAL (
      SELECT location, center_id, category FROM incidents
      WHERE reported_at >= r.t0 AND reported_at < r.t1
        AND location && ST_MakeEnvelope(pingan_cell_lon(p_x0, p_level), pingan_cell_lat(p_y1 + 1, p_level),
                                        pingan_cell_lon(p_x1 + 1, p_level), pingan_cell_lat(p_y0, p_level), 4326)
      OFFSET 0
    ) AS i
    WHERE r.span = 'raw' AND NOT r.t1 <= r.t0 + interval '2 days'
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
  HAVING sum(n) > 0 -- rows emptied by updates stay behind with n = 0
$$;
