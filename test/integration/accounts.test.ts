import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.js';
import { PERMISSIONS, type Role } from '../../server/auth/permissions.js';
import { secretHash } from '../../server/auth/secrets.js';
import type { Database } from '../../server/db/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { login, signIn, type ApiSession } from '../support/session.js';
import { expectProblem, PROBLEM, type Problem } from '../support/problem.js';
import type { UserAccount } from '../../server/users/repository.js';
import type { TokenInfo } from '../../server/auth/repository.js';

// Accounts end to end: sign-in, lockout, session expiry, sign-out, CSRF, the password
// policy, forced password change, the user's sessions and access tokens, rate limits
// and account administration, through real HTTP against the run's database.
//
// Accounts that tests break (lock, disable, re-password) are created by the tests
// themselves and deleted at the end (their sessions and tokens go with them); the demo
// accounts are only signed in with.

const PASSWORD = 'Strong#Pass2026';
const OTHER_PASSWORD = 'Другой#Pass2026';

/** Demo centers (geodata/seed): the district, its first town, that town's first village, and a second town. */
interface Centers {
  district: number;
  town: number;
  village: number;
  otherTown: number;
}


type UserBody = UserAccount;

type TokenBody = TokenInfo & { token?: string };

interface TestUser {
  id: number;
  username: string;
  role: Role;
  centerId: number;
}



/** The invalid parameters a 400 names. */
async function invalidParams(response: Response): Promise<string[]> {
  const problem = await expectProblem(response, 400, PROBLEM('invalid-params'));
  return [...new Set((problem['invalid-params'] ?? []).map((p) => p.name))];
}

const cookieSecret = (s: ApiSession) => s.cookie.slice('pm_session='.length);

