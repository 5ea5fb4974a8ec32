import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../client/auth/next-path';
import { checkPassword, passwordAcceptable } from '../../client/auth/password-policy';
import { describeUserAgent } from '../../client/auth/user-agent';
import { narrowerRoles } from '../../client/auth/roles';
import { auditQuery, detailText, emptyAuditFilters } from '../../client/audit/audit-query';
import { appendPage, generatePassword, upsertUser, userStates, usersUrl } from '../../client/admin/user-list';
import { tokenState } from '../../client/account/token-state';
import { centerTree } from '../../client/stores/centers';
import { parseRetryAfter } from '../../client/http/api-error';
import { gridOverlaysFor } from '../../client/stores/map-view';

describe('client access helpers', () => {
  it('safeNextPath', () => {
    expect(safeNextPath('/audit?x=1')).toBe('/audit?x=1');
    expect(safeNextPath('//evil.example')).toBe('/');
    expect(safeNextPath('https://evil.example')).toBe('/');
    expect(safeNextPath('/\\evil')).toBe('/');
    expect(safeNextPath('/login?next=/x', '/audit')).toBe('/audit');
    expect(safeNextPath(['/account'])).toBe('/account');
    expect(safeNextPath(undefined, '/h')).toBe('/h');
  });
  it('password policy', () => {
    expect(passwordAcceptable(checkPassword('Pingan@2026', 'operator.village'))).toBe(true);
    expect(checkPassword('short1A', 'x').length).toBe(false);
    expect(checkPassword('alllowercase1', 'x').classes).toBe(false);
    expect(checkPassword('Xoperator.village1!', 'operator.village').withoutUsername).toBe(false);
    expect(checkPassword('密码密码密码密码Aa1', 'x').classCount).toBe(4);
  });
  it('user agents', () => {
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36')).toBe('Chrome 126 · Linux');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0')).toBe('Edge 120 · Windows');
    expect(describeUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15')).toBe('Safari 17 · macOS');
    expect(describeUserAgent(null)).toBeNull();
  });
  it('roles', () => {
    expect(narrowerRoles('auditor')).toEqual(['auditor']);
    expect(narrowerRoles('operator').sort()).toEqual(['analyst', 'grid_worker', 'operator', 'planner']);
    expect(narrowerRoles('district_admin')).toContain('analyst');
    expect(narrowerRoles('district_admin')).not.toContain('leader');
    expect(narrowerRoles('district_admin')).not.toContain('operator');
    expect([gridOverlaysFor('district'), gridOverlaysFor('town'), gridOverlaysFor('village')]).toEqual([['grids-1', 'grids-2', 'grids-3'], ['grids-2', 'grids-3'], ['grids-3']]);
  });
  it('audit query', () => {
    const f = { ...emptyAuditFilters(), user: ' auditor.district ', outcome: 'denied' as const, from: '2026-11-24T08:00' };
    const q = auditQuery(f, { before: '42' });
    expect(q.get('user')).toBe('auditor.district');
    expect(q.get('outcome')).toBe('denied');
    expect(q.get('before')).toBe('42');
    expect(q.get('limit')).toBe('100');
    expect(new Date(q.get('from')!).getTime()).toBe(new Date('2026-11-24T08:00').getTime());
    const csv = auditQuery(f, { format: 'csv' });
    expect(csv.get('format')).toBe('csv');
    expect(csv.has('limit')).toBe(false);
    expect(detailText({})).toBe('—');
    expect(detailText({ reason: 'locked', n: 2 })).toBe('reason=locked · n=2');
  });
  it('user list', () => {
    const u = (id: number, extra = {}) => ({ id, username: `u${id}`, displayName: '', role: 'operator' as const, center: { id: 1, code: 'C', name: 'c', level: 'village' as const }, disabled: false, lockedUntil: null, mustChangePassword: false, lastLoginAt: null, createdAt: '', ...extra });
    expect(upsertUser([u(1), u(2)], u(2, { disabled: true }))[1]!.disabled).toBe(true);
    expect(upsertUser([u(1)], u(3))[0]!.id).toBe(3);
    expect(appendPage([u(1), u(2)], [u(2), u(3)]).map((x) => x.id)).toEqual([1, 2, 3]);
    expect(userStates(u(1, { disabled: true, lockedUntil: '2999-01-01T00:00:00Z', mustChangePassword: true }))).toEqual(['disabled', 'locked', 'mustChange']);
    expect(userStates(u(1, { lockedUntil: '2000-01-01T00:00:00Z' }))).toEqual(['active']);
    expect(usersUrl({ q: ' ab ', role: '', centerId: 7 }, '12')).toBe('/api/users?q=ab&centerId=7&limit=50&after=12');
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(passwordAcceptable(checkPassword(p, 'someone'))).toBe(true);
    }
  });
  it('token state', () => {
    expect(tokenState({ revokedAt: 'x', expiresAt: '2999-01-01T00:00:00Z' })).toBe('revoked');
    expect(tokenState({ revokedAt: null, expiresAt: '2000-01-01T00:00:00Z' })).toBe('expired');
    expect(tokenState({ revokedAt: null, expiresAt: '2999-01-01T00:00:00Z' })).toBe('active');
  });
  it('center tree', () => {
    const c = (id: number, code: string, parentId: number | null) => ({ id, code, name: code, level: 'town' as const, parentId, location: [0, 0] as [number, number] });
    const tree = centerTree([c(3, 'C-1-02', 1), c(2, 'C-1-01', 1), c(4, 'C-1-01-001', 2), c(1, 'C-1', 99)]);
    expect(tree.map((o) => `${o.depth}:${o.center.code}`)).toEqual(['0:C-1', '1:C-1-01', '2:C-1-01-001', '1:C-1-02']);
  });
  it('retry-after', () => {
    expect(parseRetryAfter('900')).toBe(900);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60);
  });
});
