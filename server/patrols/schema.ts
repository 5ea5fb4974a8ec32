import { z } from 'zod';
import { idParam } from '../http/params.js';

export const TeamFilterQuery = z.object({ team: idParam().optional() });

export const UnitIdParams = z.object({ id: idParam() });

/** Reports per request: a device that was offline for a while sends what it kept. */
export const MAX_REPORTS = 100;
/** How far ahead of the server's clock a report may be (device clocks drift). */
export const MAX_AHEAD_MS = 2 * 60_000;
/** How old a report may be: older ones are history, not positions. */
export const MAX_AGE_MS = 24 * 3_600_000;

const number = (what: string) => z.number({ error: (i) => (i.code === 'invalid_type' ? `must be a number (${what})` : undefined) });

const PositionReport = z.object({
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-24T08:00:00+08:00' })
    .transform((v) => new Date(v))
    .refine((at) => at.getTime() <= Date.now() + MAX_AHEAD_MS, 'must not be more than 2 minutes in the future')
    .refine((at) => at.getTime() >= Date.now() - MAX_AGE_MS, 'must not be older than 24 hours'),
  location: z.tuple([
    number('longitude').min(-180, 'longitude must be within −180…180').max(180, 'longitude must be within −180…180'),
    number('latitude').min(-90, 'latitude must be within −90…90').max(90, 'latitude must be within −90…90'),
  ], { error: 'must be [longitude, latitude]' }),
  // The table's checks: speed below 300 km/h, heading in [0, 360).
  speedKmh: number('km/h').min(0, 'must be at least 0').lt(300, 'must be below 300').optional(),
  heading: number('degrees clockwise from north').min(0, 'must be at least 0').lt(360, 'must be below 360').optional(),
});
export type PositionReport = z.output<typeof PositionReport>;

/** `POST /api/patrols/units/:id/positions`: 1–100 reports, each with its own instant. */
export const PositionReportsBody = z.object({
  reports: z
    .array(PositionReport, { error: 'must be a list of reports' })
    .min(1, 'must hold at least one report')
    .max(MAX_REPORTS, `must hold at most ${MAX_REPORTS} reports`)
    .refine((reports) => new Set(reports.map((r) => r.at.getTime())).size === reports.length, {
      message: 'each report must have its own at',
      // Only once every report parsed: zod would run it on half-parsed ones otherwise.
      when: (payload) => payload.issues.length === 0,
    }),
});
