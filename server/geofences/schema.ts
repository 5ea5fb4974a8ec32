import { z } from 'zod';
import { whenFieldsValid } from '../incidents/schema.js';
import { bodyId, enumParam, idParam, instantParam, intParam } from '../http/params.js';

export const GEOFENCE_KINDS = ['school', 'station', 'event', 'site', 'other'] as const;

/** Vertices of one key area at most, over all its rings: a hand-drawn area has dozens. */
export const MAX_VERTICES = 2000;

const position = z.tuple(
  [
    z.number({ error: 'must be a number' }).min(-180, 'longitude must be within −180…180').max(180, 'longitude must be within −180…180'),
    z.number({ error: 'must be a number' }).min(-90, 'latitude must be within −90…90').max(90, 'latitude must be within −90…90'),
  ],
  { error: 'must be [longitude, latitude] in WGS84 degrees' },
);

const ring = z
  .array(position, { error: 'must be a ring: an array of [longitude, latitude] positions' })
  .min(4, 'a ring needs at least 4 positions: 3 corners and the first one again')
  .refine((r) => r.length < 4 || (r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1]), 'a ring must be closed: its last position repeats its first');

const polygon = z.array(ring, { error: 'must be an array of rings' }).min(1, 'a polygon needs its outer ring');

/** Array elements `depth` levels down, looking no deeper (a body may nest arrays thousands deep). */
const countAt = (v: unknown, depth: number): number =>
  !Array.isArray(v) ? 0 : depth === 1 ? v.length : v.reduce((n: number, x: unknown) => n + countAt(x, depth - 1), 0);

/**
 * RFC 7946 Polygon or MultiPolygon in WGS84 longitude/latitude. The vertices are counted
 * before any is read, so an oversized geometry costs one short answer, not an issue per
 * position. Validity (self-intersections, holes outside the shell …) is PostGIS's to judge.
 */
export const GeofenceGeometry = z
  .looseObject({
    type: enumParam(['Polygon', 'MultiPolygon']),
    coordinates: z.array(z.unknown(), { error: 'must be an array' }),
  }, { error: 'must be a GeoJSON Polygon or MultiPolygon' })
  .refine((g) => countAt(g.coordinates, g.type === 'Polygon' ? 2 : 3) <= MAX_VERTICES, {
    message: `a key area may have at most ${MAX_VERTICES} vertices`,
    path: ['coordinates'],
  })
  .pipe(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('Polygon'), coordinates: polygon }),
      z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon, { error: 'must be an array of polygons' }).min(1, 'a multipolygon needs a polygon') }),
    ]),
  );
export type GeofenceGeometry = z.output<typeof GeofenceGeometry>;

export const GeofenceCreateBody = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    kind: enumParam(GEOFENCE_KINDS),
    geometry: GeofenceGeometry,
    /** Default: now. */
    startsAt: instantParam().optional(),
    /** Default: no end. */
    endsAt: instantParam().optional(),
    /** The center it belongs to and alerts; default the caller's. */
    centerId: bodyId().optional(),
  })
  .refine((b) => !b.endsAt || (b.endsAt > (b.startsAt ?? new Date()) && b.endsAt > new Date()), {
    message: 'endsAt must be after startsAt and in the future',
    path: ['endsAt'],
    ...whenFieldsValid,
  });

export const GeofenceIdParams = z.object({ id: idParam() });

export const AlertsQuery = z
  .object({
    /** Raised at or after. */
    from: instantParam().optional(),
    /** Raised before. */
    to: instantParam().optional(),
    limit: intParam(1, 500).default(100),
  })
  .refine((q) => !(q.from && q.to) || q.from < q.to, { message: 'from must be before to', path: ['to'], ...whenFieldsValid });
export type AlertsFilter = z.output<typeof AlertsQuery>;
