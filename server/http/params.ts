import { z } from 'zod';

const notANumber = (issue: { code: string }) => (issue.code === 'invalid_type' ? 'must be a number' : undefined);

/**
 * A whole number in [min, max] from a path or query string. Only decimal digits (and a
 * sign): `Number()` would also take '', ' ', '0x10' and '1e3', so blank or odd text would
 * quietly become some other number.
 */
export const intParam = (min: number, max: number) =>
  z
    .string({ error: 'must be a whole number' })
    .regex(/^[+-]?\d{1,16}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A database id in a path or query string. */
export const idParam = () => intParam(1, Number.MAX_SAFE_INTEGER);

/** A database id in a JSON body, where numbers are numbers. */
export const bodyId = () =>
  z.number({ error: notANumber }).int('must be a whole number').min(1, 'must be at least 1').max(Number.MAX_SAFE_INTEGER, 'is too large');

export interface Bbox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/**
 * `bbox=minLon,minLat,maxLon,maxLat` in WGS84 degrees (the order of OGC APIs and
 * GeoJSON), each finite and in range, the minimum below the maximum.
 */
export const bboxParam = () =>
  z
    .string()
    .max(200)
    .transform((text, ctx): Bbox => {
      const parts = text.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
      const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
      const problem =
        parts.length !== 4 || parts.some((n) => !Number.isFinite(n))
          ? 'must be four numbers: minLon,minLat,maxLon,maxLat'
          : [minLon, maxLon].some((x) => x < -180 || x > 180) || [minLat, maxLat].some((y) => y < -90 || y > 90)
            ? 'longitudes must be within −180…180 and latitudes within −90…90'
            : minLon >= maxLon || minLat >= maxLat
              ? 'the minimum must be below the maximum (minLon,minLat,maxLon,maxLat)'
              : undefined;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return { minLon, minLat, maxLon, maxLat };
    });

/** A text filter: trimmed, 1–50 characters, matched as a plain substring (never as a pattern or SQL). */
export const textParam = () => z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');

/** The four numbers of a bbox as SQL parameters, or four NULLs. */
export const bboxValues = (b: Bbox | undefined): (number | null)[] => (b ? [b.minLon, b.minLat, b.maxLon, b.maxLat] : [null, null, null, null]);

/** One of `values`, with a message that lists them. */
export const enumParam = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** An ISO 8601 date-time with its offset, as a Date. */
export const instantParam = () =>
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-24T08:00:00+08:00' }).transform((v) => new Date(v));
