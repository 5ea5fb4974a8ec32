import { expect } from 'vitest';

/** An RFC 9457 problem document as the server writes them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  reason?: string;
  lockedUntil?: string | null;
  'invalid-params'?: { name: string; in?: string; reason: string }[];
}

/** The `type` of one of the server's own problems, e.g. `PROBLEM('csrf')`. */
export const PROBLEM = (name: string) => `urn:pingan:problem:${name}`;

/** Asserts a problem+json answer with `status` (and `type`), without a stack trace, and returns it. */
export async function expectProblem(response: Response, status: number, type?: string): Promise<Problem> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Problem;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  if (type) expect(body.type).toBe(type);
  expect(text).not.toMatch(/\n\s+at /);
  return body;
}
