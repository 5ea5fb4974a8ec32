import { z } from 'zod';
import { idParam, intParam } from '../http/params.js';

export const IncidentsQuery = z.object({
  limit: intParam(1, 500).default(100),
  /** The `next` of the previous page: the id of its last incident. */
  after: idParam().optional(),
});

export const IncidentIdParams = z.object({
  id: idParam(),
});

export const UnmaskBody = z.object({
  reason: z.string().trim().min(4, 'say why the personal data is needed (at least 4 characters)').max(200),
});
