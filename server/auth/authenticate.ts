import type { Request } from 'express';
import type { Queryable } from '../db/database.js';
import type { Caller } from './caller.js';
import { isWithin } from './permissions.js';
import type { AccessPolicy } from './policy.js';
import { findSessionAccount, findTokenAccount } from './repository.js';
import { bearerOf, isSessionSecret, isTokenSecret, secretHash, SESSION_COOKIE } from './secrets.js';

export type Authentication =
  | { caller: Caller }
  /** `expired`: the cookie named a session that timed out; the client should say so. */
  | { caller: null; reason: 'missing' | 'expired' | 'invalid-token' };

/** What authentication reads of a request: an Express request, or a WebSocket handshake (server/live/upgrade.ts). */
export type AuthRequest = Pick<Request, 'headers' | 'cookies' | 'ip'>;

/**
 * Finds the caller of a request: a personal access token in `Authorization: Bearer`
 * (which wins when both are present), else the session cookie.
 */
export async function authenticate(q: Queryable, req: AuthRequest, policy: AccessPolicy): Promise<Authentication> {
  const ip = req.ip ?? null;
  const bearer = bearerOf(req.headers.authorization);
  if (bearer !== undefined) {
    const found = isTokenSecret(bearer) ? await findTokenAccount(q, secretHash(bearer)) : undefined;
    // A token made before its user was given a narrower role must not keep the old rights.
    if (!found || (found.tokenRole && !isWithin(found.tokenRole, found.account.role))) return { caller: null, reason: 'invalid-token' };
    const { account, tokenId, tokenRole } = found;
    return {
      caller: {
        ...account,
        role: tokenRole ?? account.role,
        via: 'token',
        sessionId: null,
        csrfToken: null,
        sessionExpiresAt: null,
        tokenId,
        ip,
      },
    };
  }

  const cookie: unknown = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  if (!isSessionSecret(cookie)) return { caller: null, reason: 'missing' };
  const found = await findSessionAccount(q, secretHash(cookie), policy.sessionIdleSeconds);
  if (found.state === 'none') return { caller: null, reason: 'missing' };
  if (found.state === 'expired') return { caller: null, reason: 'expired' };
  return {
    caller: {
      ...found.account,
      via: 'session',
      sessionId: found.sessionId,
      csrfToken: found.csrfToken,
      sessionExpiresAt: found.expiresAt,
      tokenId: null,
      ip,
    },
  };
}
