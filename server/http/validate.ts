import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { HttpProblem, invalidParamsFromZod, type InvalidParam } from './problem.js';

/** Zod schemas for the parts of a request a route reads. */
export interface RequestSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

export type Validated<S extends RequestSchemas> = {
  [K in keyof RequestSchemas]-?: S[K] extends z.ZodType ? z.output<S[K]> : undefined;
};

export type ValidatingHandler<S extends RequestSchemas> = RequestHandler & {
  /** The parsed request, typed by the schemas; call it in the route after the middleware ran. */
  read(res: Response): Validated<S>;
};

const LOCALS_KEY = 'validated';

/**
 * One middleware validating `params`, `query` and `body` together, so a request with
 * several mistakes hears about all of them in one 400 problem (`invalid-params`).
 * The parsed values (coerced, defaulted, stripped) go on `res.locals`: in Express 5
 * `req.query` is a getter and must not be reassigned.
 *
 *   const listGrids = validate({ query: GridsQuery });
 *   router.get('/', listGrids, async (_req, res) => { const { query } = listGrids.read(res); … });
 */
export function validate<S extends RequestSchemas>(schemas: S): ValidatingHandler<S> {
  const parts = (['params', 'query', 'body'] as const).filter((part) => schemas[part] !== undefined);
  const handler: RequestHandler = (req, res, next) => {
    const issues: InvalidParam[] = [];
    const parsed: Record<string, unknown> = {};
    for (const part of parts) {
      // A request without a JSON body has `req.body === undefined`; the schema decides whether that is fine.
      const result = schemas[part]!.safeParse(req[part]);
      if (result.success) parsed[part] = result.data;
      else issues.push(...invalidParamsFromZod(result.error, part));
    }
    if (issues.length > 0) {
      next(HttpProblem.invalidParams(issues));
      return;
    }
    res.locals[LOCALS_KEY] = parsed;
    next();
  };
  return Object.assign(handler, {
    read(res: Response): Validated<S> {
      const value = res.locals[LOCALS_KEY] as Validated<S> | undefined;
      if (!value) throw new Error('validate(): read() called on a request the middleware did not run for');
      return value;
    },
  });
}
