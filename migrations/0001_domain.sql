-- Up Migration
-- The whole domain of the product in one first step: governance centers, grids,
-- staff, cameras, patrols, incidents with their workflow events, users, and the
-- base-map layers. Geometry is WGS84 (SRID 4326); CGCS2000 differs by centimetres.
-- Enumerations are text with CHECK constraints so a later value is one ALTER away.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE FUNCTION pingan_is_lonlat(p geometry) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_X(p) BETWEEN -180 AND 180 AND ST_Y(p) BETWEEN -90 AND 90
$$;

-- 综治中心: district → town/street → village/community.
CREATE TABLE centers (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,40}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  level      text NOT NULL CHECK (level IN ('district', 'town', 'village')),
  parent_id  bigint REFERENCES centers (id),
  location   geometry(Point, 4326) NOT NULL CHECK (pingan_is_lonlat(location)),
  address    text,
  phone      text,
  CONSTRAINT centers_root_is_district CHECK ((level = 'district') = (parent_id IS NULL))
);
CREATE INDEX centers_parent_idx ON centers (parent_id);
CREATE INDEX centers_location_idx ON centers USING gist (location);

CREATE FUNCTION centers_check_level() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent_level text;
BEGIN
  IF NEW.parent_id IS NULL THEN RETURN NEW; END IF;
  SELECT level INTO parent_level FROM centers WHERE id = NEW.parent_id;
  IF (NEW.level, parent_level) NOT IN (('town', 'district'), ('village', 'town')) THEN
    RAISE EXCEPTION 'a % center cannot sit under a % center', NEW.level, coalesce(parent_level, 'missing')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'centers_level_rule';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER centers_level_rule BEFORE INSERT OR UPDATE OF level, parent_id ON centers
  FOR EACH ROW EXECUTE FUNCTION centers_check_level();

-- 网格: general grids of levels 1-3 (children partition their parent) and
-- specialist grids per department, which may cut across the general ones.
CREATE TABLE grids (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,40}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind        text NOT NULL CHECK (kind IN ('general', 'specialist')),
  level       smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  department  text CHECK (department IN ('police', 'judicial', 'civil_affairs', 'health', 'market_supervision', 'urban_management')),
  parent_id   bigint REFERENCES grids (id),
  center_id   bigint NOT NULL REFERENCES centers (id),
  population  integer NOT NULL DEFAULT 0 CHECK (population >= 0),
  households  integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT grids_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  CONSTRAINT grids_department_kind CHECK ((kind = 'specialist') = (department IS NOT NULL)),
  CONSTRAINT grids_top_level_has_no_parent CHECK ((level = 1) = (parent_id IS NULL))
);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);
-- Attribution of points (incidents, cameras) always looks for the level-3 general grid.
CREATE INDEX grids_level3_geom_idx ON grids USING gist (geom) WHERE kind = 'general' AND level = 3;
CREATE INDEX grids_parent_idx ON grids (parent_id);
CREATE INDEX grids_center_idx ON grids (center_id);
CREATE INDEX grids_kind_level_idx ON grids (kind, level, department);

CREATE FUNCTION grids_check_hierarchy() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE p grids%ROWTYPE; center_level text;
BEGIN
  IF NEW.parent_id IS NOT NULL THEN
    SELECT * INTO p FROM grids WHERE id = NEW.parent_id;
    IF p.level <> NEW.level - 1 OR p.kind <> NEW.kind OR p.department IS DISTINCT FROM NEW.department THEN
      RAISE EXCEPTION 'grid % (level %) cannot sit under grid % (level %, %)', NEW.code, NEW.level, p.code, p.level, p.kind
        USING ERRCODE = 'check_violation', CONSTRAINT = 'grids_level_rule';
    END IF;
  END IF;
  SELECT level INTO center_level FROM centers WHERE id = NEW.center_id;
  -- A street's grid belongs to the town center; communities and their blocks to the village center.
  IF NEW.kind = 'general' AND center_level <> (CASE WHEN NEW.level = 1 THEN 'town' ELSE 'village' END) THEN
    RAISE EXCEPTION 'a level % grid cannot belong to a % center', NEW.level, center_level
      USING ERRCODE = 'check_violation', CONSTRAINT = 'grids_center_level_rule';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER grids_level_rule BEFORE INSERT OR UPDATE OF level, kind, department, parent_id, center_id ON grids
  FOR EACH ROW EXECUTE FUNCTION grids_check_hierarchy();

