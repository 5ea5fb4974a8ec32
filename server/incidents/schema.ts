import { z } from 'zod';
import { bboxParam, enumParam, idParam, instantParam, intParam } from '../http/params.js';

export const CATEGORIES = ['dispute', 'safety_hazard', 'public_order', 'city_management', 'livelihood', 'other'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const STATUSES = ['received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed'] as const;

export const IncidentsQuery = z
  .object({
    limit: intParam(1, 500).default(100),
    /** The `next` of the previous page: the id of its last incident. */
    after: idParam().optional(),
    bbox: bboxParam().optional(),
    /** Reported at or after. */
    from: instantParam().optional(),
    /** Reported before. */
    to: instantParam().optional(),
    category: enumParam(CATEGORIES).optional(),
    severity: enumParam(SEVERITIES).optional(),
    status: enumParam(STATUSES).optional(),
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
