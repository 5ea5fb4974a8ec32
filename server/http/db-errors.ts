/**
 * What a PostgreSQL / PostGIS error means for the client that sent the request.
 *
 * The schema enforces the domain rules (CHECK constraints, triggers raising
 * `USING CONSTRAINT`, typmods on geometry columns), so most bad input surfaces here
 * as a database error. This module turns each into a 4xx answer with a message a
 * person can act on, keyed by SQLSTATE and constraint name. It is pure data plus
 * one function so tests can assert the messages without HTTP.
 *
 * When a migration adds a constraint, add its message to CONSTRAINT_MESSAGES:
 * test/integration/constraints.test.ts fails for every constraint in the catalog
 * that has none.
 */

export interface DatabaseErrorDescription {
  status: number;
  title: string;
  detail: string;
  /** The violated constraint, a stable key a client can translate. */
  constraint?: string;
}

/** The fields of pg's DatabaseError this module reads. */
interface PgError {
  code: string;
  message: string;
  constraint?: string | undefined;
  table?: string | undefined;
  column?: string | undefined;
  detail?: string | undefined;
}

const ENUM = (what: string, values: string) => `${what} must be one of: ${values}`;
const CODE = (what: string) => `${what} code must be 2–40 characters of A–Z, 0–9 and '-'`;
const LENGTH = (what: string, max: number) => `${what} must be 1–${max} characters`;
const LONLAT = (what: string) => `${what} location must be a WGS84 longitude/latitude point (longitude −180…180, latitude −90…90)`;
const PHONE = (what: string) => `${what} must be 5–20 digits, '+' or '-'`;
const STATUSES = 'received, dispatched, handling, feedback, reviewed, revisited, closed';
const DEPARTMENTS = 'police, judicial, civil_affairs, health, market_supervision, urban_management';

/**
 * Every named rule of the schema → the sentence the client sees. CHECK constraints
 * without an explicit name are PostgreSQL's `<table>_<column>_check`.
 */
