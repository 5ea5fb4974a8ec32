/**
 * What each role may do: the one table the server consults. Endpoints name the action
 * they need (see routes.ts); nothing else in the code branches on a role.
 */

export const ROLES = ['district_admin', 'operator', 'leader', 'analyst', 'planner', 'grid_worker', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  /** Base map, the jurisdiction's extent, governance centers. */
  'map:read',
  'grids:read',
  /** Cameras, patrol teams, routes and unit positions. */
  'resources:read',
  /** Incidents with reporters' personal data masked. */
  'incidents:read',
  /** Reveal one incident's reporter name, phone and ID number; audited with a reason. */
  'personal:unmask',
  /** File a new incident (grid-worker page, hotline and walk-in desks, camera alarms, Open311). */
  'incidents:report',
  /** Take workflow steps; which steps a role may take is the workflow's table (incidents/workflow.ts). */
  'incidents:handle',
  /** Deadlines per category and severity. */
  'workflow:configure',
  /** Mark and end key areas (重点区域) that raise alerts. */
  'geofences:manage',
  /** Send patrol units' position reports. */
  'positions:report',
  /** Create, edit, disable and unlock accounts; reset passwords. */
  'users:manage',
  /** Search, export and verify the audit trail. */
  'audit:read',
] as const;
export type Action = (typeof ACTIONS)[number];

const BUSINESS_READ: readonly Action[] = ['map:read', 'grids:read', 'resources:read', 'incidents:read'];

/**
 * Role × action. The administrator manages accounts but cannot read the audit trail;
 * the auditor reads the audit trail but no business data (三员分立). Only roles that
 * call reporters back or visit them (operators, grid workers) may unmask, one
 * incident at a time. Duty operators run the workflow; leaders review, close, supervise
 * and set deadlines (督办); grid workers report, and handle what is assigned to them.
 */
export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  district_admin: [...BUSINESS_READ, 'users:manage'],
  operator: [...BUSINESS_READ, 'personal:unmask', 'incidents:report', 'incidents:handle', 'geofences:manage', 'positions:report'],
  leader: [...BUSINESS_READ, 'incidents:handle', 'workflow:configure'],
  analyst: BUSINESS_READ,
  planner: BUSINESS_READ,
  grid_worker: [...BUSINESS_READ, 'personal:unmask', 'incidents:report', 'incidents:handle', 'positions:report'],
  auditor: ['map:read', 'audit:read'],
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].includes(action);
}

/** True when `narrower` can do nothing that `role` cannot (a role is narrower than itself). */
export function isWithin(narrower: Role, role: Role): boolean {
  return PERMISSIONS[narrower].every((action) => can(role, action));
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
