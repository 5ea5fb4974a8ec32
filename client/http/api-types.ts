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
