import type { RequestHandler } from 'express';
import { HttpProblem } from '../http/problem.js';

/**
 * Open311 clients send their personal access token as the `api_key` parameter (form or
 * JSON body, or query string). It becomes the `Authorization: Bearer` header every guarded
 * route reads, so the token lookup of auth/authenticate.ts stays the only one. A request
 * that already carries an Authorization header keeps it; a blank api_key is not sent.
 */
export const apiKeyAsBearer: RequestHandler = (req, _res, next) => {
  if (req.headers.authorization !== undefined) {
    next();
    return;
  }
  const body = req.body as Record<string, unknown> | undefined;
  const key = body?.api_key ?? req.query.api_key;
  if (key === undefined || key === '') {
    next();
    return;
  }
  if (typeof key !== 'string') {
    next(HttpProblem.invalidParams([{ name: 'api_key', reason: 'must be given once' }]));
    return;
  }
  req.headers.authorization = `Bearer ${key}`;
  next();
};

/** A request URL fit for the log: an api_key in its query string is a secret. */
export const withoutApiKey = (url: string): string => url.replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]');
