import { describe, expect, it } from 'vitest';
import { ACTIONS, can, isRole, isWithin, PERMISSIONS, ROLES, type Action, type Role } from '../../server/auth/permissions.js';

// The role × action table (docs/access.md) and the rules it must keep: separation of
// duties (三员分立), least privilege for unmasking, and the "narrower role" order that
// access tokens rely on.

const BUSINESS: readonly Action[] = ['grids:read', 'incidents:read', 'personal:unmask'];

/** The table of docs/access.md, written out. */
const DOCUMENTED: Readonly<Record<Role, readonly Action[]>> = {
  district_admin: ['map:read', 'grids:read', 'resources:read', 'incidents:read', 'users:manage'],
  operator: ['map:read', 'grids:read', 'resources:read', 'incidents:read', 'personal:unmask', 'incidents:report', 'incidents:handle', 'geofences:manage', 'positions:report'],
  leader: ['map:read', 'grids:read', 'resources:read', 'incidents:read', 'incidents:handle', 'workflow:configure'],
  analyst: ['map:read', 'grids:read', 'resources:read', 'incidents:read'],
  planner: ['map:read', 'grids:read', 'resources:read', 'incidents:read'],
  grid_worker: ['map:read', 'grids:read', 'resources:read', 'incidents:read', 'personal:unmask', 'incidents:report', 'incidents:handle', 'positions:report'],
  auditor: ['map:read', 'audit:read'],
};

describe('PERMISSIONS', () => {
  it('when the table is compared with the documentation, then every role has exactly the documented actions', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect([...PERMISSIONS[role]].sort(), role).toEqual([...DOCUMENTED[role]].sort());
  });

  it('when a role lists actions, then each is a known action and none twice', () => {
    for (const role of ROLES) {
      expect(PERMISSIONS[role].every((a) => (ACTIONS as readonly string[]).includes(a)), role).toBe(true);
      expect(new Set(PERMISSIONS[role]).size, role).toBe(PERMISSIONS[role].length);
    }
  });

  it('when every action is looked at, then some role has it, and every role may see the map', () => {
    for (const action of ACTIONS) expect(ROLES.some((r) => can(r, action)), action).toBe(true);
    for (const role of ROLES) expect(can(role, 'map:read'), role).toBe(true);
  });

  it('when the auditor is checked, then it has no business data and cannot manage accounts', () => {
    for (const action of [...BUSINESS, 'users:manage'] as const) expect(can('auditor', action), action).toBe(false);
  });

  it('when the administrator is checked, then it cannot read the audit trail nor unmask personal data', () => {
    expect(can('district_admin', 'audit:read')).toBe(false);
    expect(can('district_admin', 'personal:unmask')).toBe(false);
  });

  it('when duties are separated, then no role both manages accounts and reads the audit trail, and only one role does each', () => {
    expect(ROLES.filter((r) => can(r, 'users:manage'))).toEqual(['district_admin']);
    expect(ROLES.filter((r) => can(r, 'audit:read'))).toEqual(['auditor']);
  });

  it('when personal data is unmasked, then only operators and grid workers may, and both can read incidents', () => {
    const unmaskers = ROLES.filter((r) => can(r, 'personal:unmask'));
    expect(unmaskers.sort()).toEqual(['grid_worker', 'operator']);
    for (const role of unmaskers) expect(can(role, 'incidents:read')).toBe(true);
  });

  it('when a role reads incidents, then it also reads grids and the map', () => {
    for (const role of ROLES.filter((r) => can(r, 'incidents:read'))) {
      expect(can(role, 'grids:read'), role).toBe(true);
      expect(can(role, 'map:read'), role).toBe(true);
    }
  });
});

describe('isWithin', () => {
  it('when a role is compared with itself, then it is within itself', () => {
    for (const role of ROLES) expect(isWithin(role, role), role).toBe(true);
  });

  it('when isWithin is true, then every action of the narrower role is an action of the wider one (and the reverse)', () => {
    for (const narrower of ROLES) {
      for (const role of ROLES) {
        const subset = PERMISSIONS[narrower].every((a) => PERMISSIONS[role].includes(a));
        expect(isWithin(narrower, role), `${narrower} within ${role}`).toBe(subset);
      }
    }
  });

  it('when roles are chained, then isWithin is transitive', () => {
    for (const a of ROLES) for (const b of ROLES) for (const c of ROLES) {
      if (isWithin(a, b) && isWithin(b, c)) expect(isWithin(a, c), `${a} ⊆ ${b} ⊆ ${c}`).toBe(true);
    }
  });

  it.each([
    // A leader sets deadlines, which an operator may not; an operator manages key areas, which a grid worker may not.
    ['leader', 'operator', false],
    ['analyst', 'operator', true],
    ['planner', 'grid_worker', true],
    ['grid_worker', 'operator', true],
    ['operator', 'grid_worker', false],
    ['leader', 'district_admin', false],
    ['analyst', 'district_admin', true],
    ['analyst', 'leader', true],
    ['operator', 'leader', false],
    ['operator', 'district_admin', false],
    ['district_admin', 'operator', false],
    ['auditor', 'operator', false],
    ['auditor', 'district_admin', false],
    ['leader', 'auditor', false],
    ['district_admin', 'auditor', false],
  ] as const)('when a %s token is asked of a %s, then isWithin is %s', (narrower, role, expected) => {
    expect(isWithin(narrower, role)).toBe(expected);
  });
});

describe('isRole', () => {
  it('when a value is checked, then only the seven role names are roles', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ['admin', 'Operator', '', 'auditor ', null, undefined, 1, {}, ['leader']]) expect(isRole(value), String(value)).toBe(false);
  });
});
