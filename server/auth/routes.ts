import type { Request, RequestHandler, Response, Router } from 'express';
import type { Database, Queryable } from '../db/database.js';
import { HttpProblem, ProblemType, toProblem } from '../http/problem.js';
import { parseRequest, type RequestSchemas, type Validated } from '../http/validate.js';
import { appendAudit, type AuditActor, type AuditEvent } from '../audit/repository.js';
import { authenticate } from './authenticate.js';
import type { Caller } from './caller.js';
import { can, type Action } from './permissions.js';
import type { AccessPolicy } from './policy.js';
import { sameSecret } from './secrets.js';

/**
 * Every endpoint of the server is declared here, through `guarded` or `open`, with what
 * it needs: an action of the role table, any signed-in user, or a browser session
 * (account self-service, which a token must not do). The guard authenticates, checks
 * CSRF, the forced password change and the role, rate-limits writes, validates the
 * input and audits what writes fail; the handler only sees a request it may serve and
 * the caller whose jurisdiction its SQL filters on. `routeTable` lists them all, and a
 * test walks that list, so an endpoint cannot be added without its access rule and
 * its row in the scoping tests.
 */

export type Method = 'get' | 'post' | 'patch' | 'delete';
export type Access = Action | 'signed-in' | 'browser-session';
export type SuccessStatus = 200 | 201 | 204;

export interface Call<S extends RequestSchemas> {
  req: Request;
  res: Response;
  input: Validated<S>;
  caller: Caller;
  /** Appends an audit entry for this caller, in the transaction `q` of the change. */
  audit(q: Queryable, event: AuditEvent): Promise<void>;
}

export interface PublicCall<S extends RequestSchemas> {
  req: Request;
  res: Response;
  input: Validated<S>;
}

interface SpecBase<S extends RequestSchemas> {
  method: Method;
  path: string;
  /** One line for the API document (`/api/openapi.json`). */
  summary?: string;
  /** Status of a successful answer when it is not the method's usual one (200; 204 for `delete`). */
  status?: SuccessStatus;
  schemas?: S;
  /** Middleware run after the guard and before validation (e.g. a dedicated rate limit). */
  before?: RequestHandler[];
}

export interface GuardedSpec<S extends RequestSchemas> extends SpecBase<S> {
  access: Access;
  /** Audit action of a write: failures and refusals are recorded under it. Required for writes. */
  audit?: string;
  /** Reachable while the user must still change their password. */
  duringPasswordChange?: boolean;
  handler(call: Call<S>): Promise<void>;
}

export interface PublicSpec<S extends RequestSchemas> extends SpecBase<S> {
  handler(call: PublicCall<S>): Promise<void>;
}

export interface RouteDeps {
  db: Database;
  policy: AccessPolicy;
  /** Limits writes per user (see rate-limits.ts). */
  writeLimiter: RequestHandler;
}

export interface RouteInfo {
  method: Method;
  /** Full path as Express matches it, e.g. `/api/users/:id`. */
  path: string;
  access: Access | 'public';
  summary: string | undefined;
  /** Status of a successful answer, as the API document states it. */
  status: SuccessStatus;
  /** The zod schemas that validate the request: the API document is made from them. */
  schemas: RequestSchemas;
}

export interface Route {
  method: Method;
  path: string;
  access: Access | 'public';
  summary: string | undefined;
  status: SuccessStatus;
  schemas: RequestSchemas;
  build(deps: RouteDeps): RequestHandler[];
}

const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CALLER = 'caller';

export const isWrite = (req: Request): boolean => WRITES.has(req.method);

const successStatus = (spec: SpecBase<RequestSchemas>): SuccessStatus => spec.status ?? (spec.method === 'delete' ? 204 : 200);

export function actorOf(caller: Caller): AuditActor {
  return { userId: caller.userId, username: caller.username, role: caller.role, centerId: caller.center.id, ip: caller.ip };
}

/** The caller the guard put on the response; only for middleware that runs after it. */
export function callerOf(res: Response): Caller | undefined {
  return res.locals[CALLER] as Caller | undefined;
}