export const CONSTRAINT_MESSAGES: Readonly<Record<string, string>> = {
  // centers
  centers_code_check: CODE('center'),
  centers_name_check: LENGTH('center name', 100),
  centers_level_check: ENUM('center level', 'district, town, village'),
  centers_location_check: LONLAT('center'),
  centers_root_is_district: 'only the district center has no parent; every town and village center needs one',
  centers_level_rule: 'a town center must sit under the district center, a village center under a town center',
  // grids
  grids_code_check: CODE('grid'),
  grids_name_check: LENGTH('grid name', 100),
  grids_kind_check: ENUM('grid kind', 'general, specialist'),
  grids_level_check: 'grid level must be 1, 2 or 3',
  grids_department_check: ENUM('grid department', DEPARTMENTS),
  grids_population_check: 'grid population must not be negative',
  grids_households_check: 'grid households must not be negative',
  grids_geom_valid: 'grid geometry is not a valid polygon (check for self-intersections, e.g. a bow-tie, and unclosed or empty rings)',
  grids_department_kind: 'a specialist grid needs a department; a general grid must not have one',
  grids_top_level_has_no_parent: 'a level-1 grid has no parent grid; level-2 and level-3 grids need one',
  grids_level_rule: 'a grid must sit under a grid exactly one level up, of the same kind and department',
  grids_center_level_rule: 'a level-1 general grid belongs to a town center; level-2 and level-3 general grids to a village center',
  // staff
  staff_code_check: CODE('staff'),
  staff_name_check: LENGTH('staff name', 50),
  staff_phone_check: PHONE('staff phone'),
  staff_role_check: ENUM('staff role', 'grid_leader, grid_worker, mediator, volunteer'),
  grid_staff_duty_check: ENUM('grid duty', 'leader, worker'),
  grid_staff_worker_level: 'grid workers are assigned to level-3 general grids only',
  // cameras
  cameras_code_check: CODE('camera'),
  cameras_name_check: LENGTH('camera name', 100),
  cameras_source_check: ENUM('camera source', 'xueliang (雪亮工程), tianwang (天网), social (社会监控)'),
  cameras_location_check: LONLAT('camera'),
  cameras_heading_check: 'camera heading must be at least 0 and below 360 degrees',
  cameras_fov_check: 'camera field of view must be above 0 and at most 360 degrees',
  cameras_range_m_check: 'camera range must be above 0 and at most 5000 m',
  cameras_status_check: ENUM('camera status', 'online, offline, fault'),
  cameras_stream_url_check: 'camera stream URL must start with http://, https:// or rtsp://',
  // patrols
  patrol_teams_code_check: CODE('patrol team'),
  patrol_teams_name_check: LENGTH('patrol team name', 100),
  patrol_teams_members_check: 'a patrol team needs at least one member',
  patrol_teams_phone_check: PHONE('patrol team phone'),
  patrol_routes_name_check: LENGTH('patrol route name', 100),
  patrol_routes_shift_check: ENUM('patrol shift', 'day, night, all_day'),
  patrol_routes_geom_valid: 'patrol route must be a valid line of at least two points',
  patrol_units_callsign_check: 'patrol unit call sign must be 2–40 characters of A–Z, 0–9 and \'-\'',
  patrol_units_kind_check: ENUM('patrol unit kind', 'vehicle, ebike, foot'),
  patrol_units_members_check: 'a patrol unit needs at least one member',
  patrol_units_last_location_check: LONLAT('patrol unit'),
  patrol_positions_location_check: LONLAT('patrol position'),
  patrol_positions_speed_kmh_check: 'speed must be at least 0 and below 300 km/h',
  patrol_positions_heading_check: 'heading must be at least 0 and below 360 degrees',
  // users
  users_username_check: 'user name must be 3–40 characters of a–z, 0–9, _ . and -',
  users_display_name_check: LENGTH('display name', 50),
  users_role_check: ENUM('user role', 'district_admin, operator, leader, analyst, planner, grid_worker, auditor'),
  users_failed_logins_check: 'failed login count must not be negative',
  // incidents
  incidents_number_check: 'incident number must be 4–40 characters of A–Z, 0–9 and \'-\'',
  incidents_category_check: ENUM('incident category', 'dispute, safety_hazard, public_order, city_management, livelihood, other'),
  incidents_severity_check: ENUM('incident severity', 'low, medium, high, critical'),
  incidents_status_check: ENUM('incident status', STATUSES),
  incidents_title_check: LENGTH('incident title', 200),
  incidents_description_check: 'incident description must be at most 5000 characters',
  incidents_location_check: LONLAT('incident'),
  incidents_address_check: 'incident address must be at most 300 characters',
  incidents_source_check: ENUM('incident source', 'grid_app, hotline, walk_in, camera_alarm, open311, other'),
  incidents_reporter_name_check: 'reporter name must be at most 50 characters',
  incidents_reporter_phone_check: PHONE('reporter phone'),
  incidents_reporter_id_number_check: 'reporter ID number must be 18 characters: 17 digits and a digit or X',
  incidents_idempotency_key_check: 'idempotency key must be 8–100 characters',
  incidents_closed_has_time: 'a closed incident needs a closing time, and only a closed one has it',
  incidents_times_in_order: 'times out of order: occurred ≤ reported ≤ closed',
  incidents_outcome_check: ENUM('incident outcome', 'resolved, unresolved, referred, withdrawn'),
  incidents_outcome_when_closed: 'only a closed incident has an outcome',
  incidents_request_hash_check: 'request hash must be 32 bytes',
  incidents_assignee_kind_check: ENUM('assignee kind', 'patrol_unit, staff, department, center'),
  incidents_assignee_name_check: 'assignee name must be at most 100 characters',
  incidents_not_merged_into_itself: 'an incident cannot be merged into itself',
  incident_deadlines_category_check: ENUM('incident category', 'dispute, safety_hazard, public_order, city_management, livelihood, other'),
  incident_deadlines_severity_check: ENUM('incident severity', 'low, medium, high, critical'),
  incident_deadlines_hours_check: 'a deadline must be 1–2160 hours',
  incident_photos_content_type_check: ENUM('photo type', 'image/jpeg, image/png, image/webp'),
  incident_photos_bytes_check: 'a photo must be 1 byte to 8 MiB',
  incident_photos_sha256_check: 'photo hash must be 32 bytes',
  geofences_name_check: LENGTH('key area name', 100),
  geofences_kind_check: ENUM('key area kind', 'school, station, event, site, other'),
  geofences_geom_valid: 'key area geometry is not a valid polygon (check for self-intersections and unclosed or empty rings)',
  geofences_window: 'a key area must end after it starts',
  live_events_kind_check: ENUM('live event kind', 'incident, step, overdue, alert, position, resync'),
  incident_events_action_check: ENUM('incident action', 'receive, dispatch, accept, feedback, review, revisit, close, return, escalate, transfer, supervise, reassign, merge, note'),
  incident_events_from_status_check: ENUM('from status', STATUSES),
  incident_events_to_status_check: ENUM('to status', STATUSES),
  incident_events_actor_name_check: LENGTH('actor name', 50),
  incident_events_assignee_kind_check: ENUM('assignee kind', 'patrol_unit, staff, department, center'),
  incident_events_note_check: 'note must be at most 2000 characters',
  // places and base map
  places_kind_check: ENUM('place kind', 'district, town, village, poi'),
  places_poi_kind_check: ENUM('point-of-interest kind', 'market, school, hospital, construction_site, bar_street, station, government, park, square, factory'),
  places_name_check: LENGTH('place name', 100),
  places_rank_check: 'place rank must be 1–5',
  places_location_check: LONLAT('place'),
  places_poi_kind: 'a point of interest needs a poi_kind; other places must not have one',
  basemap_roads_class_check: ENUM('road class', 'expressway, primary, secondary, street, rural'),
  basemap_roads_geom_check: 'road geometry is not a valid line',
  basemap_waterways_class_check: ENUM('waterway class', 'river, stream'),
  basemap_waterways_geom_check: 'waterway geometry is not a valid line',
  basemap_water_geom_check: 'water geometry is not a valid polygon',
  basemap_landuse_kind_check: ENUM('land-use kind', 'urban, town, village'),
  basemap_landuse_geom_check: 'land-use geometry is not a valid polygon',
  // access: sessions, tokens, audit trail
  center_tree_depth_check: 'center depth must not be negative',
  sessions_token_hash_check: 'session secret hash must be 32 bytes',
  sessions_csrf_token_check: 'CSRF token must be at least 32 characters',
  sessions_end_reason_check: ENUM('session end reason', 'logout, revoked, expired, password_changed, disabled'),
  sessions_ip_check: 'client address must be at most 64 characters',
  sessions_user_agent_check: 'user agent must be at most 300 characters',
  sessions_end_has_reason: 'an ended session needs the reason it ended, and only an ended one has it',
  access_tokens_name_check: LENGTH('token name', 100),
  access_tokens_token_hash_check: 'token secret hash must be 32 bytes',
  access_tokens_role_check: ENUM('token role', 'district_admin, operator, leader, analyst, planner, grid_worker, auditor'),
  access_tokens_expiry_after_creation: 'a token must expire after it is created',
  audit_log_username_check: 'audited user name must be at most 100 characters',
  audit_log_ip_check: 'audited client address must be at most 64 characters',
  audit_log_action_check: "audit action must be dotted lower-case words, e.g. 'user.update'",
  audit_log_object_type_check: 'audited object type must be at most 40 characters',
  audit_log_object_id_check: 'audited object id must be at most 100 characters',
  audit_log_outcome_check: ENUM('audit outcome', 'success, failure, denied'),
  // unique keys whose default message ("code 'X' already exists") would be unclear
  grid_staff_one_leader: 'this grid already has a leader',
  grid_staff_pkey: 'this person is already assigned to this grid',
  incidents_idempotency_key_key: 'an incident with this idempotency key was already accepted',
  incident_photos_incident_id_sha256_key: 'this photo is already attached to the incident',
  geofence_alerts_geofence_id_incident_id_key: 'this key area has already raised an alert for this incident',
  users_username_key: 'this user name is taken',
};

