import { z } from 'zod';
import { bboxParam, enumParam, idParam, instantParam, intParam } from '../http/params.js';
import { cellsOf } from './cells.js';
import { CATEGORIES, SEVERITIES, STATUSES } from './enums.js';

export { CATEGORIES, SEVERITIES, STATUSES };

/** Orders of the incident list: a column, newest first with a leading '-'; ties by id. */
export const INCIDENT_SORTS = ['-reported_at', 'reported_at', '-occurred_at', 'occurred_at', '-updated_at', 'updated_at'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

export const IncidentsQuery = z
  .object({
    limit: intParam(1, 500).default(100),
    sort: enumParam(INCIDENT_SORTS).default('-reported_at'),
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

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Longest time window of the map's incident layers (heat map, tiles, points). */
export const MAX_WINDOW_DAYS = 366;
const DEFAULT_WINDOW_DAYS = 30;

/** `from` and `to` of a time window: reported at or after `from`, before `to`. */
export const WINDOW_FIELDS = {
  /** Default: 30 days ago, at the top of the hour (so cache keys hold for an hour). */
  from: instantParam().optional(),
  /** Default: no end. */
  to: instantParam().optional(),
};

/** Runs an object-level check only when every field parsed (zod runs it despite field issues otherwise). */
export const whenFieldsValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** `from` before `to`, and at most MAX_WINDOW_DAYS between them (or between `from` and now). */
export function withWindowRules<T extends z.ZodType<{ from?: Date | undefined; to?: Date | undefined }>>(schema: T) {
  return schema
    .refine((q) => !(q.from && q.to) || q.from < q.to, { message: 'from must be before to', path: ['to'], ...whenFieldsValid })
    .refine((q) => !q.from || (q.to ?? new Date()).getTime() - q.from.getTime() <= MAX_WINDOW_DAYS * DAY, {
      message: `the window may span at most ${MAX_WINDOW_DAYS} days`,
      path: ['to'],
      ...whenFieldsValid,
    });
}

/** The window a query asks for, with the defaults filled in (`to` null: no end). */
export function resolveWindow(q: { from?: Date | undefined; to?: Date | undefined }, now: Date): { from: Date; to: Date | null } {
  return { from: q.from ?? new Date(Math.floor((now.getTime() - DEFAULT_WINDOW_DAYS * DAY) / HOUR) * HOUR), to: q.to ?? null };
}

/** Finest heat-map cells: the zoom of a cell is the map's zoom + 5 (32 cells across a tile). */
export const HEAT_CELLS_PER_TILE_ZOOM = 5;
/** Cells across or down the box of one heat-map request: a 4K screen at 8-px cells is 480 × 270. */
export const MAX_HEAT_CELLS_ACROSS = 1024;

export const HeatmapQuery = withWindowRules(
  z.object({
    bbox: bboxParam(),
    /** The map's zoom; cells are tiles of zoom + 5 (8 px on a 256-px tile). */
    zoom: intParam(0, 22),
    ...WINDOW_FIELDS,
    category: enumParam(CATEGORIES).optional(),
  }),
).refine(
  (q) => {
    const c = cellsOf(q.bbox, q.zoom + HEAT_CELLS_PER_TILE_ZOOM);
    return Math.max(c.x1 - c.x0, c.y1 - c.y0) < MAX_HEAT_CELLS_ACROSS;
  },
  { message: `the box spans more than ${MAX_HEAT_CELLS_ACROSS} cells at this zoom: lower the zoom or shrink the box`, path: ['bbox'], ...whenFieldsValid },
);
export type HeatmapFilter = z.output<typeof HeatmapQuery>;

/** Largest number of points the binary form carries; beyond it the client uses the heat-map cells. */
export const MAX_POINTS = 500_000;

export const PointsQuery = withWindowRules(
  z.object({
    bbox: bboxParam(),
    ...WINDOW_FIELDS,
    category: enumParam(CATEGORIES).optional(),
    /** Refuse (422) rather than send more than this many points. */
    limit: intParam(1, MAX_POINTS).default(200_000),
  }),
);
export type PointsFilter = z.output<typeof PointsQuery>;

export const IncidentIdParams = z.object({
  id: idParam(),
});

export const UnmaskBody = z.object({
  reason: z.string().trim().min(4, 'say why the personal data is needed (at least 4 characters)').max(200),
});
