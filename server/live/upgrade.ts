import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { appendAudit } from '../audit/repository.js';
import { authenticate, type AuthRequest } from '../auth/authenticate.js';
import type { Caller } from '../auth/caller.js';
import { can } from '../auth/permissions.js';
import type { AccessPolicy } from '../auth/policy.js';
import { actorOf } from '../auth/routes.js';
import { SESSION_COOKIE } from '../auth/secrets.js';
import type { Database } from '../db/database.js';
import { intParam } from '../http/params.js';
import { HttpProblem, invalidParamsFromZod, PROBLEM_CONTENT_TYPE, ProblemType } from '../http/problem.js';

/** The one WebSocket endpoint of the server. */
export const LIVE_PATH = '/ws/live';

const LiveQuery = z.object({
  /** The seq of the last message the client received. */
  after: intParam(0, Number.MAX_SAFE_INTEGER).optional(),
});

export interface LiveRequest {
  caller: Caller;
  after: number | undefined;
}

/**
 * Decides an upgrade to `/ws/live` as the guard of HTTP routes decides a request
 * (auth/routes.ts): the caller by session cookie or bearer token (401), a browser page of
 * another site refused like a cross-site write (403), the forced password change and the
 * role's `incidents:read` (403, audited), then the query (400).
 */
export async function authoriseUpgrade(req: IncomingMessage, url: URL, db: Database, policy: AccessPolicy): Promise<LiveRequest> {
  const auth = await authenticate(db, asAuthRequest(req), policy);
  if (!auth.caller) {
    throw new HttpProblem(401, {
      type: ProblemType.unauthenticated,
      detail:
        auth.reason === 'expired'
          ? 'the session ended after a period without activity; sign in again'
          : auth.reason === 'invalid-token'
            ? 'the access token is unknown, revoked or expired'
            : 'sign in first, or send a personal access token as Authorization: Bearer',
      extra: { reason: auth.reason },
    });
  }
  const caller = auth.caller;
  const refusal = refuse(req, caller);
  if (refusal) {
    await appendAudit(db, actorOf(caller), {
      action: 'request.denied',
      outcome: 'denied',
      detail: { status: refusal.status, problem: refusal.type, method: 'GET', path: LIVE_PATH },
    });
    throw refusal;
  }
  const query = LiveQuery.safeParse(queryOf(url));
  if (!query.success) throw HttpProblem.invalidParams(invalidParamsFromZod(query.error, 'query'));
  return { caller, after: query.data.after };
}

function refuse(req: IncomingMessage, caller: Caller): HttpProblem | undefined {
  if (isCrossSite(req)) {
    return new HttpProblem(403, {
      type: ProblemType.forbidden,
      detail: "the live stream opens from this server's own pages only (the Origin names another host)",
    });
  }
  if (caller.mustChangePassword) {
    return new HttpProblem(403, { type: ProblemType.passwordChangeRequired, detail: 'change the password first (POST /api/auth/password)' });
  }
  if (!can(caller.role, 'incidents:read')) {
    return new HttpProblem(403, {
      type: ProblemType.forbidden,
      detail: `the role ${caller.role} may not do this (incidents:read)`,
      extra: { action: 'incidents:read' },
    });
  }
  return undefined;
}

/**
 * A browser sends `Origin` with every WebSocket handshake and lets any page open one,
 * cookies included: without this test another site's page could read the stream with the
 * visitor's session. Clients that are not browsers send no Origin.
 */
function isCrossSite(req: IncomingMessage): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * What `authenticate` reads of a request: the headers, the session cookie and the client
 * address. The handshake has not been through Express, so the cookie is parsed here and
 * the address is the peer's (TRUST_PROXY is not applied).
 */
function asAuthRequest(req: IncomingMessage): AuthRequest {
  const session = cookieOf(req.headers.cookie, SESSION_COOKIE);
  return {
    headers: req.headers,
    cookies: session === undefined ? {} : { [SESSION_COOKIE]: session },
    ip: req.socket.remoteAddress,
  };
}

/** The first cookie called `name`, as cookie-parser reads it. */
function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/** The query string as Express 5 parses it by default: a repeated name becomes a list (which the schema refuses). */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

/**
 * Answers a refused handshake with a plain HTTP problem document, as any route would, and
 * closes the connection.
 */
export function refuseUpgrade(socket: Duplex, problem: HttpProblem, instance: string): void {
  const body = JSON.stringify({
    type: problem.type,
    title: problem.title,
    status: problem.status,
    ...(problem.detail !== undefined && { detail: problem.detail }),
    instance,
    ...problem.extra,
  });
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    ...(problem.status === 503 ? ['Retry-After: 5'] : []),
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