const GEOMETRY_TITLE = 'Invalid geometry';

export function describeDatabaseError(err: unknown): DatabaseErrorDescription | undefined {
  if (isUnavailable(err)) {
    return { status: 503, title: 'Database unavailable', detail: 'the database is not reachable at the moment; try again shortly' };
  }
  const e = asPgError(err);
  if (!e) return undefined;
  const known = e.constraint ? CONSTRAINT_MESSAGES[e.constraint] : undefined;
  const withConstraint = (d: Omit<DatabaseErrorDescription, 'constraint'>): DatabaseErrorDescription =>
    e.constraint ? { ...d, constraint: e.constraint } : d;

  switch (e.code) {
    case '23514': // check_violation, also raised by the rule triggers
      return withConstraint({
        status: 422,
        title: e.constraint?.endsWith('_geom_valid') || e.constraint?.endsWith('_geom_check') ? GEOMETRY_TITLE : 'Rule violated',
        detail: known ?? fallbackCheckMessage(e),
      });
    case '23505': // unique_violation
      return withConstraint({ status: 409, title: 'Already exists', detail: known ?? duplicateMessage(e) });
    case '23503': // foreign_key_violation: a missing target on write, a remaining reference on delete
      return /still referenced/.test(e.detail ?? '')
        ? withConstraint({ status: 409, title: 'Still referenced', detail: stillReferencedMessage(e) })
        : withConstraint({ status: 422, title: 'Unknown reference', detail: missingReferenceMessage(e) });
    case '23502': // not_null_violation
      return { status: 422, title: 'Missing value', detail: `${e.column ?? 'a required value'} is required${e.table ? ` (${e.table})` : ''}` };
    case '23P01': // exclusion_violation
      return withConstraint({ status: 409, title: 'Conflict', detail: known ?? `conflicts with an existing row of ${e.table ?? 'the table'}` });
    case '42501': // insufficient_privilege: only refuse_change() is a client's doing
      if (/append-only/.test(e.message)) {
        return { status: 409, title: 'Append-only record', detail: `${e.message}: its records can be added but never changed or deleted` };
      }
      return undefined;
    case '22P02': // invalid_text_representation, e.g. 'abc' for a number
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22021': // character_not_in_repertoire (e.g. a NUL byte)
    case '2201B': // invalid_regular_expression
    case '22025': // invalid_escape_sequence
      return { status: 400, title: 'Malformed value', detail: e.message };
    case '22001': // string_data_right_truncation
    case '22003': // numeric_value_out_of_range
      return { status: 422, title: 'Value out of range', detail: e.message };
    case '22023': // invalid_parameter_value: PostGIS typmod checks on geometry columns
    case 'XX000': // internal_error: PostGIS reports parse and SRID errors with it too
      return describeGeometryError(e.message);
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
    case '55P03': // lock_not_available
      return { status: 503, title: 'Database busy', detail: 'the change collided with another one; try again' };
    case '57014': // query_canceled (statement timeout)
      return { status: 503, title: 'Database busy', detail: 'the query took too long and was cancelled; try again or narrow it' };
    default:
      return undefined;
  }
}

