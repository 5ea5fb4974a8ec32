import { z } from 'zod';
import { idParam, intParam } from '../http/params.js';

export const IncidentIdParams = z.object({ id: idParam() });

/** Longest a unit may have been silent and still be offered: a week. */
export const MAX_REPORT_AGE_MIN = 7 * 24 * 60;

export const DispatchOptionsQuery = z.object({
  /** How many patrol units to offer, nearest first. */
  units: intParam(1, 50).default(8),
  /** Leave out units whose last position report is older than this many minutes. */
  maxAgeMin: intParam(1, MAX_REPORT_AGE_MIN).default(120),
});
export type DispatchOptionsFilter = z.output<typeof DispatchOptionsQuery>;
