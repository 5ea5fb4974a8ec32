import type { Database } from '../db/database.js';
import { HttpProblem } from '../http/problem.js';
import { isWithin } from './permissions.js';
import { createToken, listTokens, revokeToken } from './repository.js';
import { guarded, type Route } from './routes.js';
import { IdParams, TokenCreateBody } from './schema.js';
import { newSecret, secretHash, TOKEN_PREFIX } from './secrets.js';

/** A user's personal access tokens for QGIS, GDAL, Open311 clients and scripts. */
export function tokenRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/tokens',
      summary: "The caller's personal access tokens (without their secrets)",
      access: 'browser-session',
      async handler({ res, caller }) {
        res.set('Cache-Control', 'no-store').json({ tokens: await listTokens(db, caller.userId) });
      },
    }),

    guarded({
      method: 'post',
      path: '/tokens',
      summary: 'Create a personal access token; its secret pm_… is shown this once',
      status: 201,
      access: 'browser-session',
      audit: 'token.create',
      schemas: { body: TokenCreateBody },
      async handler({ res, caller, input, audit }) {
        const { name, expiresInDays, role } = input.body;
        if (role && !isWithin(role, caller.role)) {
          throw HttpProblem.invalidParams([
            { name: 'role', in: 'body', reason: `a token may not do more than its user: ${role} is not narrower than ${caller.role}` },
          ]);
        }
        const secret = `${TOKEN_PREFIX}${newSecret()}`;
        const token = await db.tx(async (q) => {
          const created = await createToken(q, {
            userId: caller.userId,
            name,
            tokenHash: secretHash(secret),
            role: role ?? null,
            days: expiresInDays,
          });
          await audit(q, {
            action: 'token.create',
            outcome: 'success',
            objectType: 'token',
            objectId: created.id,
            detail: { name, role: role ?? null, expiresAt: created.expiresAt },
          });
          return created;
        });
        res.status(201).set('Cache-Control', 'no-store').json({ ...token, token: secret });
      },
    }),

    guarded({
      method: 'delete',
      path: '/tokens/:id',
      summary: "Revoke one of the caller's personal access tokens",
      access: 'browser-session',
      audit: 'token.revoke',
      schemas: { params: IdParams },
      async handler({ res, caller, input, audit }) {
        const { id } = input.params;
        await db.tx(async (q) => {
          if (!(await revokeToken(q, id, caller.userId))) throw HttpProblem.notFound(`you have no active token ${id}`);
          await audit(q, { action: 'token.revoke', outcome: 'success', objectType: 'token', objectId: id });
        });
        res.status(204).end();
      },
    }),
  ];
}
