import { z } from 'zod';
import { bboxParam, idParam, textParam } from '../http/params.js';
import { WINDOW_FIELDS, withWindowRules } from '../incidents/schema.js';

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
  /** Children of one grid. */
  parent: idParam().optional(),
  /** Grids whose extent meets the box. */
  bbox: bboxParam().optional(),
  /** Part of the code or name. */
  q: textParam().optional(),
});

export const GridIdParams = z.object({ id: idParam() });

/** `GET /api/grids/:id` query: the time window of its incident counts (as the heat map's: reported in [from, to)). */
export const GridDetailQuery = withWindowRules(z.object({ ...WINDOW_FIELDS }));
export type GridDetailFilter = z.output<typeof GridDetailQuery>;

export type GridFilter = z.output<typeof GridsQuery>;
