import { scopeOf } from '../auth/caller.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import type { AccessPolicy } from '../auth/policy.js';
import { endUserSessions, revokeUserTokens, setPassword } from '../auth/repository.js';
import { guarded, type Route } from '../auth/routes.js';
import { findCenterInScope } from '../centers/repository.js';
import type { Database, Queryable } from '../db/database.js';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { findUser, insertUser, listUsers, updateUser, type UserAccount } from './repository.js';
import { PasswordResetBody, UserCreateBody, UserIdParams, UserPatchBody, UsersQuery } from './schema.js';

/** `/api/users`: account administration within the administrator's jurisdiction. */
export function userRoutes(db: Database, policy: AccessPolicy): Route[] {
  const checkPassword = (password: string, username: string, field = 'password') => {
    const problems = passwordProblems(password, username, { minLength: policy.passwordMinLength });
    if (problems.length > 0) throw HttpProblem.invalidParams(problems.map((reason) => ({ name: field, in: 'body' as const, reason })));
  };
  const centerInScope = async (q: Queryable, scope: number, centerId: number) => {
    if (!(await findCenterInScope(q, scope, centerId))) {
      throw HttpProblem.invalidParams([{ name: 'centerId', in: 'body', reason: 'no such center in your jurisdiction' }]);
    }
  };
  // 三员分立: the administrator does not create, change or re-password auditors, who
  // watch the administrator; auditor accounts are made with `npm run user:add`.
  const notAuditor = (role: string | undefined, what: string) => {
    if (role === 'auditor') {
      throw new HttpProblem(403, {
        type: ProblemType.forbidden,
        detail: `administrators cannot ${what} auditor accounts; they are managed with npm run user:add on the server`,
      });
    }
  };
  const mustFind = async (q: Queryable, scope: number, id: number): Promise<UserAccount> => {
    const user = await findUser(q, scope, id);
    if (!user) throw HttpProblem.notFound(`there is no user ${id}`);
    return user;
  };

  return [
    guarded({
      method: 'get',
      path: '/users',
      summary: 'User accounts of the jurisdiction, filtered and paged',
      access: 'users:manage',
      schemas: { query: UsersQuery },
      async handler({ res, caller, input }) {
        const filter = input.query;
        const users = await listUsers(db, scopeOf(caller), filter);
        const next = users.length === filter.limit ? String(users.at(-1)!.id) : null;
        res.set('Cache-Control', 'no-store').json({ users, next });
      },
    }),

    guarded({
      method: 'get',
      path: '/users/:id',
      summary: 'One user account',
      access: 'users:manage',
      schemas: { params: UserIdParams },
      async handler({ res, caller, input }) {
        res.set('Cache-Control', 'no-store').json(await mustFind(db, scopeOf(caller), input.params.id));
      },
    }),

    guarded({
      method: 'post',
      path: '/users',
      summary: 'Create a user account, which must change its password at first sign-in',
      status: 201,
      access: 'users:manage',
      audit: 'user.create',
      schemas: { body: UserCreateBody },
      async handler({ res, caller, input, audit }) {
        const body = input.body;
        notAuditor(body.role, 'create');
        checkPassword(body.password, body.username);
        const passwordHash = await hashPassword(body.password);
        const user = await db.tx(async (q) => {
          await centerInScope(q, scopeOf(caller), body.centerId);
          const id = await insertUser(q, { ...body, passwordHash });
          await audit(q, {
            action: 'user.create',
            outcome: 'success',
            objectType: 'user',
            objectId: id,
            detail: { username: body.username, role: body.role, centerId: body.centerId },
          });
          return mustFind(q, scopeOf(caller), id);
        });
        res.status(201).set('Cache-Control', 'no-store').json(user);
      },
    }),

    guarded({
      method: 'patch',
      path: '/users/:id',
      summary: 'Change, disable or unlock a user account',
      access: 'users:manage',
      audit: 'user.update',
      schemas: { params: UserIdParams, body: UserPatchBody },
      async handler({ res, caller, input, audit }) {
        const { id } = input.params;
        const change = input.body;
        const scope = scopeOf(caller);
        if (id === caller.userId && (change.disabled === true || change.role !== undefined || change.centerId !== undefined)) {
          throw new HttpProblem(409, { detail: 'administrators cannot disable themselves or change their own role or center' });
        }
        notAuditor(change.role, 'make');
        notAuditor((await mustFind(db, scope, id)).role, 'change');
        const user = await db.tx(async (q) => {
          if (change.centerId !== undefined) await centerInScope(q, scope, change.centerId);
          if (!(await updateUser(q, scope, id, change))) throw HttpProblem.notFound(`there is no user ${id}`);
          if (change.disabled === true) {
            await endUserSessions(q, id, 'disabled');
            await revokeUserTokens(q, id);
          }
          await audit(q, { action: 'user.update', outcome: 'success', objectType: 'user', objectId: id, detail: { change } });
          return mustFind(q, scope, id);
        });
        res.set('Cache-Control', 'no-store').json(user);
      },
    }),

    guarded({
      method: 'post',
      path: '/users/:id/password',
      summary: "Reset a user's password; their sessions and tokens end",
      status: 204,
      access: 'users:manage',
      audit: 'user.password.reset',
      schemas: { params: UserIdParams, body: PasswordResetBody },
      async handler({ res, caller, input, audit }) {
        const { id } = input.params;
        if (id === caller.userId) {
          throw new HttpProblem(409, { detail: 'change your own password on the account page, which asks for the current one' });
        }
        const target = await mustFind(db, scopeOf(caller), id);
        notAuditor(target.role, 'reset the password of');
        checkPassword(input.body.password, target.username);
        const hash = await hashPassword(input.body.password);
        await db.tx(async (q) => {
          await setPassword(q, id, hash, true);
          // A reset suggests the credentials may be known to someone else: tokens go too.
          await endUserSessions(q, id, 'password_changed');
          await revokeUserTokens(q, id);
          await audit(q, { action: 'user.password.reset', outcome: 'success', objectType: 'user', objectId: id });
        });
        res.status(204).end();
      },
    }),
  ];
}