-- 网格长 / 网格员 and the other people the center works with.
CREATE TABLE staff (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,40}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  phone      text CHECK (phone ~ '^[0-9+-]{5,20}$'),
  role       text NOT NULL CHECK (role IN ('grid_leader', 'grid_worker', 'mediator', 'volunteer')),
  center_id  bigint NOT NULL REFERENCES centers (id),
  active     boolean NOT NULL DEFAULT true
);
CREATE INDEX staff_center_idx ON staff (center_id);

CREATE TABLE grid_staff (
  grid_id   bigint NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
  staff_id  bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  duty      text NOT NULL CHECK (duty IN ('leader', 'worker')),
  PRIMARY KEY (grid_id, staff_id)
);
CREATE UNIQUE INDEX grid_staff_one_leader ON grid_staff (grid_id) WHERE duty = 'leader';
CREATE INDEX grid_staff_staff_idx ON grid_staff (staff_id);

CREATE FUNCTION grid_staff_check_duty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.duty = 'worker' AND NOT EXISTS (SELECT 1 FROM grids WHERE id = NEW.grid_id AND kind = 'general' AND level = 3) THEN
    RAISE EXCEPTION 'grid workers are assigned to level-3 general grids only'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'grid_staff_worker_level';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER grid_staff_worker_level BEFORE INSERT OR UPDATE ON grid_staff
  FOR EACH ROW EXECUTE FUNCTION grid_staff_check_duty();

-- 雪亮工程 / 天网 / 社会监控.
CREATE TABLE cameras (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code               text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,40}$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  source             text NOT NULL CHECK (source IN ('xueliang', 'tianwang', 'social')),
  location           geometry(Point, 4326) NOT NULL CHECK (pingan_is_lonlat(location)),
  heading            real NOT NULL CHECK (heading >= 0 AND heading < 360),
  fov                real NOT NULL CHECK (fov > 0 AND fov <= 360),
  range_m            real NOT NULL CHECK (range_m > 0 AND range_m <= 5000),
  status             text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline', 'fault')),
  status_changed_at  timestamptz NOT NULL DEFAULT now(),
  stream_url         text CHECK (stream_url ~ '^(https?|rtsp)://'),
  address            text,
  grid_id            bigint REFERENCES grids (id) ON DELETE SET NULL,
  center_id          bigint NOT NULL REFERENCES centers (id)
);
CREATE INDEX cameras_location_idx ON cameras USING gist (location);
CREATE INDEX cameras_grid_idx ON cameras (grid_id);
CREATE INDEX cameras_center_idx ON cameras (center_id);

-- 治安巡防队: teams, their planned routes, their units and the units' position reports.
CREATE TABLE patrol_teams (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,40}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  center_id  bigint NOT NULL REFERENCES centers (id),
  members    integer NOT NULL CHECK (members > 0),
  leader     text,
  phone      text CHECK (phone ~ '^[0-9+-]{5,20}$')
);
CREATE INDEX patrol_teams_center_idx ON patrol_teams (center_id);

CREATE TABLE patrol_routes (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id  bigint NOT NULL REFERENCES patrol_teams (id) ON DELETE CASCADE,
  name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  shift    text NOT NULL CHECK (shift IN ('day', 'night', 'all_day')),
  geom     geometry(LineString, 4326) NOT NULL,
  CONSTRAINT patrol_routes_geom_valid CHECK (ST_IsValid(geom) AND ST_NPoints(geom) >= 2)
);
CREATE INDEX patrol_routes_geom_idx ON patrol_routes USING gist (geom);
CREATE INDEX patrol_routes_team_idx ON patrol_routes (team_id);

