import { z } from 'zod';
import { enumParam, idParam, instantParam, intParam } from '../http/params.js';
import { AUDIT_OUTCOMES } from './repository.js';


/** JSON pages are small; one CSV export may carry up to this many entries. */
export const CSV_MAX_ROWS = 10_000;

export const AuditQuery = z
  .object({
    from: instantParam().optional(),
    to: instantParam().optional(),
    user: z.string().trim().min(1).max(100).optional(),
    action: z.string().regex(/^[a-z_]+(\.[a-z_]*)*$/, "must be an action such as 'auth.login' or a prefix such as 'user.'").max(60).optional(),
    outcome: enumParam(AUDIT_OUTCOMES).optional(),
    objectType: z.string().trim().min(1).max(40).optional(),
    objectId: z.string().trim().min(1).max(100).optional(),
    before: idParam().optional(),
    limit: intParam(1, CSV_MAX_ROWS).optional(),
    format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
  })
  .refine((q) => !(q.from && q.to) || q.from < q.to, { message: 'from must be before to', path: ['to'] })
  .refine((q) => q.format === 'csv' || (q.limit ?? 0) <= 500, { message: 'at most 500 entries a page; use format=csv for more', path: ['limit'] });
