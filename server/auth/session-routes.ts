import type { Request, RequestHandler, Response } from 'express';
import { appendAudit, type AuditActor } from '../audit/repository.js';
import type { Database } from '../db/database.js';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { checkPassword, hashPassword, passwordProblems } from './passwords.js';
import type { AccessPolicy } from './policy.js';
import {
  createSession,
  endSession,
  endUserSessions,
  findLoginAccount,
  findPasswordHash,
  listSessions,
  recordLoginFailure,
  recordLoginSuccess,
  setPassword,
  type LoginAccount,
} from './repository.js';
import { guarded, isCrossSite, open, type Route } from './routes.js';
import { LoginBody, PasswordChangeBody, UuidParams } from './schema.js';
import { newSecret, secretHash, SESSION_COOKIE } from './secrets.js';
import { sessionBody } from './session-body.js';

/** Sign-in, sign-out, the current session, password change and the user's own sessions. */
export function sessionRoutes(db: Database, policy: AccessPolicy, loginLimiter: RequestHandler): Route[] {
  return [
    open({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with user name and password: the session and its cookie pm_session',
      schemas: { body: LoginBody },
      before: [loginLimiter],
      async handler({ req, res, input }) {
        const { username, password } = input.body;
        const ip = req.ip ?? null;
        const anonymous: AuditActor = { userId: null, username, role: null, centerId: null, ip };
        if (isCrossSite(req)) {
          await appendAudit(db, anonymous, { action: 'auth.login', outcome: 'denied', detail: { reason: 'cross_site' } });
          throw new HttpProblem(403, { type: ProblemType.csrf, detail: 'sign in from the Pingan Map page itself' });
        }
        const account = await findLoginAccount(db, username);
        const actor: AuditActor = account
          ? { userId: account.userId, username: account.username, role: account.role, centerId: account.center.id, ip }
          : anonymous;
        const check = await checkPassword(account && !account.disabled ? account.passwordHash : null, password);
        if (!account || account.disabled) {
          await appendAudit(db, actor, { action: 'auth.login', outcome: 'failure', detail: { reason: account ? 'disabled' : 'unknown_user' } });
          throw badCredentials();
        }
        if (account.locked) {
          await appendAudit(db, actor, { action: 'auth.login', outcome: 'denied', detail: { reason: 'locked' } });
          throw locked(account.lockedUntil);
        }
        if (!check.ok) {
          const after = await db.tx(async (q) => {
            const state = await recordLoginFailure(q, account.userId, { maxFailures: policy.loginMaxFailures, lockMinutes: policy.loginLockMinutes });
            await appendAudit(q, actor, {
              action: 'auth.login',
              outcome: 'failure',
              detail: { reason: 'wrong_password', failedLogins: state.failedLogins, locked: state.locked },
            });
            return state;
          });
          throw after.locked ? locked(after.lockedUntil) : badCredentials();
        }
        await startSession(db, req, res, account, actor, check.rehash ? await hashPassword(password) : null, policy);
      },
    }),

    guarded({
      method: 'get',
      path: '/auth/session',
      summary: "The caller's session: user, center, permissions, CSRF token and expiry",
      access: 'signed-in',
      duringPasswordChange: true,
      async handler({ res, caller }) {
        res.set('Cache-Control', 'no-store').json(
          sessionBody(caller, { via: caller.via, csrfToken: caller.csrfToken, expiresAt: caller.sessionExpiresAt }, policy),
        );
      },
    }),

    guarded({
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out: end this session and clear its cookie',
      status: 204,
      access: 'browser-session',
      audit: 'auth.logout',
      duringPasswordChange: true,
      async handler({ res, caller, audit }) {
        await db.tx(async (q) => {
          await endSession(q, caller.sessionId!, caller.userId, 'logout');
          await audit(q, { action: 'auth.logout', outcome: 'success', objectType: 'session', objectId: caller.sessionId! });
        });
        clearSessionCookie(res);
        res.status(204).end();
      },
    }),

    guarded({
      method: 'post',
      path: '/auth/password',
      summary: "Change one's own password; the user's other sessions end",
      status: 204,
      access: 'browser-session',
      audit: 'auth.password.change',
      duringPasswordChange: true,
      schemas: { body: PasswordChangeBody },
      async handler({ res, caller, input, audit }) {
        const { currentPassword, newPassword } = input.body;
        const current = await checkPassword(await findPasswordHash(db, caller.userId), currentPassword);
        if (!current.ok) {
          // Guessing here with a stolen session counts like guessing at the login, and a
          // lock ends every session of the account.
          const state = await db.tx(async (q) => {
            const after = await recordLoginFailure(q, caller.userId, { maxFailures: policy.loginMaxFailures, lockMinutes: policy.loginLockMinutes });
            if (after.locked) await endUserSessions(q, caller.userId, 'revoked');
            return after;
          });
          if (state.locked) {
            clearSessionCookie(res);
            throw locked(state.lockedUntil);
          }
          throw HttpProblem.invalidParams([{ name: 'currentPassword', in: 'body', reason: 'the current password is wrong' }]);
        }
        const problems = passwordProblems(newPassword, caller.username, { minLength: policy.passwordMinLength });
        if (newPassword === currentPassword) problems.push('must differ from the current password');
        if (problems.length > 0) {
          throw HttpProblem.invalidParams(problems.map((reason) => ({ name: 'newPassword', in: 'body' as const, reason })));
        }
        const hash = await hashPassword(newPassword);
        await db.tx(async (q) => {
          await setPassword(q, caller.userId, hash, false);
          await endUserSessions(q, caller.userId, 'password_changed', caller.sessionId);
          await audit(q, { action: 'auth.password.change', outcome: 'success', objectType: 'user', objectId: caller.userId });
        });
        res.status(204).end();
      },
    }),

    guarded({
      method: 'get',
      path: '/auth/sessions',
      summary: "The caller's live sessions, the current one marked",
      access: 'browser-session',
      async handler({ res, caller }) {
        const sessions = await listSessions(db, caller.userId, policy.sessionIdleSeconds);
        res.set('Cache-Control', 'no-store').json({ sessions: sessions.map((s) => ({ ...s, current: s.id === caller.sessionId })) });
      },
    }),

    guarded({
      method: 'delete',
      path: '/auth/sessions/:id',
      summary: "End one of the caller's own sessions",
      access: 'browser-session',
      audit: 'auth.session.revoke',
      schemas: { params: UuidParams },
      async handler({ res, caller, input, audit }) {
        const { id } = input.params;
        await db.tx(async (q) => {
          if (!(await endSession(q, id, caller.userId, 'revoked'))) throw HttpProblem.notFound(`you have no live session ${id}`);
          await audit(q, { action: 'auth.session.revoke', outcome: 'success', objectType: 'session', objectId: id });
        });
        if (id === caller.sessionId) clearSessionCookie(res);
        res.status(204).end();
      },
    }),
  ];
}

