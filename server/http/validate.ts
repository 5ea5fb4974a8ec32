import type { Request } from 'express';
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

/**
 * Parses `params`, `query` and `body` together, so a request with several mistakes
 * hears about all of them in one 400 problem (`invalid-params`). Returns the parsed
 * values (coerced, defaulted, stripped); in Express 5 `req.query` is a getter and is
 * never reassigned.
 */
export function parseRequest<S extends RequestSchemas>(schemas: S, req: Request): Validated<S> {
  const issues: InvalidParam[] = [];
  const parsed: Record<string, unknown> = {};
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    // A request without a JSON body has `req.body === undefined`; the schema decides whether that is fine.
    const result = schema.safeParse(req[part]);
    if (result.success) parsed[part] = result.data;
    else issues.push(...invalidParamsFromZod(result.error, part));
  }
  if (issues.length > 0) throw HttpProblem.invalidParams(issues);
  return parsed as Validated<S>;
}
