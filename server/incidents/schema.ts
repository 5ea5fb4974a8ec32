import { z } from 'zod';
import { bboxParam, idParam, intParam } from '../http/params.js';

export const CATEGORIES = ['dispute', 'safety_hazard', 'public_order', 'city_management', 'livelihood', 'other'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const STATUSES = ['received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed'] as const;

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-24T08:00:00+08:00' }).transform((v) => new Date(v));
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const IncidentsQuery = z
  .object({
    limit: intParam(1, 500).default(100),
    /** The `next` of the previous page: the id of its last incident. */
    after: idParam().optional(),
    bbox: bboxParam().optional(),
    /** Reported at or after. */
    from: instant.optional(),
    /** Reported before. */
    to: instant.optional(),
    category: oneOf(CATEGORIES).optional(),
    severity: oneOf(SEVERITIES).optional(),
    status: oneOf(STATUSES).optional(),
    /** In this grid or any grid below it. */
    grid: idParam().optional(),
    /** Attributed to this center or any center below it. */
    center: idParam().optional(),
  })
  .refine((q) => !(q.from && q.to) || q.from < q.to, { message: 'from must be before to', path: ['to'] });

export type IncidentFilter = z.output<typeof IncidentsQuery>;

export const IncidentIdParams = z.object({
  id: idParam(),
});

export const UnmaskBody = z.object({
  reason: z.string().trim().min(4, 'say why the personal data is needed (at least 4 characters)').max(200),
});