CREATE TABLE patrol_units (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id   bigint NOT NULL REFERENCES patrol_teams (id) ON DELETE CASCADE,
  route_id  bigint REFERENCES patrol_routes (id) ON DELETE SET NULL,
  callsign  text NOT NULL UNIQUE CHECK (callsign ~ '^[A-Z0-9-]{2,40}$'),
  kind      text NOT NULL CHECK (kind IN ('vehicle', 'ebike', 'foot')),
  members   integer NOT NULL CHECK (members > 0)
);
CREATE INDEX patrol_units_team_idx ON patrol_units (team_id);

CREATE TABLE patrol_positions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id      bigint NOT NULL REFERENCES patrol_units (id) ON DELETE CASCADE,
  reported_at  timestamptz NOT NULL,
  location     geometry(Point, 4326) NOT NULL CHECK (pingan_is_lonlat(location)),
  speed_kmh    real CHECK (speed_kmh >= 0 AND speed_kmh < 300),
  heading      real CHECK (heading >= 0 AND heading < 360)
);
CREATE INDEX patrol_positions_unit_time_idx ON patrol_positions (unit_id, reported_at DESC);
CREATE INDEX patrol_positions_location_idx ON patrol_positions USING gist (location);

-- Users; sessions, tokens and the audit trail come with the access work and key on users.id.
CREATE TABLE users (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username              text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,40}$'),
  display_name          text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 50),
  role                  text NOT NULL CHECK (role IN ('district_admin', 'operator', 'leader', 'analyst', 'planner', 'grid_worker', 'auditor')),
  center_id             bigint NOT NULL REFERENCES centers (id),
  staff_id              bigint REFERENCES staff (id),
  password_hash         text,
  must_change_password  boolean NOT NULL DEFAULT true,
  failed_logins         integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until          timestamptz,
  disabled              boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now(),
  password_changed_at   timestamptz
);
CREATE INDEX users_center_idx ON users (center_id);

-- 事件 and the append-only record of every step of their workflow.
CREATE TABLE incidents (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number              text NOT NULL UNIQUE CHECK (number ~ '^[A-Z0-9-]{4,40}$'),
  category            text NOT NULL CHECK (category IN ('dispute', 'safety_hazard', 'public_order', 'city_management', 'livelihood', 'other')),
  severity            text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  status              text NOT NULL DEFAULT 'received'
                      CHECK (status IN ('received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed')),
  title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description         text CHECK (length(description) <= 5000),
  location            geometry(Point, 4326) NOT NULL CHECK (pingan_is_lonlat(location)),
  address             text CHECK (length(address) <= 300),
  source              text NOT NULL CHECK (source IN ('grid_app', 'hotline', 'walk_in', 'camera_alarm', 'open311', 'other')),
  reporter_name       text CHECK (length(reporter_name) <= 50),
  reporter_phone      text CHECK (reporter_phone ~ '^[0-9+-]{5,20}$'),
  reporter_id_number  text CHECK (reporter_id_number ~ '^[0-9]{17}[0-9X]$'),
  grid_id             bigint REFERENCES grids (id),
  center_id           bigint NOT NULL REFERENCES centers (id),
  boundary_flag       boolean NOT NULL DEFAULT false,
  occurred_at         timestamptz NOT NULL,
  reported_at         timestamptz NOT NULL DEFAULT now(),
  due_at              timestamptz,
  closed_at           timestamptz,
  -- How a closed case ended; the mediation success rate (调解成功率) is read from it.
  outcome             text CHECK (outcome IN ('resolved', 'unresolved', 'referred', 'withdrawn')),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  idempotency_key     text UNIQUE CHECK (length(idempotency_key) BETWEEN 8 AND 100),
  CONSTRAINT incidents_closed_has_time CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CONSTRAINT incidents_outcome_when_closed CHECK (outcome IS NULL OR status = 'closed'),
  CONSTRAINT incidents_times_in_order CHECK (occurred_at <= reported_at AND (closed_at IS NULL OR closed_at >= reported_at))
);
CREATE INDEX incidents_location_idx ON incidents USING gist (location);
CREATE INDEX incidents_reported_idx ON incidents (reported_at DESC, id DESC);
CREATE INDEX incidents_grid_time_idx ON incidents (grid_id, reported_at);
CREATE INDEX incidents_center_time_idx ON incidents (center_id, reported_at);
CREATE INDEX incidents_open_idx ON incidents (due_at) WHERE status <> 'closed';

