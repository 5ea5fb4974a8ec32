import { expect } from 'vitest';

/**
 * Open311 answers errors as GeoReport v2 clients expect them, not as problems:
 * `[{ code, description }]` (server/open311/errors.ts).
 */
export const isOpen311Path = (path: string): boolean => path.startsWith('/open311/');

/** Asserts an Open311 error answer with `status`, without a stack trace, and returns its descriptions. */
export async function expectOpen311Error(response: Response, status: number): Promise<string[]> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const errors = JSON.parse(text) as { code: number; description: string }[];
  expect(Array.isArray(errors), text).toBe(true);
  expect(errors.length, text).toBeGreaterThan(0);
  for (const e of errors) expect(e, text).toEqual({ code: status, description: expect.any(String) });
  expect(text).not.toMatch(/\n\s+at /);
  return errors.map((e) => e.description);
}
