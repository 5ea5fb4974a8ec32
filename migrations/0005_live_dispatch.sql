-- Up Migration
-- Live incidents and dispatch: attribution at intake, deadlines and overdue flags,
-- merges, the units' latest positions for nearest-unit search, key areas (geofences),
-- and the outbox of live events every server process streams from.

-- ─── incidents: what intake and the workflow add ─────────────────────────────────────
ALTER TABLE incidents
  -- SHA-256 of the intake request: the same idempotency key with other content is refused.
  ADD COLUMN request_hash      bytea CHECK (length(request_hash) = 32),
  -- Where the incident landed at intake: grid chain, specialist grids, leader chain (see pingan_attribute).
  ADD COLUMN attribution       jsonb,
  -- Outside every grid and attributed to the nearest one (INTAKE_OUTSIDE=nearest).
  ADD COLUMN outside_flag      boolean NOT NULL DEFAULT false,
  ADD COLUMN merged_into       bigint REFERENCES incidents (id),
  -- 督办: when the sweep found it past its deadline while still open.
  ADD COLUMN overdue_at        timestamptz,
  -- Who handles it now (the last dispatch or transfer).
  ADD COLUMN assignee_kind     text CHECK (assignee_kind IN ('patrol_unit', 'staff', 'department', 'center')),
  ADD COLUMN assignee_id       bigint,
  ADD COLUMN assignee_name     text CHECK (length(assignee_name) <= 100),
  ADD CONSTRAINT incidents_not_merged_into_itself CHECK (merged_into IS DISTINCT FROM id);
CREATE INDEX incidents_assignee_idx ON incidents (assignee_kind, assignee_id) WHERE status <> 'closed';
CREATE INDEX incidents_overdue_idx ON incidents (center_id, overdue_at) WHERE overdue_at IS NOT NULL AND status <> 'closed';
CREATE INDEX incidents_status_idx ON incidents (center_id, status, reported_at DESC);
-- Likely duplicates: same category, close in place and time.
CREATE INDEX incidents_category_time_idx ON incidents (category, reported_at);

-- Photos a reporter attaches (grid-worker page). Content-addressed per incident, so an
-- upload retried from an offline queue stores the photo once.
CREATE TABLE incident_photos (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id   bigint NOT NULL REFERENCES incidents (id),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes         bytea NOT NULL CHECK (length(bytes) BETWEEN 1 AND 8388608),
  sha256        bytea NOT NULL CHECK (length(sha256) = 32),
  uploaded_by   bigint REFERENCES users (id),
  at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (incident_id, sha256)
);

-- ─── deadlines per category and severity (hours from the report) ────────────────────
CREATE TABLE incident_deadlines (
  category  text NOT NULL CHECK (category IN ('dispute', 'safety_hazard', 'public_order', 'city_management', 'livelihood', 'other')),
  severity  text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  hours     integer NOT NULL CHECK (hours BETWEEN 1 AND 2160),
  PRIMARY KEY (category, severity)
);
-- Defaults: critical within 2 h, high within a day, medium within three days, low within a week;
-- safety hazards and public order tighter, livelihood matters looser.
INSERT INTO incident_deadlines (category, severity, hours)
SELECT c.category, s.severity, greatest(1, round(s.hours * c.factor))::int
FROM (VALUES ('dispute', 1.0), ('safety_hazard', 0.5), ('public_order', 0.5), ('city_management', 1.0), ('livelihood', 1.5), ('other', 1.0))
       AS c (category, factor)
CROSS JOIN (VALUES ('low', 168), ('medium', 72), ('high', 24), ('critical', 4)) AS s (severity, hours);

CREATE FUNCTION incidents_default_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.due_at IS NULL THEN
    SELECT NEW.reported_at + make_interval(hours => d.hours) INTO NEW.due_at
    FROM incident_deadlines AS d WHERE d.category = NEW.category AND d.severity = NEW.severity;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER incidents_default_due BEFORE INSERT ON incidents
  FOR EACH ROW EXECUTE FUNCTION incidents_default_due();