export function guarded<S extends RequestSchemas = Record<never, never>>(spec: GuardedSpec<S>): Route {
  if (spec.method !== 'get' && !spec.audit) throw new Error(`${spec.method} ${spec.path}: a write must name its audit action`);
  return {
    method: spec.method,
    path: spec.path,
    access: spec.access,
    summary: spec.summary,
    status: successStatus(spec),
    schemas: spec.schemas ?? {},
    build: (deps) => [
      guard(spec, deps),
      ...(spec.method === 'get' ? [] : [deps.writeLimiter]),
      ...(spec.before ?? []),
      async (req, res) => {
        const caller = callerOf(res)!;
        const audit = async (q: Queryable, event: AuditEvent) => {
          await appendAudit(q, actorOf(caller), event);
        };
        try {
          const input = parseRequest(spec.schemas ?? ({} as S), req);
          await spec.handler({ req, res, input, caller, audit });
        } catch (err) {
          // The change rolled back with its audit entry: record that it was tried.
          if (spec.audit && isWrite(req)) {
            const problem = toProblem(err);
            await appendAudit(deps.db, actorOf(caller), {
              action: spec.audit,
              outcome: 'failure',
              objectId: typeof req.params.id === 'string' ? req.params.id : undefined,
              detail: { status: problem.status, problem: problem.type, path: req.originalUrl.split('?')[0] },
            });
          }
          throw err;
        }
      },
    ],
  };
}

/** An endpoint anyone may call: health, login. */
export function open<S extends RequestSchemas = Record<never, never>>(spec: PublicSpec<S>): Route {
  return {
    method: spec.method,
    path: spec.path,
    access: 'public',
    summary: spec.summary,
    status: successStatus(spec),
    schemas: spec.schemas ?? {},
    build: () => [
      ...(spec.before ?? []),
      async (req, res) => {
        const input = parseRequest(spec.schemas ?? ({} as S), req);
        await spec.handler({ req, res, input });
      },
    ],
  };
}

function guard(spec: GuardedSpec<RequestSchemas>, deps: RouteDeps): RequestHandler {
  return async (req, res, next) => {
    const auth = await authenticate(deps.db, req, deps.policy);
    if (!auth.caller) {
      const detail =
        auth.reason === 'expired'
          ? 'the session ended after a period without activity; sign in again'
          : auth.reason === 'invalid-token'
            ? 'the access token is unknown, revoked or expired'
            : 'sign in first, or send a personal access token as Authorization: Bearer';
      next(
        new HttpProblem(401, {
          type: ProblemType.unauthenticated,
          detail,
          extra: { reason: auth.reason },
        }),
      );
      return;
    }
    const caller = auth.caller;
    res.locals[CALLER] = caller;

    const refusal = refuse(spec, caller, req);
    if (refusal) {
      await appendAudit(deps.db, actorOf(caller), {
        action: spec.audit ?? 'request.denied',
        outcome: 'denied',
        detail: { status: refusal.status, problem: refusal.type, method: req.method, path: req.originalUrl.split('?')[0] },
      });
      next(refusal);
      return;
    }
    next();
  };
}

function refuse(spec: GuardedSpec<RequestSchemas>, caller: Caller, req: Request): HttpProblem | undefined {
  if (caller.via === 'session' && isWrite(req)) {
    const sent = req.get('x-csrf-token');
    if (!sent || !caller.csrfToken || !sameSecret(sent, caller.csrfToken) || isCrossSite(req)) {
      return new HttpProblem(403, {
        type: ProblemType.csrf,
        detail: 'this change needs the X-CSRF-Token header of the signed-in session',
      });
    }
  }
  if (caller.mustChangePassword && !spec.duringPasswordChange) {
    return new HttpProblem(403, {
      type: ProblemType.passwordChangeRequired,
      detail: 'change the password first (POST /api/auth/password)',
    });
  }
  if (spec.access === 'browser-session' && caller.via !== 'session') {
    return new HttpProblem(403, {
      type: ProblemType.forbidden,
      detail: 'sessions, passwords and access tokens are managed from a signed-in browser, not with a token',
    });
  }
  if (spec.access !== 'signed-in' && spec.access !== 'browser-session' && !can(caller.role, spec.access)) {
    return new HttpProblem(403, {
      type: ProblemType.forbidden,
      detail: `the role ${caller.role} may not do this (${spec.access})`,
      extra: { action: spec.access },
    });
  }
  return undefined;
}

/**
 * True for a request a browser sent from another site: its own `Sec-Fetch-Site`
 * says so, or its `Origin` names another host.
 */
export function isCrossSite(req: Request): boolean {
  if (req.get('sec-fetch-site') === 'cross-site') return true;
  const origin = req.get('origin');
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.get('host');
  } catch {
    return true;
  }
}

/** Registers routes under `prefix` on `router`, recording each in `table`. */
export function mountRoutes(router: Router, prefix: string, routes: readonly Route[], deps: RouteDeps, table: RouteInfo[]): void {
  for (const route of routes) {
    router[route.method](route.path, ...route.build(deps));
    table.push({
      method: route.method,
      path: `${prefix}${route.path}`,
      access: route.access,
      summary: route.summary,
      status: route.status,
      schemas: route.schemas,
    });
  }
}
