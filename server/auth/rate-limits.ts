import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { callerOf } from './routes.js';

// Counters live in this process's memory: behind several server processes each
// counts on its own, which the account lockout (kept in the database) backs up.

const addressOf = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');

function tooMany(what: string): Options['handler'] {
  return (_req, _res, next, options) => {
    next(
      new HttpProblem(429, {
        type: ProblemType.rateLimited,
        detail: `too many ${what}; wait ${Math.ceil(options.windowMs / 60_000)} minute(s) and try again`,
      }),
    );
  };
}

/**
 * Failed logins per user name and client address in 15 minutes: slows password
 * guessing against one account without locking out an office that shares one address.
 */
export function loginLimiter(limit: number): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const body = req.body as { username?: unknown } | undefined;
      const name = typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, 60) : '';
      return `${addressOf(req)}|${name}`;
    },
    handler: tooMany('failed sign-in attempts'),
  });
}

/** Writes per signed-in user per minute. */
export function writeLimiter(limit: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const caller = callerOf(res);
      return caller ? `user:${caller.userId}` : `addr:${addressOf(req)}`;
    },
    handler: tooMany('changes in a short time'),
  });
}
