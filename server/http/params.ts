import { z } from 'zod';

const notANumber = (issue: { code: string }) => (issue.code === 'invalid_type' ? 'must be a number' : undefined);

/** A whole number in [min, max] from a path or query string (text, coerced). */
export const intParam = (min: number, max: number) =>
  z.coerce
    .number({ error: notANumber })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A database id in a path or query string. */
export const idParam = () => intParam(1, Number.MAX_SAFE_INTEGER);

/** A database id in a JSON body, where numbers are numbers. */
export const bodyId = () =>
  z.number({ error: notANumber }).int('must be a whole number').min(1, 'must be at least 1').max(Number.MAX_SAFE_INTEGER, 'is too large');