async function startSession(
  db: Database,
  req: Request,
  res: Response,
  account: LoginAccount,
  actor: AuditActor,
  rehashed: string | null,
  policy: AccessPolicy,
): Promise<void> {
  const secret = newSecret();
  const csrfToken = newSecret();
  const session = await db.tx(async (q) => {
    await recordLoginSuccess(q, account.userId, rehashed);
    const created = await createSession(q, {
      tokenHash: secretHash(secret),
      userId: account.userId,
      csrfToken,
      maxHours: policy.sessionMaxHours,
      ip: actor.ip,
      userAgent: req.get('user-agent') ?? null,
    });
    await appendAudit(q, actor, { action: 'auth.login', outcome: 'success', objectType: 'session', objectId: created.id });
    return created;
  });
  res.cookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'lax',
    // Behind a TLS-terminating proxy (TRUST_PROXY set) the request counts as secure.
    secure: req.secure,
    path: '/',
    maxAge: policy.sessionMaxHours * 3_600_000,
  });
  res
    .set('Cache-Control', 'no-store')
    .json(sessionBody(account, { via: 'session', csrfToken, expiresAt: session.expiresAt }, policy));
}

function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/' });
}

const badCredentials = () =>
  new HttpProblem(401, { type: ProblemType.badCredentials, detail: 'the user name or the password is wrong' });

function locked(until: Date | null): HttpProblem {
  return new HttpProblem(423, {
    type: ProblemType.accountLocked,
    detail: 'the account is locked after too many failed sign-ins; try again later or ask an administrator to unlock it',
    extra: { lockedUntil: until?.toISOString() ?? null },
  });
}