CREATE TABLE incident_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id    bigint NOT NULL REFERENCES incidents (id),
  action         text NOT NULL CHECK (action IN ('receive', 'dispatch', 'accept', 'feedback', 'review', 'revisit', 'close',
                                                 'return', 'escalate', 'transfer', 'supervise', 'reassign', 'merge', 'note')),
  from_status    text CHECK (from_status IN ('received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed')),
  to_status      text CHECK (to_status IN ('received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed')),
  actor_user_id  bigint REFERENCES users (id),
  actor_name     text NOT NULL CHECK (length(actor_name) BETWEEN 1 AND 50),
  center_id      bigint REFERENCES centers (id),
  assignee_kind  text CHECK (assignee_kind IN ('patrol_unit', 'staff', 'department', 'center')),
  assignee_id    bigint,
  assignee_name  text,
  note           text CHECK (length(note) <= 2000),
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, at);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON incident_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Key places (schools, markets, stations …): hot spots, camera sites, labels, later geofences.
CREATE TABLE places (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind      text NOT NULL CHECK (kind IN ('district', 'town', 'village', 'poi')),
  poi_kind  text CHECK (poi_kind IN ('market', 'school', 'hospital', 'construction_site', 'bar_street', 'station',
                                     'government', 'park', 'square', 'factory')),
  name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  rank      smallint NOT NULL CHECK (rank BETWEEN 1 AND 5),
  location  geometry(Point, 4326) NOT NULL CHECK (pingan_is_lonlat(location)),
  CONSTRAINT places_poi_kind CHECK ((kind = 'poi') = (poi_kind IS NOT NULL))
);
CREATE INDEX places_location_idx ON places USING gist (location);

-- The offline base map.
CREATE TABLE basemap_roads (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  class  text NOT NULL CHECK (class IN ('expressway', 'primary', 'secondary', 'street', 'rural')),
  name   text,
  geom   geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX basemap_roads_geom_idx ON basemap_roads USING gist (geom);

CREATE TABLE basemap_waterways (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  class  text NOT NULL CHECK (class IN ('river', 'stream')),
  name   text,
  geom   geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX basemap_waterways_geom_idx ON basemap_waterways USING gist (geom);

CREATE TABLE basemap_water (
  id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name  text,
  geom  geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX basemap_water_geom_idx ON basemap_water USING gist (geom);

CREATE TABLE basemap_landuse (
  id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind  text NOT NULL CHECK (kind IN ('urban', 'town', 'village')),
  name  text,
  geom  geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX basemap_landuse_geom_idx ON basemap_landuse USING gist (geom);

-- Which data set is loaded, so a start knows whether to seed and the demo's clock can be read.
CREATE TABLE dataset_loads (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset    text NOT NULL,
  version    text NOT NULL,
  -- The demo's incidents are moved forward by whole weeks at load so the last lands near now.
  shift      interval NOT NULL DEFAULT '0',
  counts     jsonb NOT NULL DEFAULT '{}',
  loaded_at  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS dataset_loads, basemap_landuse, basemap_water, basemap_waterways, basemap_roads, places,
  incident_events, incidents, users, patrol_positions, patrol_units, patrol_routes, patrol_teams, cameras,
  grid_staff, staff, grids, centers CASCADE;
DROP FUNCTION IF EXISTS refuse_change(), grid_staff_check_duty(), grids_check_hierarchy(), centers_check_level(),
  pingan_is_lonlat(geometry);
