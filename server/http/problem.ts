import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { describeDatabaseError } from './db-errors.js';

/**
 * Every error answer of the API is an RFC 9457 problem document
 * (`application/problem+json`): `type`, `title`, `status`, `detail`, `instance`, plus
 * extension members such as `invalid-params` or `constraint`. Clients show `detail`
 * and branch on `type`/`status`; stack traces and internal messages never leave the server.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable problem types. `about:blank` means "the HTTP status says it all". */
export const ProblemType = {
  blank: 'about:blank',
  invalidParams: 'urn:pingan:problem:invalid-params',
  malformedBody: 'urn:pingan:problem:malformed-body',
  constraint: 'urn:pingan:problem:constraint',
  unauthenticated: 'urn:pingan:problem:unauthenticated',
  forbidden: 'urn:pingan:problem:forbidden',
  csrf: 'urn:pingan:problem:csrf',
  passwordChangeRequired: 'urn:pingan:problem:password-change-required',
  badCredentials: 'urn:pingan:problem:bad-credentials',
  accountLocked: 'urn:pingan:problem:account-locked',
  rateLimited: 'urn:pingan:problem:rate-limited',
  tooManyPoints: 'urn:pingan:problem:too-many-points',
  idempotencyConflict: 'urn:pingan:problem:idempotency-conflict',
  outsideGrids: 'urn:pingan:problem:outside-grids',
  outsideJurisdiction: 'urn:pingan:problem:outside-jurisdiction',
  illegalTransition: 'urn:pingan:problem:illegal-transition',
  statusChanged: 'urn:pingan:problem:status-changed',
  deadlinesChanged: 'urn:pingan:problem:deadlines-changed',
} as const;

export interface InvalidParam {
  /** Dotted path of the parameter, e.g. `level` or `geometry.coordinates`. */
  name: string;
  /** Where it was: path params, query string or body. */
  in?: 'params' | 'query' | 'body';
  reason: string;
}

export interface ProblemOptions {
  detail?: string;
  type?: string;
  title?: string;
  /** Extension members, serialised beside the standard ones. */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

/** Throw (or pass to `next`) from any route: the problem handler answers with it as is. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly detail: string | undefined;
  readonly extra: Record<string, unknown>;

  constructor(status: number, options: ProblemOptions = {}) {
    super(options.detail ?? options.title ?? STATUS_CODES[status] ?? 'Error', { cause: options.cause });
    this.status = status;
    this.title = options.title ?? STATUS_CODES[status] ?? 'Error';
    this.type = options.type ?? ProblemType.blank;
    this.detail = options.detail;
    this.extra = options.extra ?? {};
  }

  static notFound(detail: string): HttpProblem {
    return new HttpProblem(404, { detail });
  }

  static invalidParams(params: InvalidParam[]): HttpProblem {
    return new HttpProblem(400, {
      type: ProblemType.invalidParams,
      title: 'Invalid request parameters',
      detail: params.map((p) => `${p.name}: ${p.reason}`).join('; '),
      extra: { 'invalid-params': params },
    });
  }
}

export function invalidParamsFromZod(error: z.ZodError, where?: InvalidParam['in']): InvalidParam[] {
  return error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(root)';
    return where ? { name, in: where, reason: issue.message } : { name, reason: issue.message };
  });
}

/** Answers every path under `prefix` that no router took with a 404 problem. */
export function notFoundUnder(prefix: string): RequestHandler {
  return (req, _res, next) => {
    next(HttpProblem.notFound(`no ${req.method} ${prefix}${req.path === '/' ? '' : req.path} here`));
  };
}

/**
 * Turns anything thrown by a route into a problem answer. Known failures get their
 * 4xx; the rest is logged with its stack and answered with a generic 500.
 */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a problem document: let Express cut the connection.
      next(err);
      return;
    }
    const problem = toProblem(err);
    const reqLog = (req as { log?: Logger }).log ?? log;
    if (problem.status >= 500) {
      reqLog.error({ err }, `request failed: ${req.method} ${req.originalUrl}`);
    } else {
      reqLog.debug({ problem: problem.detail ?? problem.title }, `${problem.status} ${req.method} ${req.originalUrl}`);
    }
    if (problem.status === 503) res.setHeader('Retry-After', '5');
    res.status(problem.status);
    res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(
      JSON.stringify({
        type: problem.type,
        title: problem.title,
        status: problem.status,
        ...(problem.detail !== undefined && { detail: problem.detail }),
        instance: req.originalUrl.split('?')[0],
        ...problem.extra,
      }),
    );
  };
}

/** The problem an error stands for. Exported for tests. */
export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof z.ZodError) return HttpProblem.invalidParams(invalidParamsFromZod(err));

  const db = describeDatabaseError(err);
  if (db) {
    return new HttpProblem(db.status, {
      title: db.title,
      detail: db.detail,
      type: db.constraint ? ProblemType.constraint : ProblemType.blank,
      extra: db.constraint ? { constraint: db.constraint } : {},
    });
  }

  const httpError = asHttpError(err);
  if (httpError) {
    switch (httpError.type) {
      case 'entity.parse.failed':
        return new HttpProblem(400, { type: ProblemType.malformedBody, detail: 'the request body is not valid JSON' });
      case 'entity.too.large':
        return new HttpProblem(413, { detail: 'the request body is larger than the 1 MB this API accepts' });
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new HttpProblem(415, { detail: 'the request body must be UTF-8 JSON' });
      case 'request.aborted':
        return new HttpProblem(400, { detail: 'the request was aborted while its body was read' });
    }
    // Other errors of Express and its middleware (a malformed %-escape in a path, …)
    // carry a 4xx and a message written for clients.
    if (httpError.status >= 400 && httpError.status < 500) {
      return new HttpProblem(httpError.status, httpError.expose && httpError.message ? { detail: httpError.message } : {});
    }
  }
  return new HttpProblem(500, { detail: 'the server failed to answer this request; the failure has been logged' });
}

interface HttpErrorLike {
  status: number;
  type?: string;
  expose?: boolean;
  message: string;
}

function asHttpError(err: unknown): HttpErrorLike | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined) return undefined;
  return {
    status,
    message: e.message,
    ...(typeof e.type === 'string' && { type: e.type }),
    ...(typeof e.expose === 'boolean' && { expose: e.expose }),
  };
}