-- ─── attribution ─────────────────────────────────────────────────────────────────────
-- The level-3 general grid a point falls in (on a shared boundary: the lowest id, flagged),
-- else, when p_nearest, the nearest level-3 grid (flagged outside); its center; and the
-- attribution record: the grid chain up to level 1, the deepest specialist grid of each
-- department, and the grid leaders from level 3 up. No row: outside every grid.
-- "Boundary" means another level-3 grid lies within p_boundary_m metres.
CREATE FUNCTION pingan_attribute(p geometry, p_nearest boolean, p_boundary_m float8)
RETURNS TABLE (grid_id bigint, center_id bigint, boundary_flag boolean, outside_flag boolean, attribution jsonb)
LANGUAGE sql STABLE AS $$
  WITH hit AS (
    SELECT g.id, false AS outside
    FROM grids AS g
    WHERE g.kind = 'general' AND g.level = 3 AND ST_Intersects(g.geom, p)
    ORDER BY g.id
    LIMIT 1
  ), chosen AS (
    SELECT id, outside FROM hit
    UNION ALL
    SELECT n.id, true FROM (
      SELECT g.id FROM grids AS g
      WHERE p_nearest AND g.kind = 'general' AND g.level = 3 AND NOT EXISTS (SELECT 1 FROM hit)
      ORDER BY g.geom <-> p
      LIMIT 1
    ) AS n
  ), chain AS (
    SELECT g3.id AS g3, g3.parent_id AS g2, g2.parent_id AS g1, g3.center_id
    FROM chosen JOIN grids AS g3 ON g3.id = chosen.id
    LEFT JOIN grids AS g2 ON g2.id = g3.parent_id
  )
  SELECT chain.g3, chain.center_id,
         NOT chosen.outside AND EXISTS (
           SELECT 1 FROM grids AS o
           WHERE o.kind = 'general' AND o.level = 3 AND o.id <> chain.g3
             -- The index prefilter in degrees, wide enough east–west at the point's latitude
             -- (a degree of longitude shrinks with cos(latitude)); the geography test decides.
             AND ST_DWithin(o.geom, p, greatest(p_boundary_m / (111000.0 * cos(radians(least(abs(ST_Y(p)), 85)))), 1e-6))
             AND ST_DWithin(o.geom::geography, p::geography, p_boundary_m)
         ),
         chosen.outside,
         jsonb_build_object(
           'grids', jsonb_build_array(chain.g1, chain.g2, chain.g3),
           'specialist', coalesce((
             SELECT jsonb_agg(jsonb_build_object('department', s.department, 'gridId', s.id) ORDER BY s.department)
             FROM (
               SELECT DISTINCT ON (sg.department) sg.department, sg.id
               FROM grids AS sg
               WHERE sg.kind = 'specialist' AND ST_Intersects(sg.geom, p)
               ORDER BY sg.department, sg.level DESC, sg.id
             ) AS s
           ), '[]'::jsonb),
           'leaders', coalesce((
             SELECT jsonb_agg(jsonb_build_object('gridId', gs.grid_id, 'staffId', st.id, 'name', st.name) ORDER BY lv.n)
             FROM (VALUES (1, chain.g3), (2, chain.g2), (3, chain.g1)) AS lv (n, grid_id)
             JOIN grid_staff AS gs ON gs.grid_id = lv.grid_id AND gs.duty = 'leader'
             JOIN staff AS st ON st.id = gs.staff_id
           ), '[]'::jsonb)
         )
  FROM chain CROSS JOIN chosen
$$;

-- ─── patrol units' latest position (nearest-unit search is a KNN on this) ────────────
ALTER TABLE patrol_units
  ADD COLUMN last_location     geometry(Point, 4326) CHECK (last_location IS NULL OR pingan_is_lonlat(last_location)),
  ADD COLUMN last_reported_at  timestamptz,
  ADD COLUMN last_speed_kmh    real,
  ADD COLUMN last_heading      real;
