// Response shapes of the server API the client reads. They mirror the server's
// contract; the server validates, the client trusts and only narrows what it renders.

export type DatabaseMode = 'embedded' | 'external';

export interface HealthResponse {
  status: 'ok' | string;
  database: {
    mode: DatabaseMode;
    postgres: string;
    postgis: string;
    capabilities: { nativeMvt: boolean };
  };
}

export type LngLat = [lon: number, lat: number];
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** The caller's jurisdiction: the map frames it and shows the grids one level below it. */
export interface MapExtent {
  name: string;
  level: CenterLevel;
  bbox: BBox;
  center: LngLat;
}

export type GridKind = 'general' | 'specialist';

export interface GridProperties {
  id: string | number;
  code: string;
  name: string;
  level: number;
  kind: GridKind;
  department: string | null;
}

export type Position = number[];

export interface GridFeature {
  type: 'Feature';
  id?: string | number;
  geometry:
    | { type: 'MultiPolygon'; coordinates: Position[][][] }
    | { type: 'Polygon'; coordinates: Position[][] };
  properties: GridProperties;
}

export interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

// ---- Access control (docs/access.md) ------------------------------------------------

export type CenterLevel = 'district' | 'town' | 'village';

// Roles and actions come from the server's one role × action table: a pure data module
// without imports, so the client bundles the same list instead of keeping a copy.
export { ACTIONS, ROLES, type Action, type Role } from '../../server/auth/permissions';
import type { Action, Role } from '../../server/auth/permissions';

export interface CenterRef {
  id: number;
  code: string;
  name: string;
  level: CenterLevel;
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  center: CenterRef;
}

/** `GET /api/auth/session`, also the answer of `POST /api/auth/login`. */
export interface Session {
  user: SessionUser;
  permissions: Action[];
  mustChangePassword: boolean;
  /** `token` when the caller authenticated with a personal access token (no CSRF, no expiry of its own). */
  via: 'session' | 'token';
  csrfToken: string | null;
  idleTimeoutSeconds: number;
  expiresAt: string | null;
  passwordPolicy: { minLength: number; minClasses: number };
}

/** One of the caller's browser sessions, `GET /api/auth/sessions`. */
export interface SessionInfo {
  id: string | number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt?: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface AccessToken {
  id: string | number;
  name: string;
  /** null: acts with the user's own role. */
  role: Role | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** `POST /api/tokens`: the secret appears in this answer only. */
export interface CreatedAccessToken extends AccessToken {
  token: string;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  center: CenterRef;
  disabled: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserPage {
  users: User[];
  next: string | null;
}

export interface Center {
  id: number;
  code: string;
  name: string;
  level: CenterLevel;
  parentId: number | null;
  location: LngLat;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  id: string | number;
  at: string;
  userId: number | null;
  username: string | null;
  role: Role | null;
  centerId: number | null;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: AuditOutcome;
  detail: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | number | null;
}

// ---- Command map: configuration, search and detail panels ---------------------------

/** `GET /api/map/config`: which base map to draw and in which datum it is. */
export interface MapConfig {
  basemap: { style: 'builtin' | string; datum: 'wgs84' | 'gcj02'; attribution?: string };
}

export type SearchKind = 'grid' | 'camera' | 'incident' | 'place';

export interface SearchHit {
  kind: SearchKind;
  id: number;
  label: string;
  code?: string | null;
  detail?: string | null;
  bbox: BBox;
  center: LngLat;
}

export interface GridRef {
  id: number;
  code: string;
  name: string;
  level?: number;
}

export interface GridDetail {
  type: 'Feature';
  id: number;
  geometry: GridFeature['geometry'];
  properties: {
    id: number;
    code: string;
    name: string;
    level: number;
    kind: GridKind;
    department: string | null;
    center_name: string;
    population: number | null;
    households: number | null;
    area_km2: number;
    parents: Array<GridRef & { in_scope: boolean }>;
    staff: Array<{ id: number; code: string; name: string; phone: string | null; duty: 'leader' | 'worker' }>;
    cameras: number;
    open_incidents: { total: number; by_category: Record<string, number> };
    incidents_in_window?: { from: string; to: string | null; total: number; by_category: Record<string, number> };
  };
}

export interface CameraDetail {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: LngLat };
  properties: {
    id: number;
    code: string;
    name: string | null;
    source: string;
    status: string;
    status_changed_at: string | null;
    heading: number | null;
    fov: number | null;
    range_m: number | null;
    stream_url: string | null;
    address: string | null;
    grid: GridRef | null;
    center: { id: number; code: string; name: string } | null;
  };
}

/** One workflow step (incident_events): `type` is its action, `status` the status after it. */
export interface IncidentEvent {
  id: number;
  at: string;
  type: string;
  fromStatus: string | null;
  status: string | null;
  actor: string;
  center: { id: number; name: string } | null;
  assignee: { kind: string | null; name: string | null } | null;
  note: string | null;
}

export interface IncidentDetail {
  id: number;
  number: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  description: string | null;
  address: string | null;
  source: string;
  location: LngLat;
  reporterName: string | null;
  reporterPhone: string | null;
  boundaryFlag: boolean;
  occurredAt: string;
  reportedAt: string;
  dueAt: string | null;
  closedAt: string | null;
  grid: GridRef | null;
  center: { id: number; code: string; name: string; level: CenterLevel };
  timeline: IncidentEvent[];
}

export interface PatrolUnitDetail {
  id: number;
  callsign: string;
  kind: string;
  members: number | null;
  team: { id: number; name: string };
  route: { id: number; name: string; geometry: { type: string; coordinates: unknown } | null } | null;
  lastPosition: { location: LngLat; reportedAt: string; speedKmh: number | null; heading: number | null } | null;
}