/** The session row behind a signed-in test session. */
async function sessionRow(db: Database, s: ApiSession) {
  const { rows } = await db.query<{
    id: string;
    user_id: number;
    created_at: Date;
    expires_at: Date;
    ended_at: Date | null;
    end_reason: string | null;
  }>('SELECT id, user_id, created_at, expires_at, ended_at, end_reason FROM sessions WHERE token_hash = $1', [secretHash(cookieSecret(s))]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** A GET with a personal access token instead of the cookie. */
const bearer = (baseUrl: string, token: string, method = 'GET', path = '/', body?: unknown) =>
  fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('accounts', () => {
  let server: TestServer;
  let db: Database;
  let centers: Centers;
  /** A district administrator created for this file (the demo one stays untouched). */
  let admin: TestUser;
  let adminSession: ApiSession;
  /** Every user this file created, deleted at the end (sessions and tokens cascade). */
  const created = new Set<number>();

  const base = () => server.baseUrl;

  /** A user straight in the database, with a known password and no forced change unless asked. */
  async function createUser(role: Role, centerId: number, options: { password?: string; mustChange?: boolean; tag?: string } = {}): Promise<TestUser> {
    const username = `t-acc-${options.tag ?? role.slice(0, 4)}-${randomUUID().slice(0, 8)}`;
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO users (username, display_name, role, center_id, password_hash, must_change_password, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, now()) RETURNING id`,
      [username, `测试${role}`, role, centerId, await hashPassword(options.password ?? PASSWORD), options.mustChange ?? false],
    );
    const id = rows[0]!.id;
    created.add(id);
    return { id, username, role, centerId };
  }

  async function userRow(id: number) {
    const { rows } = await db.query<{
      username: string;
      display_name: string;
      role: string;
      center_id: number;
      password_hash: string;
      must_change_password: boolean;
      failed_logins: number;
      locked_until: Date | null;
      disabled: boolean;
    }>('SELECT username, display_name, role, center_id, password_hash, must_change_password, failed_logins, locked_until, disabled FROM users WHERE id = $1', [id]);
    return rows[0];
  }

  beforeAll(async () => {
    server = await startTestServer();
    db = server.db;
    const { rows } = await db.query<{ code: string; id: number }>(
      `SELECT code, id FROM centers WHERE code IN ('C-511699', 'C-511699-01', 'C-511699-01-001', 'C-511699-02')`,
    );
    const byCode = new Map(rows.map((r) => [r.code, r.id]));
    centers = {
      district: byCode.get('C-511699')!,
      town: byCode.get('C-511699-01')!,
      village: byCode.get('C-511699-01-001')!,
      otherTown: byCode.get('C-511699-02')!,
    };
    expect(Object.values(centers).every((id) => typeof id === 'number')).toBe(true);
    admin = await createUser('district_admin', centers.district, { tag: 'admin' });
    adminSession = await signIn(base(), admin.username, PASSWORD);
  });

  afterAll(async () => {
    if (created.size > 0) await db?.query('DELETE FROM users WHERE id = ANY($1::bigint[])', [[...created]]);
    await server?.close();
  });

  describe('signing in', () => {
    it('when the right user name and password are sent, then the answer is the session and an HttpOnly, SameSite=Lax cookie for / (not Secure over plain http)', async () => {
      const user = await createUser('operator', centers.village);
      const response = await login(base(), user.username.toUpperCase(), PASSWORD);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const cookies = response.headers.getSetCookie().filter((c) => c.startsWith('pm_session='));
      expect(cookies).toHaveLength(1);
      const [pair, ...attributes] = cookies[0]!.split(';').map((part) => part.trim());
      const secret = pair!.slice('pm_session='.length);
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const names = attributes.map((a) => a.toLowerCase());
      expect(names).toContain('httponly');
      expect(names).toContain('samesite=lax');
      expect(names).toContain('path=/');
      expect(names).not.toContain('secure');

      const body = (await response.json()) as Record<string, unknown>;
      const { rows } = await db.query<{ id: string; created_at: Date; expires_at: Date; lifetime: string; code: string; name: string }>(
        `SELECT s.id, s.created_at, s.expires_at, (s.expires_at - s.created_at)::text AS lifetime, c.code, c.name
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN centers c ON c.id = u.center_id
         WHERE s.token_hash = $1`,
        [secretHash(secret)],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.lifetime).toBe('12:00:00'); // SESSION_MAX_HOURS
      expect(body).toEqual({
        user: {
          id: user.id,
          username: user.username,
          displayName: '测试operator',
          role: 'operator',
          center: { id: centers.village, code: rows[0]!.code, name: rows[0]!.name, level: 'village' },
        },
        permissions: [...PERMISSIONS.operator],
        mustChangePassword: false,
        via: 'session',
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        idleTimeoutSeconds: 1800,
        expiresAt: rows[0]!.expires_at.toISOString(),
        passwordPolicy: { minLength: 8, minClasses: 3 },
      });
      // The database keeps a hash of the cookie, never the cookie itself.
      const { rows: plain } = await db.query('SELECT 1 FROM sessions WHERE row_to_json(sessions)::text LIKE $1', [`%${secret}%`]);
      expect(plain).toEqual([]);

      // The cookie then answers the same session.
      const again = await fetch(`${base()}/api/auth/session`, { headers: { cookie: `pm_session=${secret}` } });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(body);
      const account = await userRow(user.id);
      expect(account).toMatchObject({ failed_logins: 0, locked_until: null });
    });

    it('when the password is wrong, the user name unknown or the account disabled, then all three get the same 401 bad-credentials', async () => {
      const user = await createUser('leader', centers.town);
      const disabled = await createUser('leader', centers.town);
      await db.query('UPDATE users SET disabled = true WHERE id = $1', [disabled.id]);

      const wrong = await expectProblem(await login(base(), user.username, 'Wrong#Pass2026'), 401, PROBLEM('bad-credentials'));
      const unknown = await expectProblem(await login(base(), `t-acc-nobody-${randomUUID().slice(0, 8)}`, PASSWORD), 401, PROBLEM('bad-credentials'));
      const off = await expectProblem(await login(base(), disabled.username, PASSWORD), 401, PROBLEM('bad-credentials'));
      expect(unknown).toEqual(wrong);
      expect(off).toEqual(wrong);
      expect((await userRow(user.id))?.failed_logins).toBe(1);
      const { rows } = await db.query('SELECT 1 FROM sessions WHERE user_id = ANY($1::bigint[])', [[user.id, disabled.id]]);
      expect(rows).toEqual([]);
    });

    it('when the server sits behind a TLS proxy it trusts, then the cookie is Secure and the client address is the forwarded one', async () => {
      const proxied = await startTestServer({ TRUST_PROXY: 'loopback' });
      try {
        const user = await createUser('leader', centers.village);
        const response = await fetch(`${proxied.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
          body: JSON.stringify({ username: user.username, password: PASSWORD }),
        });
        expect(response.status).toBe(200);
        const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pm_session='))!;
        expect(cookie.split(';').map((a) => a.trim().toLowerCase())).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
        const { rows } = await db.query<{ ip: string }>('SELECT ip FROM sessions WHERE user_id = $1', [user.id]);
        expect(rows).toEqual([{ ip: '203.0.113.7' }]);
      } finally {
        await proxied.close();
      }
    });

    it('when a login body is incomplete, then the answer is a 400 naming the missing field', async () => {
      const response = await fetch(`${base()}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'operator.village' }),
      });
      expect(await invalidParams(response)).toEqual(['password']);
    });

    it('when a login comes from another site (Sec-Fetch-Site or Origin), then it is refused with 403 csrf and no session starts', async () => {
      const user = await createUser('analyst', centers.village);
      const crossSite: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'http://evil.example' }];
      for (const headers of crossSite) {
        const response = await fetch(`${base()}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ username: user.username, password: PASSWORD }),
        });
        await expectProblem(response, 403, PROBLEM('csrf'));
        expect(response.headers.getSetCookie()).toEqual([]);
      }
      const { rows } = await db.query('SELECT 1 FROM sessions WHERE user_id = $1', [user.id]);
      expect(rows).toEqual([]);
      // The same login from the page itself (same origin) works.
      const same = await fetch(`${base()}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base(), 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ username: user.username, password: PASSWORD }),
      });
      expect(same.status).toBe(200);
    });
  });

  describe('lockout', () => {
    it('when 5 logins in a row fail, then the account is locked for 30 minutes, the right password is refused with 423 too, and an administrator unlocks it', async () => {
      const user = await createUser('planner', centers.village);
      for (let attempt = 1; attempt <= 4; attempt++) {
        await expectProblem(await login(base(), user.username, `Wrong#Pass${attempt}`), 401, PROBLEM('bad-credentials'));
      }
      const locked = await expectProblem(await login(base(), user.username, 'Wrong#Pass5'), 423, PROBLEM('account-locked'));
      const { rows } = await db.query<{ locked_until: Date; failed_logins: number; seconds_left: number }>(
        'SELECT locked_until, failed_logins, extract(epoch FROM locked_until - now())::float8 AS seconds_left FROM users WHERE id = $1',
        [user.id],
      );
      expect(rows[0]!.failed_logins).toBe(5);
      expect(locked.lockedUntil).toBe(rows[0]!.locked_until.toISOString());
      // LOGIN_LOCK_MINUTES = 30, measured on the database's clock.
      expect(rows[0]!.seconds_left).toBeGreaterThan(29 * 60);
      expect(rows[0]!.seconds_left).toBeLessThanOrEqual(30 * 60);

      const stillLocked = await expectProblem(await login(base(), user.username, PASSWORD), 423, PROBLEM('account-locked'));
      expect(stillLocked.lockedUntil).toBe(locked.lockedUntil);
      const { rows: sessions } = await db.query('SELECT 1 FROM sessions WHERE user_id = $1', [user.id]);
      expect(sessions).toEqual([]);

      // The administrator sees the lock and lifts it.
      const seen = (await (await adminSession.get(`/api/users/${user.id}`)).json()) as UserBody;
      expect(seen.lockedUntil).toBe(locked.lockedUntil);
      const unlocked = await adminSession.send('PATCH', `/api/users/${user.id}`, { unlock: true });
      expect(unlocked.status).toBe(200);
      expect(((await unlocked.json()) as UserBody).lockedUntil).toBeNull();
      expect(await userRow(user.id)).toMatchObject({ failed_logins: 0, locked_until: null });

      const response = await login(base(), user.username, PASSWORD);
      expect(response.status).toBe(200);
    });

    it('when a login succeeds between failures, then the count starts again', async () => {
      const user = await createUser('planner', centers.village);
      for (let attempt = 1; attempt <= 4; attempt++) await login(base(), user.username, 'Wrong#Pass0');
      expect((await login(base(), user.username, PASSWORD)).status).toBe(200);
      expect((await userRow(user.id))?.failed_logins).toBe(0);
      await expectProblem(await login(base(), user.username, 'Wrong#Pass0'), 401, PROBLEM('bad-credentials'));
      expect((await userRow(user.id))?.failed_logins).toBe(1);
    });
  });

  describe('session lifetime', () => {
    it('when a session has been idle for 31 minutes, then the next request answers 401 with reason "expired" and the session is ended', async () => {
      const user = await createUser('leader', centers.village);
      const s = await signIn(base(), user.username, PASSWORD);
      await db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = $1`, [secretHash(cookieSecret(s))]);
      const problem = await expectProblem(await s.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
      expect(problem.reason).toBe('expired');
      expect(await sessionRow(db, s)).toMatchObject({ ended_at: expect.any(Date), end_reason: 'expired' });
      await expectProblem(await s.get('/api/grids?level=1'), 401, PROBLEM('unauthenticated'));
    });

    it('when a session has been idle for 29 minutes, then it still works and counts as active again', async () => {
      const user = await createUser('leader', centers.village);
      const s = await signIn(base(), user.username, PASSWORD);
      await db.query(`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE token_hash = $1`, [secretHash(cookieSecret(s))]);
      expect((await s.get('/api/auth/session')).status).toBe(200);
      const { rows } = await db.query<{ idle: boolean }>(
        `SELECT last_seen_at > now() - interval '1 minute' AS idle FROM sessions WHERE token_hash = $1`,
        [secretHash(cookieSecret(s))],
      );
      expect(rows[0]!.idle).toBe(true);
    });

    it('when a session is past its absolute end (expires_at), then it answers 401 "expired" even though it was just used', async () => {
      const user = await createUser('leader', centers.village);
      const s = await signIn(base(), user.username, PASSWORD);
      expect((await s.get('/api/auth/session')).status).toBe(200);
      await db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [secretHash(cookieSecret(s))]);
      const problem = await expectProblem(await s.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
      expect(problem.reason).toBe('expired');
      expect(await sessionRow(db, s)).toMatchObject({ end_reason: 'expired' });
    });

    it('when the user signs out, then the cookie is cleared and the session no longer works', async () => {
      const user = await createUser('leader', centers.village);
      const s = await signIn(base(), user.username, PASSWORD);
      const response = await s.send('POST', '/api/auth/logout');
      expect(response.status).toBe(204);
      const cleared = response.headers.getSetCookie().find((c) => c.startsWith('pm_session='));
      expect(cleared).toBeDefined();
      expect(cleared).toMatch(/^pm_session=;/);
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970 00:00:00 GMT/i);
      expect(cleared).toMatch(/Path=\//);
      expect(await sessionRow(db, s)).toMatchObject({ end_reason: 'logout' });
      const problem = await expectProblem(await s.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
      expect(problem.reason).toBe('missing');
    });

    it('when sign-out is sent without the CSRF token, then it is refused and the session lives on', async () => {
      const user = await createUser('leader', centers.village);
      const s = await signIn(base(), user.username, PASSWORD);
      await expectProblem(await s.send('POST', '/api/auth/logout', undefined, { csrf: false }), 403, PROBLEM('csrf'));
      expect((await s.get('/api/auth/session')).status).toBe(200);
    });
  });

  describe('CSRF', () => {
    let target: TestUser;
    beforeAll(async () => {
      target = await createUser('analyst', centers.village);
    });

    it.each([
      ['without X-CSRF-Token', { csrf: false }],
      ['with a wrong X-CSRF-Token', { csrf: false, headers: { 'x-csrf-token': 'A'.repeat(43) } }],
      ['with the right token but Origin http://evil.example', { headers: { origin: 'http://evil.example' } }],
      ['with the right token but Sec-Fetch-Site cross-site', { headers: { 'sec-fetch-site': 'cross-site' } }],
    ] as const)('when a cookie-authenticated write is sent %s, then it is refused with 403 csrf and nothing changes', async (_how, options) => {
      const response = await adminSession.send('PATCH', `/api/users/${target.id}`, { displayName: '被篡改' }, options);
      await expectProblem(response, 403, PROBLEM('csrf'));
      expect((await userRow(target.id))?.display_name).toBe('测试analyst');
    });

    it('when the same write carries the right token from the page itself, then it is done', async () => {
      const response = await adminSession.send('PATCH', `/api/users/${target.id}`, { displayName: '改名' }, { headers: { origin: base() } });
      expect(response.status).toBe(200);
      expect((await userRow(target.id))?.display_name).toBe('改名');
    });

    it('when a write is authenticated by a personal access token, then it needs no CSRF header', async () => {
      const created = await adminSession.send('POST', '/api/tokens', { name: 'csrf test', expiresInDays: 1 });
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as TokenBody;
      const response = await bearer(base(), token!, 'PATCH', `/api/users/${target.id}`, { displayName: '脚本改名' });
      expect(response.status).toBe(200);
      expect((await userRow(target.id))?.display_name).toBe('脚本改名');
    });
  });

  describe('password change', () => {
    let user: TestUser;
    let s: ApiSession;
    let hashBefore: string;
    beforeAll(async () => {
      user = await createUser('operator', centers.village);
      s = await signIn(base(), user.username, PASSWORD);
      hashBefore = (await userRow(user.id))!.password_hash;
    });

    it.each([
      ['too short', () => ({ currentPassword: PASSWORD, newPassword: 'Ab1!xyz' }), 'newPassword'],
      ['of two character classes only', () => ({ currentPassword: PASSWORD, newPassword: 'abcdefgh12345' }), 'newPassword'],
      ['containing the user name', () => ({ currentPassword: PASSWORD, newPassword: `X!${user.username.toUpperCase()}9` }), 'newPassword'],
      ['the same as the current one', () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }), 'newPassword'],
      ['sent with a wrong current password', () => ({ currentPassword: 'Wrong#Pass2026', newPassword: OTHER_PASSWORD }), 'currentPassword'],
    ] as const)('when the new password is %s, then the answer is 400 invalid-params on %s and the password stays', async (_what, body, field) => {
      expect(await invalidParams(await s.send('POST', '/api/auth/password', body()))).toEqual([field]);
      expect((await userRow(user.id))?.password_hash).toBe(hashBefore);
    });

    it('when a good new password is set, then the answer is 204, the other sessions end, this one survives and the new password signs in', async () => {
      const other = await signIn(base(), user.username, PASSWORD);
      const response = await s.send('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: OTHER_PASSWORD });
      expect(response.status).toBe(204);
      expect((await s.get('/api/auth/session')).status).toBe(200);
      await expectProblem(await other.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
      expect(await sessionRow(db, other)).toMatchObject({ end_reason: 'password_changed' });
      expect((await userRow(user.id))?.password_hash).toMatch(/^\$argon2id\$/);
      await expectProblem(await login(base(), user.username, PASSWORD), 401, PROBLEM('bad-credentials'));
      expect((await login(base(), user.username, OTHER_PASSWORD)).status).toBe(200);
    });
  });

  describe('forced password change', () => {
    it('when an administrator creates a user, then that user can only read its session, sign out or change its password until it does', async () => {
      const username = `t-acc-new-${randomUUID().slice(0, 8)}`;
      const initial = 'Initial#Pass2026';
      const response = await adminSession.send('POST', '/api/users', {
        username,
        displayName: '新值班员',
        role: 'operator',
        centerId: centers.village,
        password: initial,
      });
      expect(response.status).toBe(201);
      const user = (await response.json()) as UserBody;
      created.add(user.id);
      expect(user.mustChangePassword).toBe(true);

      const s = await signIn(base(), username, initial);
      expect((s.session as unknown as { mustChangePassword: boolean }).mustChangePassword).toBe(true);

      const { rows } = await db.query<{ incident_id: number }>('SELECT min(id) AS incident_id FROM incidents');
      const fill = (path: string) =>
        path
          .replace(':id/personal-data', `${rows[0]!.incident_id}/personal-data`)
          .replace('/incidents/:id', `/incidents/${rows[0]!.incident_id}`)
          .replace('/users/:id', `/users/${user.id}`)
          .replace('/sessions/:id', `/sessions/${randomUUID()}`)
          .replace('/tokens/:id', '/tokens/999999999')
          .replace(':layer', 'water');
      const allowed = new Set(['GET /api/auth/session', 'POST /api/auth/logout', 'POST /api/auth/password']);
      const refused: string[] = [];
      for (const route of server.routes) {
        const name = `${route.method.toUpperCase()} ${route.path}`;
        if (route.access === 'public' || allowed.has(name)) continue;
        const path = fill(route.path);
        const answer = route.method === 'get' ? await s.get(path) : await s.send(route.method.toUpperCase(), path, {});
        const body = (await answer.json()) as Problem | { code: number; description: string }[];
        expect(answer.status, name).toBe(403);
        // Open311 clients get their own error format (docs/live-and-dispatch.md), with the same reason.
        if (Array.isArray(body)) expect(body[0]?.description, name).toMatch(/password/i);
        else expect(body.type, name).toBe(PROBLEM('password-change-required'));
        refused.push(name);
      }
      expect(refused).toEqual(expect.arrayContaining(['GET /api/grids', 'GET /api/incidents', 'GET /api/tokens', 'POST /api/tokens', 'GET /api/auth/sessions']));
      expect((await s.get('/api/auth/session')).status).toBe(200);

      const changed = await s.send('POST', '/api/auth/password', { currentPassword: initial, newPassword: OTHER_PASSWORD });
      expect(changed.status).toBe(204);
      const session = (await (await s.get('/api/auth/session')).json()) as { mustChangePassword: boolean };
      expect(session.mustChangePassword).toBe(false);
      expect((await s.get('/api/grids?level=1')).status).toBe(200);
      expect((await s.get('/api/incidents?limit=1')).status).toBe(200);
    });
  });

  describe('own sessions', () => {
    it('when a user lists its sessions, then each live one is there and the current one is marked', async () => {
      const user = await createUser('analyst', centers.town);
      const a = await signIn(base(), user.username, PASSWORD);
      const b = await signIn(base(), user.username, PASSWORD);
      const response = await a.get('/api/auth/sessions');
      expect(response.status).toBe(200);
      const { sessions } = (await response.json()) as { sessions: { id: string; current: boolean; ip: string | null; createdAt: string; lastSeenAt: string }[] };
      const idA = (await sessionRow(db, a)).id;
      const idB = (await sessionRow(db, b)).id;
      expect(sessions.map((x) => x.id).sort()).toEqual([idA, idB].sort());
      expect(sessions.find((x) => x.id === idA)).toMatchObject({ current: true, ip: '127.0.0.1', createdAt: expect.any(String), lastSeenAt: expect.any(String) });
      expect(sessions.find((x) => x.id === idB)?.current).toBe(false);
    });

    it('when a user revokes one of its own sessions, then that session stops working and the others go on; its current one ends with the cookie cleared', async () => {
      const user = await createUser('analyst', centers.town);
      const a = await signIn(base(), user.username, PASSWORD);
      const b = await signIn(base(), user.username, PASSWORD);
      const idB = (await sessionRow(db, b)).id;
      expect((await a.send('DELETE', `/api/auth/sessions/${idB}`)).status).toBe(204);
      await expectProblem(await b.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
      expect(await sessionRow(db, b)).toMatchObject({ end_reason: 'revoked' });
      expect((await a.get('/api/auth/session')).status).toBe(200);
      await expectProblem(await a.send('DELETE', `/api/auth/sessions/${idB}`), 404);

      const idA = (await sessionRow(db, a)).id;
      const own = await a.send('DELETE', `/api/auth/sessions/${idA}`);
      expect(own.status).toBe(204);
      expect(own.headers.getSetCookie().find((c) => c.startsWith('pm_session='))).toMatch(/^pm_session=;/);
      await expectProblem(await a.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
    });

    it("when a user revokes another user's session, then the answer is 404 and that session goes on", async () => {
      const user = await createUser('analyst', centers.town);
      const victim = await createUser('analyst', centers.town);
      const a = await signIn(base(), user.username, PASSWORD);
      const v = await signIn(base(), victim.username, PASSWORD);
      const idV = (await sessionRow(db, v)).id;
      const outside = await expectProblem(await a.send('DELETE', `/api/auth/sessions/${idV}`), 404);
      const missing = await expectProblem(await a.send('DELETE', `/api/auth/sessions/${randomUUID()}`), 404);
      expect({ ...outside, detail: undefined, instance: undefined }).toEqual({ ...missing, detail: undefined, instance: undefined });
      expect((await v.get('/api/auth/session')).status).toBe(200);
      expect(await sessionRow(db, v)).toMatchObject({ ended_at: null });
    });
  });

  describe('personal access tokens', () => {
    let user: TestUser;
    let s: ApiSession;
    let neighbourIncident: number;

    beforeAll(async () => {
      user = await createUser('operator', centers.village);
      s = await signIn(base(), user.username, PASSWORD);
      const { rows } = await db.query<{ id: number }>(
        `SELECT min(i.id) AS id FROM incidents i JOIN centers c ON c.id = i.center_id WHERE c.code = 'C-511699-01-002'`,
      );
      neighbourIncident = rows[0]!.id;
    });

    async function createToken(body: Record<string, unknown>): Promise<TokenBody & { token: string }> {
      const response = await s.send('POST', '/api/tokens', body);
      const text = await response.text();
      expect(response.status, text).toBe(201);
      return JSON.parse(text) as TokenBody & { token: string };
    }

    it('when a token is created, then its secret (pm_…) is shown once and only its SHA-256 is stored', async () => {
      const response = await s.send('POST', '/api/tokens', { name: 'QGIS 桌面', expiresInDays: 30 });
      expect(response.status).toBe(201);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const token = (await response.json()) as TokenBody & { token: string };
      expect(token).toEqual({
        id: expect.any(Number),
        name: 'QGIS 桌面',
        role: null,
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
        token: expect.stringMatching(/^pm_[A-Za-z0-9_-]{43}$/),
      });
      expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(30 * 86_400_000);

      const { rows } = await db.query<{ hash: string; row: string }>(
        `SELECT encode(token_hash, 'hex') AS hash, row_to_json(t)::text AS row FROM access_tokens t WHERE id = $1`,
        [token.id],
      );
      expect(rows[0]!.hash).toBe(createHash('sha256').update(token.token).digest('hex'));
      const secretPart = token.token.slice(3);
      expect(rows[0]!.row).not.toContain(secretPart);
      const { rows: leaks } = await db.query(
        `SELECT 'audit' FROM audit_log WHERE detail::text LIKE $1
         UNION ALL SELECT 'sessions' FROM sessions WHERE row_to_json(sessions)::text LIKE $1`,
        [`%${secretPart}%`],
      );
      expect(leaks).toEqual([]);

      // The list shows it, without the secret.
      const list = (await (await s.get('/api/tokens')).json()) as { tokens: TokenBody[] };
      const listed = list.tokens.find((t) => t.id === token.id);
      const { token: _secret, ...rest } = token;
      expect(listed).toEqual(rest);
      expect(JSON.stringify(list)).not.toContain(secretPart);
    });

    it('when a token is sent as Bearer, then /api/grids and /api/incidents answer exactly what the session of its user answers', async () => {
      const { token } = await createToken({ name: 'scope', expiresInDays: 1 });
      for (const path of ['/api/grids', '/api/incidents?limit=500', '/api/centers', '/api/map/extent']) {
        const viaToken = await bearer(base(), token, 'GET', path);
        const viaCookie = await s.get(path);
        expect(viaToken.status, path).toBe(200);
        expect(viaCookie.status, path).toBe(200);
        expect(await viaToken.json()).toEqual(await viaCookie.json());
      }
      await expectProblem(await bearer(base(), token, 'GET', `/api/incidents/${neighbourIncident}`), 404);
      const session = (await (await bearer(base(), token, 'GET', '/api/auth/session')).json()) as Record<string, unknown>;
      expect(session).toMatchObject({ via: 'token', csrfToken: null, expiresAt: null, permissions: [...PERMISSIONS.operator], user: { id: user.id, role: 'operator' } });
      expect(JSON.stringify(session)).not.toContain(token);
      const list = (await (await s.get('/api/tokens')).json()) as { tokens: TokenBody[] };
      expect(list.tokens.find((t) => t.name === 'scope')?.lastUsedAt).toEqual(expect.any(String));
    });

    it('when an operator makes an analyst token (a dashboard), then it reads like an analyst and cannot unmask (403)', async () => {
      const { rows } = await db.query<{ id: number }>('SELECT min(id) AS id FROM incidents WHERE center_id = $1', [centers.village]);
      const incident = rows[0]!.id;
      const token = await createToken({ name: 'dashboard', expiresInDays: 7, role: 'analyst' });
      expect(token.role).toBe('analyst');
      expect((await bearer(base(), token.token, 'GET', '/api/incidents?limit=5')).status).toBe(200);
      const problem = await expectProblem(
        await bearer(base(), token.token, 'POST', `/api/incidents/${incident}/personal-data`, { reason: '回访核实' }),
        403,
        PROBLEM('forbidden'),
      );
      expect(problem).toMatchObject({ action: 'personal:unmask' });
      const session = (await (await bearer(base(), token.token, 'GET', '/api/auth/session')).json()) as { permissions: string[]; user: { role: string } };
      expect(session.permissions).toEqual([...PERMISSIONS.analyst]);
      expect(session.user.role).toBe('analyst');
      // The operator's own session may unmask the same incident.
      expect((await s.send('POST', `/api/incidents/${incident}/personal-data`, { reason: '回访核实' })).status).toBe(200);
    });

    // A leader sets deadlines, which an operator may not: a leader token would be wider than its user.
    it.each(['district_admin', 'auditor', 'leader'] as const)('when an operator asks for a %s token, then the answer is 400 on role and no token is made', async (role) => {
      const before = await db.query('SELECT id FROM access_tokens WHERE user_id = $1', [user.id]);
      expect(await invalidParams(await s.send('POST', '/api/tokens', { name: 'wider', expiresInDays: 1, role }))).toEqual(['role']);
      const after = await db.query('SELECT id FROM access_tokens WHERE user_id = $1', [user.id]);
      expect(after.rows).toEqual(before.rows);
    });

    it('when a token tries to manage tokens, sessions or the password, then it is refused with 403', async () => {
      const token = await createToken({ name: 'no self-service', expiresInDays: 1 });
      const before = await db.query('SELECT id FROM access_tokens WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
      const calls: [string, string, unknown?][] = [
        ['GET', '/api/tokens'],
        ['POST', '/api/tokens', { name: 'minted by a token', expiresInDays: 1 }],
        ['DELETE', `/api/tokens/${token.id}`],
        ['GET', '/api/auth/sessions'],
        ['DELETE', `/api/auth/sessions/${(await sessionRow(db, s)).id}`],
        ['POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: OTHER_PASSWORD }],
        ['POST', '/api/auth/logout'],
      ];
      for (const [method, path, body] of calls) {
        await expectProblem(await bearer(base(), token.token, method, path, body), 403, PROBLEM('forbidden'));
      }
      const after = await db.query('SELECT id FROM access_tokens WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
      expect(after.rows).toEqual(before.rows);
      expect((await s.get('/api/auth/session')).status).toBe(200);
      expect((await login(base(), user.username, PASSWORD)).status).toBe(200);
    });

    it('when a token is revoked, then it answers 401; revoking it again is 404', async () => {
      const token = await createToken({ name: 'revoke me', expiresInDays: 1 });
      expect((await bearer(base(), token.token, 'GET', '/api/grids?level=1')).status).toBe(200);
      expect((await s.send('DELETE', `/api/tokens/${token.id}`)).status).toBe(204);
      const problem = await expectProblem(await bearer(base(), token.token, 'GET', '/api/grids?level=1'), 401, PROBLEM('unauthenticated'));
      expect(problem.reason).toBe('invalid-token');
      await expectProblem(await s.send('DELETE', `/api/tokens/${token.id}`), 404);
      const list = (await (await s.get('/api/tokens')).json()) as { tokens: TokenBody[] };
      expect(list.tokens.find((t) => t.id === token.id)?.revokedAt).toEqual(expect.any(String));
    });

    it('when a token is past its expiry, then it answers 401', async () => {
      const token = await createToken({ name: 'expire me', expiresInDays: 1 });
      expect((await bearer(base(), token.token, 'GET', '/api/grids?level=1')).status).toBe(200);
      await db.query(`UPDATE access_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`, [token.id]);
      await expectProblem(await bearer(base(), token.token, 'GET', '/api/grids?level=1'), 401, PROBLEM('unauthenticated'));
    });

    it('when a Bearer value is not a token at all, then it answers 401 invalid-token, even with a valid cookie', async () => {
      const response = await fetch(`${base()}/api/auth/session`, { headers: { cookie: s.cookie, authorization: 'Bearer not-a-token' } });
      const problem = await expectProblem(response, 401, PROBLEM('unauthenticated'));
      expect(problem.reason).toBe('invalid-token');
    });

    // A token's role is checked against its user's current role at every use.
    it("when an administrator demotes a user, then the user's tokens can no longer do what the new role may not", async () => {
      const worker = await createUser('operator', centers.village);
      const ws = await signIn(base(), worker.username, PASSWORD);
      const response = await ws.send('POST', '/api/tokens', { name: 'operator token', expiresInDays: 30, role: 'operator' });
      expect(response.status).toBe(201);
      const { token } = (await response.json()) as { token: string };
      const { rows } = await db.query<{ id: number }>('SELECT min(id) AS id FROM incidents WHERE center_id = $1', [centers.village]);
      expect((await adminSession.send('PATCH', `/api/users/${worker.id}`, { role: 'leader' })).status).toBe(200);
      // The demoted user's own session may not unmask any more ...
      expect((await ws.send('POST', `/api/incidents/${rows[0]!.id}/personal-data`, { reason: '降级后回访' })).status).toBe(403);
      // ... and neither may its token.
      const viaToken = await bearer(base(), token, 'POST', `/api/incidents/${rows[0]!.id}/personal-data`, { reason: '降级后回访' });
      expect(viaToken.status).not.toBe(200);
    });

    it("when an administrator disables a user, then that user's sessions and tokens stop working at once and it cannot sign in", async () => {
      const victim = await createUser('grid_worker', centers.village);
      const vs = await signIn(base(), victim.username, PASSWORD);
      const created = await vs.send('POST', '/api/tokens', { name: 'field app', expiresInDays: 30 });
      const { token } = (await created.json()) as { token: string };
      expect((await bearer(base(), token, 'GET', '/api/grids?level=1')).status).toBe(200);

      const response = await adminSession.send('PATCH', `/api/users/${victim.id}`, { disabled: true });
      expect(response.status).toBe(200);
      expect(((await response.json()) as UserBody).disabled).toBe(true);
      await expectProblem(await vs.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
      await expectProblem(await bearer(base(), token, 'GET', '/api/grids?level=1'), 401, PROBLEM('unauthenticated'));
      expect(await sessionRow(db, vs)).toMatchObject({ end_reason: 'disabled' });
      const { rows } = await db.query<{ revoked: boolean }>('SELECT revoked_at IS NOT NULL AS revoked FROM access_tokens WHERE user_id = $1', [victim.id]);
      expect(rows).toEqual([{ revoked: true }]);
      await expectProblem(await login(base(), victim.username, PASSWORD), 401, PROBLEM('bad-credentials'));
    });
  });

  describe('account administration', () => {
    let townAdmin: ApiSession;
    beforeAll(async () => {
      townAdmin = await signIn(base(), 'admin.town');
    });

    it('when an administrator creates a user, then the answer is 201 with the user, who must change the password; the password is stored as argon2id', async () => {
      const username = `t-acc-mk-${randomUUID().slice(0, 8)}`;
      const response = await adminSession.send('POST', '/api/users', {
        username: username.toUpperCase(),
        displayName: '  新研判员  ',
        role: 'analyst',
        centerId: centers.town,
        password: 'Initial#Pass2026',
      });
      expect(response.status).toBe(201);
      const user = (await response.json()) as UserBody;
      created.add(user.id);
      expect(user).toEqual({
        id: expect.any(Number),
        username,
        displayName: '新研判员',
        role: 'analyst',
        center: { id: centers.town, code: 'C-511699-01', name: expect.any(String), level: 'town' },
        disabled: false,
        lockedUntil: null,
        mustChangePassword: true,
        lastLoginAt: null,
        createdAt: expect.any(String),
      });
      const row = await userRow(user.id);
      expect(row).toMatchObject({ must_change_password: true, disabled: false });
      expect(row!.password_hash).toMatch(/^\$argon2id\$/);
      expect(row!.password_hash).not.toContain('Initial#Pass2026');
      expect(await (await adminSession.get(`/api/users/${user.id}`)).json()).toEqual(user);

      // The same name again, in any case: 409.
      const again = await adminSession.send('POST', '/api/users', {
        username,
        displayName: '重名',
        role: 'leader',
        centerId: centers.village,
        password: 'Initial#Pass2026',
      });
      await expectProblem(again, 409);
      const { rows } = await db.query('SELECT id FROM users WHERE username = $1', [username]);
      expect(rows).toEqual([{ id: user.id }]);
    });

    it('when a new password breaks the policy, then the answer is 400 on password and no user is made', async () => {
      const username = `t-acc-weak-${randomUUID().slice(0, 8)}`;
      const response = await adminSession.send('POST', '/api/users', { username, displayName: '弱口令', role: 'leader', centerId: centers.town, password: 'password' });
      expect(await invalidParams(response)).toEqual(['password']);
      const { rows } = await db.query('SELECT 1 FROM users WHERE username = $1', [username]);
      expect(rows).toEqual([]);
    });

    it("when a town administrator creates a user at another town's center, then the answer is 400 naming centerId and nothing is made", async () => {
      const username = `t-acc-out-${randomUUID().slice(0, 8)}`;
      const response = await townAdmin.send('POST', '/api/users', {
        username,
        displayName: '越权',
        role: 'operator',
        centerId: centers.otherTown,
        password: 'Initial#Pass2026',
      });
      expect(await invalidParams(response)).toEqual(['centerId']);
      const { rows } = await db.query('SELECT 1 FROM users WHERE username = $1', [username]);
      expect(rows).toEqual([]);

      // At one of its own villages it may.
      const inside = await townAdmin.send('POST', '/api/users', {
        username,
        displayName: '本镇',
        role: 'operator',
        centerId: centers.village,
        password: 'Initial#Pass2026',
      });
      expect(inside.status).toBe(201);
      created.add(((await inside.json()) as UserBody).id);
    });

    it('when a town administrator changes a user of another town, then the answer is the 404 of a missing user and nothing changes', async () => {
      const stranger = await createUser('leader', centers.otherTown);
      const outside = await expectProblem(await townAdmin.send('PATCH', `/api/users/${stranger.id}`, { displayName: '越权修改', disabled: true }), 404);
      const missing = await expectProblem(await townAdmin.send('PATCH', '/api/users/2000000000', { displayName: '越权修改', disabled: true }), 404);
      const strip = (p: Problem) => ({ ...p, instance: undefined, detail: p.detail?.replace(/\d+$/, '<id>') });
      expect(strip(outside)).toEqual(strip(missing));
      await expectProblem(await townAdmin.get(`/api/users/${stranger.id}`), 404);
      await expectProblem(await townAdmin.send('POST', `/api/users/${stranger.id}/password`, { password: 'Another#Pass2026' }), 404);
      expect(await userRow(stranger.id)).toMatchObject({ display_name: '测试leader', disabled: false, must_change_password: false });
      expect((await login(base(), stranger.username, PASSWORD)).status).toBe(200);
    });

    it('when an administrator tries to disable or demote itself, then the answer is 409 and nothing changes', async () => {
      for (const change of [{ disabled: true }, { role: 'leader' }, { centerId: centers.town }]) {
        await expectProblem(await adminSession.send('PATCH', `/api/users/${admin.id}`, change), 409);
      }
      expect(await userRow(admin.id)).toMatchObject({ disabled: false, role: 'district_admin', center_id: centers.district });
      expect((await adminSession.get('/api/auth/session')).status).toBe(200);
      // Its own display name it may change.
      expect((await adminSession.send('PATCH', `/api/users/${admin.id}`, { displayName: '管理员' })).status).toBe(200);
    });

    it("when an administrator resets a user's password, then the user's sessions end and it must change the new password at its next login", async () => {
      const target = await createUser('operator', centers.village);
      const a = await signIn(base(), target.username, PASSWORD);
      const b = await signIn(base(), target.username, PASSWORD);
      expect(await invalidParams(await adminSession.send('POST', `/api/users/${target.id}/password`, { password: 'short' }))).toEqual(['password']);
      const response = await adminSession.send('POST', `/api/users/${target.id}/password`, { password: 'Reset#Pass2026' });
      expect(response.status).toBe(204);
      for (const s of [a, b]) {
        await expectProblem(await s.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
        expect(await sessionRow(db, s)).toMatchObject({ end_reason: 'password_changed' });
      }
      expect((await userRow(target.id))?.must_change_password).toBe(true);
      await expectProblem(await login(base(), target.username, PASSWORD), 401, PROBLEM('bad-credentials'));
      const fresh = await login(base(), target.username, 'Reset#Pass2026');
      expect(fresh.status).toBe(200);
      expect(((await fresh.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    });

    it("when an administrator resets a user's password, then the user's access tokens stop working too", async () => {
      const target = await createUser('operator', centers.village);
      const session = await signIn(base(), target.username, PASSWORD);
      const { token } = (await (await session.send('POST', '/api/tokens', { name: 'reset test', expiresInDays: 1 })).json()) as { token: string };
      expect((await bearer(base(), token, 'GET', '/api/incidents?limit=1')).status).toBe(200);
      expect((await adminSession.send('POST', `/api/users/${target.id}/password`, { password: 'Reset#Pass2026' })).status).toBe(204);
      await expectProblem(await bearer(base(), token, 'GET', '/api/incidents?limit=1'), 401, PROBLEM('unauthenticated'));
    });

    it('when an administrator resets its own password, then the answer is 409 and it keeps its password and session', async () => {
      const hash = (await userRow(admin.id))!.password_hash;
      await expectProblem(await adminSession.send('POST', `/api/users/${admin.id}/password`, { password: 'Reset#Pass2026' }), 409);
      expect((await userRow(admin.id))!.password_hash).toBe(hash);
      expect((await adminSession.get('/api/auth/session')).status).toBe(200);
    });

    it('when an administrator creates, changes, re-passwords or promotes to an auditor, then the answer is 403 and nothing changes (三员分立)', async () => {
      const auditor = await createUser('auditor', centers.district);
      const operator = await createUser('operator', centers.village);
      const before = await userRow(auditor.id);
      const attempts: [string, string, unknown][] = [
        ['POST', '/api/users', { username: `t-acc-aud-${randomUUID().slice(0, 8)}`, displayName: '审计', role: 'auditor', centerId: centers.district, password: 'Auditor#Pass2026' }],
        ['PATCH', `/api/users/${auditor.id}`, { displayName: '改名' }],
        ['PATCH', `/api/users/${auditor.id}`, { disabled: true }],
        ['POST', `/api/users/${auditor.id}/password`, { password: 'Reset#Pass2026' }],
        ['PATCH', `/api/users/${operator.id}`, { role: 'auditor' }],
      ];
      for (const [method, path, body] of attempts) {
        await expectProblem(await adminSession.send(method, path, body), 403, PROBLEM('forbidden'));
      }
      expect(await userRow(auditor.id)).toEqual(before);
      expect((await userRow(operator.id))!.role).toBe('operator');
    });
  });

  describe('guessing the current password with a signed-in session', () => {
    it('when the current password is wrong 5 times, then the account locks like at the login and every session of it ends', async () => {
      const user = await createUser('operator', centers.village);
      const s = await signIn(base(), user.username, PASSWORD);
      const other = await signIn(base(), user.username, PASSWORD);
      const guess = { currentPassword: 'Wrong#Pass2026', newPassword: OTHER_PASSWORD };
      for (let attempt = 1; attempt <= 4; attempt++) {
        expect(await invalidParams(await s.send('POST', '/api/auth/password', guess))).toEqual(['currentPassword']);
        expect((await userRow(user.id))!.failed_logins).toBe(attempt);
      }
      const fifth = await s.send('POST', '/api/auth/password', guess);
      const problem = await expectProblem(fifth, 423, PROBLEM('account-locked'));
      expect(problem.lockedUntil).toEqual(expect.any(String));
      expect(fifth.headers.getSetCookie().join(';')).toMatch(/pm_session=;/);
      for (const session of [s, other]) await expectProblem(await session.get('/api/auth/session'), 401, PROBLEM('unauthenticated'));
      await expectProblem(await login(base(), user.username, PASSWORD), 423, PROBLEM('account-locked'));
    });
  });
});

describe('rate limits', () => {
  it('when a server allows 3 failed logins per user name, then the 4th answers 429 problem+json with Retry-After, for that name only', async () => {
    const server = await startTestServer({ LOGIN_RATE_LIMIT: '3' });
    const ids: number[] = [];
    try {
      const username = `t-acc-rl-${randomUUID().slice(0, 8)}`;
      const { rows } = await server.db.query<{ id: number }>(
        `INSERT INTO users (username, display_name, role, center_id, password_hash, must_change_password)
         SELECT $1, '限流测试', 'leader', id, $2, false FROM centers WHERE code = 'C-511699-01-001' RETURNING id`,
        [username, await hashPassword(PASSWORD)],
      );
      ids.push(rows[0]!.id);
      for (let attempt = 1; attempt <= 3; attempt++) {
        await expectProblem(await login(server.baseUrl, username, 'Wrong#Pass2026'), 401, PROBLEM('bad-credentials'));
      }
      // Even the right password: the name is held off for the window.
      const limited = await login(server.baseUrl, username, PASSWORD);
      await expectProblem(limited, 429, PROBLEM('rate-limited'));
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const { rows: account } = await server.db.query<{ failed_logins: number }>('SELECT failed_logins FROM users WHERE id = $1', [ids[0]]);
      expect(account[0]!.failed_logins).toBe(3); // the refused attempt never reached the account
      // Another name from the same address is still heard.
      await expectProblem(await login(server.baseUrl, `t-acc-other-${randomUUID().slice(0, 8)}`, 'Wrong#Pass2026'), 401, PROBLEM('bad-credentials'));
      expect((await login(server.baseUrl, 'leader.village')).status).toBe(200);
    } finally {
      await server.db.query('DELETE FROM users WHERE id = ANY($1::bigint[])', [ids]);
      await server.close();
    }
  });

  // The limiter's key is the user name as the login reads it (trimmed, lower case).
  it('when the user name is padded with spaces, then it counts against the same limit', async () => {
    const server = await startTestServer({ LOGIN_RATE_LIMIT: '3' });
    try {
      const username = `t-acc-pad-${randomUUID().slice(0, 8)}`;
      for (let attempt = 1; attempt <= 3; attempt++) expect((await login(server.baseUrl, username, 'Wrong#Pass2026')).status).toBe(401);
      expect((await login(server.baseUrl, username, 'Wrong#Pass2026')).status).toBe(429);
      expect((await login(server.baseUrl, ` ${username}`, 'Wrong#Pass2026')).status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('when a server allows 2 writes a minute per user, then the 3rd write answers 429 while reads and other users go on', async () => {
    const server = await startTestServer({ WRITE_RATE_LIMIT: '2' });
    try {
      const s = await signIn(server.baseUrl, 'operator.village');
      for (let write = 1; write <= 2; write++) {
        await expectProblem(await s.send('POST', '/api/tokens', { name: '' }), 400);
      }
      const limited = await s.send('POST', '/api/tokens', { name: 'third write', expiresInDays: 1 });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectProblem(limited, 429, PROBLEM('rate-limited'));
      const { rows } = await server.db.query(`SELECT 1 FROM access_tokens WHERE name = 'third write'`);
      expect(rows).toEqual([]);
      expect((await s.get('/api/tokens')).status).toBe(200);
      const other = await signIn(server.baseUrl, 'operator.village2');
      await expectProblem(await other.send('POST', '/api/tokens', { name: '' }), 400);
    } finally {
      await server.close();
    }
  });
});