CREATE INDEX patrol_units_last_location_idx ON patrol_units USING gist (last_location);

CREATE FUNCTION patrol_units_track_latest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE patrol_units AS u
  SET last_location = n.location, last_reported_at = n.reported_at, last_speed_kmh = n.speed_kmh, last_heading = n.heading
  FROM (
    SELECT DISTINCT ON (unit_id) unit_id, location, reported_at, speed_kmh, heading
    FROM added ORDER BY unit_id, reported_at DESC, id DESC
  ) AS n
  WHERE u.id = n.unit_id AND (u.last_reported_at IS NULL OR n.reported_at >= u.last_reported_at);
  RETURN NULL;
END $$;
CREATE TRIGGER patrol_positions_latest AFTER INSERT ON patrol_positions REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION patrol_units_track_latest();
UPDATE patrol_units AS u
SET last_location = n.location, last_reported_at = n.reported_at, last_speed_kmh = n.speed_kmh, last_heading = n.heading
FROM (
  SELECT DISTINCT ON (unit_id) unit_id, location, reported_at, speed_kmh, heading
  FROM patrol_positions ORDER BY unit_id, reported_at DESC, id DESC
) AS n
WHERE u.id = n.unit_id;

-- ─── key areas (重点区域) and the alerts incidents inside them raise ─────────────────
CREATE TABLE geofences (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind        text NOT NULL CHECK (kind IN ('school', 'station', 'event', 'site', 'other')),
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz,
  center_id   bigint NOT NULL REFERENCES centers (id),
  created_by  bigint REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT geofences_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  CONSTRAINT geofences_window CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX geofences_geom_idx ON geofences USING gist (geom);
CREATE INDEX geofences_center_idx ON geofences (center_id);

CREATE TABLE geofence_alerts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  geofence_id  bigint NOT NULL REFERENCES geofences (id) ON DELETE CASCADE,
  -- An alert is about its incident: it goes with it (incidents are only ever deleted by a reload or a test's clean-up).
  incident_id  bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (geofence_id, incident_id)
);
CREATE INDEX geofence_alerts_incident_idx ON geofence_alerts (incident_id);

CREATE FUNCTION geofence_alerts_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO geofence_alerts (geofence_id, incident_id, at)
  SELECT f.id, r.id, r.reported_at
  FROM added AS r
  JOIN geofences AS f ON ST_Intersects(f.geom, r.location)
   AND r.reported_at >= f.starts_at AND (f.ends_at IS NULL OR r.reported_at < f.ends_at)
   -- A center's key area alerts on incidents it may see, not on a neighbour's across the line.
   AND r.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = f.center_id)
  ORDER BY f.id, r.id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
-- Triggers of one event fire in name order: this one after incidents_live_insert, so a
-- live client hears of the incident before the alert it raised.
CREATE TRIGGER incidents_raise_geofence_alerts AFTER INSERT ON incidents REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION geofence_alerts_raise();

