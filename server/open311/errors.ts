import type { ErrorRequestHandler } from 'express';
import { ProblemType, toProblem, type InvalidParam } from '../http/problem.js';
import type { Logger } from '../log.js';

/**
 * Errors under /open311 as GeoReport v2 clients read them: a JSON array of
 * `{ code, description }` with the HTTP status as code, one entry per invalid parameter.
 * The one place the server does not answer an RFC 9457 problem; the status is the one the
 * problem would have had (never a 500 for bad input).
 */
export function open311Errors(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const problem = toProblem(err);
    const path = req.originalUrl.split('?')[0];
    const reqLog = (req as { log?: Logger }).log ?? log;
    if (problem.status >= 500) reqLog.error({ err }, `request failed: ${req.method} ${path}`);
    else reqLog.debug({ problem: problem.detail ?? problem.title }, `${problem.status} ${req.method} ${path}`);

    const invalid = problem.extra['invalid-params'] as InvalidParam[] | undefined;
    const descriptions = invalid?.length ? invalid.map((p) => `${p.name}: ${p.reason}`) : [describe(problem.type, problem.extra.reason, problem.detail ?? problem.title)];
    if (problem.status === 503) res.setHeader('Retry-After', '5');
    res
      .status(problem.status)
      .set('Cache-Control', 'no-store')
      .json(descriptions.map((description) => ({ code: problem.status, description })));
  };
}

/** The guard's words for a missing or bad credential, in Open311's terms (api_key). */
function describe(type: string, reason: unknown, detail: string): string {
  if (type !== ProblemType.unauthenticated) return detail;
  return reason === 'invalid-token'
    ? 'the api_key (personal access token) is unknown, revoked or expired'
    : 'send a personal access token as api_key (or as Authorization: Bearer), or sign in';
}