/** PostGIS messages that stem from the geometry a client sent. Anything else stays a 500. */
function describeGeometryError(message: string): DatabaseErrorDescription | undefined {
  if (/Geometry SRID \(\d+\) does not match column SRID/.test(message) || /mixed SRID/i.test(message)) {
    return { status: 422, title: GEOMETRY_TITLE, detail: 'geometry must be WGS84 (SRID 4326)' };
  }
  const type = /Geometry type \((\w+)\) does not match column type \((\w+)\)/.exec(message);
  if (type) {
    return { status: 422, title: GEOMETRY_TITLE, detail: `geometry must be a ${type[2]}, not a ${type[1]}` };
  }
  if (/Column has [MZ] dimension but geometry does not|Geometry has [MZ] dimension but column does not/.test(message)) {
    return { status: 422, title: GEOMETRY_TITLE, detail: 'geometry must be two-dimensional (longitude, latitude)' };
  }
  // WKT/WKB/GeoJSON readers; json-c's parse errors end in "(at offset N)".
  if (/parse error|GeoJSON|\(at offset \d+\)|unexpected end of data|invalid geometry|geometry requires more points|non-closed rings|Invalid hex string/i.test(message)) {
    return { status: 400, title: GEOMETRY_TITLE, detail: `geometry could not be read: ${message}` };
  }
  return undefined;
}

function fallbackCheckMessage(e: PgError): string {
  // `<table>_<column>_check[N]` is PostgreSQL's name for an unnamed column check.
  const table = e.table;
  const m = table && e.constraint ? new RegExp(`^${table}_(.+)_check\\d*$`).exec(e.constraint) : null;
  if (m) return `${m[1]} of ${table} has a value that is not allowed`;
  return `the data breaks the rule ${e.constraint ?? '(unnamed)'}${table ? ` of ${table}` : ''}`;
}

const KEY = /^Key \((.+)\)=\((.*)\)/s;

function duplicateMessage(e: PgError): string {
  const m = KEY.exec(e.detail ?? '');
  return m ? `${m[1]} '${m[2]}' already exists` : `a row with the same key already exists in ${e.table ?? 'the table'}`;
}

function missingReferenceMessage(e: PgError): string {
  const m = KEY.exec(e.detail ?? '');
  const target = /table "([^"]+)"/.exec(e.detail ?? '')?.[1];
  return m ? `${m[1]} ${m[2]} does not exist${target ? ` in ${target}` : ''}` : 'a referenced row does not exist';
}

function stillReferencedMessage(e: PgError): string {
  const from = /from table "([^"]+)"/.exec(e.detail ?? '')?.[1];
  return `${e.table ?? 'the row'} is still referenced${from ? ` by ${from}` : ''}; remove or move those first`;
}

function asPgError(err: unknown): PgError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Record<string, unknown>;
  // pg's DatabaseError carries the server's severity; a Node system error (EPIPE …) does not.
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code) || typeof e.severity !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    code: e.code,
    message: str(e.message) ?? '',
    constraint: str(e.constraint),
    table: str(e.table),
    column: str(e.column),
    detail: str(e.detail),
  };
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006']);

function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  // pg-pool and pg name these only in the message.
  return /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error/.test(err.message);
}