-- ─── the live outbox ─────────────────────────────────────────────────────────────────
-- One row per change a live client may need: an incident created or changed, a workflow
-- step, an overdue flag, a geofence alert, a patrol position. `center_id` is whose
-- jurisdiction it belongs to (NULL: everyone's, e.g. a resync after a bulk load).
-- Rows carry ids only; the stream reads the current rows when it sends. Writers take
-- one transaction-level advisory lock before their first row, so sequence numbers
-- become visible in commit order and a reader that has seen seq N has seen all below it.
CREATE TABLE live_events (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  kind         text NOT NULL CHECK (kind IN ('incident', 'step', 'overdue', 'alert', 'position', 'resync')),
  center_id    bigint,
  incident_id  bigint,
  ref_id       bigint
);
CREATE INDEX live_events_at_idx ON live_events (at);

-- The advisory lock key of the outbox (any constant, the same everywhere: server/live/outbox.ts).
CREATE FUNCTION pingan_live_lock() RETURNS void LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(7361002) $$;

-- Statements that touch more rows than this (bulk loads, the seed, mass flags) write one
-- resync row instead: clients reload their views rather than receive thousands of events.
CREATE FUNCTION pingan_live_limit() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 500 $$;

CREATE FUNCTION live_events_publish(p_rows int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF p_rows = 0 THEN RETURN false; END IF;
  PERFORM pingan_live_lock();
  IF p_rows > pingan_live_limit() THEN
    INSERT INTO live_events (kind) VALUES ('resync');
    PERFORM pg_notify('pingan_live', '');
    RETURN false;
  END IF;
  PERFORM pg_notify('pingan_live', '');
  RETURN true;
END $$;

CREATE FUNCTION live_incidents_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF live_events_publish((SELECT count(*)::int FROM added)) THEN
      INSERT INTO live_events (kind, center_id, incident_id) SELECT 'incident', center_id, id FROM added ORDER BY id;
    END IF;
  ELSE
    IF live_events_publish((SELECT count(*)::int FROM added)) THEN
      INSERT INTO live_events (kind, center_id, incident_id)
      SELECT k.kind, k.center_id, a.id
      FROM added AS a JOIN removed AS r ON r.id = a.id
      CROSS JOIN LATERAL (
        SELECT 'incident' AS kind, a.center_id
        -- Moved to another center (escalation, reassignment): the old one drops it from its views.
        UNION ALL SELECT 'incident', r.center_id WHERE r.center_id <> a.center_id
        UNION ALL SELECT 'overdue', a.center_id WHERE a.overdue_at IS NOT NULL AND r.overdue_at IS NULL
      ) AS k
      ORDER BY a.id;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER incidents_live_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION live_incidents_changed();
CREATE TRIGGER incidents_live_update AFTER UPDATE ON incidents REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION live_incidents_changed();

CREATE FUNCTION live_steps_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF live_events_publish((SELECT count(*)::int FROM added)) THEN
    INSERT INTO live_events (kind, center_id, incident_id, ref_id)
    SELECT 'step', i.center_id, e.incident_id, e.id FROM added AS e JOIN incidents AS i ON i.id = e.incident_id ORDER BY e.id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER incident_events_live AFTER INSERT ON incident_events REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION live_steps_added();

CREATE FUNCTION live_alerts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF live_events_publish((SELECT count(*)::int FROM added)) THEN
    INSERT INTO live_events (kind, center_id, incident_id, ref_id)
    SELECT 'alert', f.center_id, a.incident_id, a.id FROM added AS a JOIN geofences AS f ON f.id = a.geofence_id ORDER BY a.id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER geofence_alerts_live AFTER INSERT ON geofence_alerts REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION live_alerts_added();

CREATE FUNCTION live_positions_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF live_events_publish((SELECT count(*)::int FROM added)) THEN
    INSERT INTO live_events (kind, center_id, ref_id)
    SELECT 'position', t.center_id, p.id
    FROM added AS p JOIN patrol_units AS u ON u.id = p.unit_id JOIN patrol_teams AS t ON t.id = u.team_id
    ORDER BY p.id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER patrol_positions_live AFTER INSERT ON patrol_positions REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION live_positions_added();

-- ─── one step of a timeline, as the detail panel and the live stream show it ─────────
-- Times as JavaScript's toISOString writes them. Notes are free text an operator typed:
-- a mobile or ID number in one is masked as the reporter's own fields are.
CREATE FUNCTION pingan_timeline_step(e incident_events) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', e.id,
    'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'type', e.action,
    'fromStatus', e.from_status,
    'status', e.to_status,
    'actor', e.actor_name,
    'center', (SELECT json_build_object('id', c.id, 'name', c.name) FROM centers AS c WHERE c.id = e.center_id),
    'assignee', CASE WHEN e.assignee_kind IS NULL AND e.assignee_name IS NULL THEN NULL
                     ELSE json_build_object('kind', e.assignee_kind, 'name', e.assignee_name) END,
    'note', regexp_replace(
              regexp_replace(e.note, '([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])', '\1********\2', 'g'),
              '(1[3-9][0-9])[0-9]{4}([0-9]{4})', '\1****\2', 'g')
  )
$$;

-- ─── overdue sweep (督办) ────────────────────────────────────────────────────────────
-- Flags open incidents past their deadline, once each, with a 'supervise' step. Any
-- number of server processes may run it: the row update decides who flags.
CREATE FUNCTION pingan_flag_overdue(p_now timestamptz, p_limit int)
RETURNS TABLE (incident_id bigint) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pingan_live_lock();
  RETURN QUERY
  WITH due AS (
    SELECT i.id FROM incidents AS i
    WHERE i.status <> 'closed' AND i.due_at < p_now AND i.overdue_at IS NULL
    ORDER BY i.due_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  ), flagged AS (
    UPDATE incidents AS i SET overdue_at = p_now, updated_at = p_now
    FROM due WHERE i.id = due.id
    RETURNING i.id, i.status, i.center_id, i.due_at
  ), stepped AS (
    INSERT INTO incident_events (incident_id, action, from_status, to_status, actor_name, center_id, at)
    SELECT f.id, 'supervise', f.status, f.status, '系统督办', f.center_id, p_now
    FROM flagged AS f
    RETURNING incident_events.incident_id
  )
  SELECT stepped.incident_id FROM stepped;
END $$;

-- Down Migration
DROP FUNCTION IF EXISTS pingan_flag_overdue(timestamptz, int);
DROP FUNCTION IF EXISTS pingan_timeline_step(incident_events);
DROP TRIGGER IF EXISTS patrol_positions_live ON patrol_positions;
DROP TRIGGER IF EXISTS geofence_alerts_live ON geofence_alerts;
DROP TRIGGER IF EXISTS incident_events_live ON incident_events;
DROP TRIGGER IF EXISTS incidents_live_update ON incidents;
DROP TRIGGER IF EXISTS incidents_live_insert ON incidents;
DROP FUNCTION IF EXISTS live_positions_added(), live_alerts_added(), live_steps_added(), live_incidents_changed();
DROP FUNCTION IF EXISTS live_events_publish(int), pingan_live_limit(), pingan_live_lock();
DROP TABLE IF EXISTS live_events;
DROP TRIGGER IF EXISTS incidents_raise_geofence_alerts ON incidents;
DROP FUNCTION IF EXISTS geofence_alerts_raise();
DROP TABLE IF EXISTS geofence_alerts;
DROP TABLE IF EXISTS geofences;
DROP TRIGGER IF EXISTS patrol_positions_latest ON patrol_positions;
DROP FUNCTION IF EXISTS patrol_units_track_latest();
ALTER TABLE patrol_units DROP COLUMN IF EXISTS last_heading, DROP COLUMN IF EXISTS last_speed_kmh,
  DROP COLUMN IF EXISTS last_reported_at, DROP COLUMN IF EXISTS last_location;
DROP FUNCTION IF EXISTS pingan_attribute(geometry, boolean, float8);
DROP TRIGGER IF EXISTS incidents_default_due ON incidents;
DROP FUNCTION IF EXISTS incidents_default_due();
DROP TABLE IF EXISTS incident_deadlines;
DROP TABLE IF EXISTS incident_photos;
DROP INDEX IF EXISTS incidents_category_time_idx;
DROP INDEX IF EXISTS incidents_status_idx;
DROP INDEX IF EXISTS incidents_overdue_idx;
DROP INDEX IF EXISTS incidents_assignee_idx;
ALTER TABLE incidents DROP CONSTRAINT IF EXISTS incidents_not_merged_into_itself,
  DROP COLUMN IF EXISTS assignee_name, DROP COLUMN IF EXISTS assignee_id, DROP COLUMN IF EXISTS assignee_kind,
  DROP COLUMN IF EXISTS overdue_at, DROP COLUMN IF EXISTS merged_into, DROP COLUMN IF EXISTS outside_flag,
  DROP COLUMN IF EXISTS attribution, DROP COLUMN IF EXISTS request_hash;
