import { z } from 'zod';

export const DEPARTMENTS = ['police', 'judicial', 'civil_affairs', 'health', 'market_supervision', 'urban_management'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** `GET /api/grids` query: every filter optional; unknown parameters are ignored. */
export const GridsQuery = z.object({
  level: z
    .enum(['1', '2', '3'], { error: 'level must be 1, 2 or 3' })
    .transform((v) => Number(v) as 1 | 2 | 3)
    .optional(),
  kind: z.enum(['general', 'specialist'], { error: 'kind must be general or specialist' }).optional(),
  department: z.enum(DEPARTMENTS, { error: `department must be one of ${DEPARTMENTS.join(', ')}` }).optional(),
});

export type GridFilter = z.output<typeof GridsQuery>;
