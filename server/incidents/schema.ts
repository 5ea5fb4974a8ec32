import { z } from 'zod';
import { bboxParam, bodyId, enumParam, idParam, instantParam, intParam } from '../http/params.js';
import { cellsOf } from './cells.js';
import { CATEGORIES, DEADLINE_HOURS, SEVERITIES, STATUSES } from './enums.js';
import { INTAKE_MAX_LENGTH, INTAKE_SOURCES, OCCURRED_AT_MAX_AGE_MS, OCCURRED_AT_SKEW_MS, REPORTER_ID_NUMBER, REPORTER_PHONE } from './intake-rules.js';
import { ASSIGNEE_KINDS, DEPARTMENTS, OUTCOMES, STEPS, WORKFLOW } from './workflow.js';

export { CATEGORIES, INTAKE_SOURCES, SEVERITIES, STATUSES };

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
    /** One status, or several (`status=dispatched&status=handling`): the queue's groups. */
    status: z
      .union([enumParam(STATUSES), z.array(enumParam(STATUSES)).min(1).max(STATUSES.length, `at most ${STATUSES.length} statuses`)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional(),
    /** In this grid or any grid below it. */
    grid: idParam().optional(),
    /** Attributed to this center or any center below it. */
    center: idParam().optional(),
    /** Not closed yet. */
    open: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional(),
    /** Past the deadline and still open (督办). */
    overdue: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional(),
    /** Assigned to the caller (a grid worker's own tasks). */
    mine: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional(),
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

/** `Idempotency-Key` of an intake request: the client's own id for "this report". */
export const IdempotencyKey = z
  .string({ error: 'send an Idempotency-Key header (8–100 characters, e.g. a UUID) so a retried report is stored once' })
  .regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'must be 8–100 letters, digits or _.:-');


const lonLat = z
  .tuple([
    z.number({ error: 'must be a number' }).min(-180, 'longitude must be within −180…180').max(180, 'longitude must be within −180…180'),
    z.number({ error: 'must be a number' }).min(-90, 'latitude must be within −90…90').max(90, 'latitude must be within −90…90'),
  ], { error: 'must be [longitude, latitude] in WGS84 degrees' });

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();

export const IntakeBody = z.strictObject({
  category: enumParam(CATEGORIES),
  severity: enumParam(SEVERITIES),
  title: z.string().trim().min(1, 'must not be empty').max(INTAKE_MAX_LENGTH.title, `must be at most ${INTAKE_MAX_LENGTH.title} characters`),
  description: optionalText(INTAKE_MAX_LENGTH.description),
  location: lonLat,
  address: optionalText(INTAKE_MAX_LENGTH.address),
  source: enumParam(INTAKE_SOURCES),
  occurredAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-24T08:00:00+08:00' })
    .refine((v) => Date.parse(v) <= Date.now() + OCCURRED_AT_SKEW_MS, 'must not be in the future')
    .refine((v) => Date.parse(v) >= Date.now() - OCCURRED_AT_MAX_AGE_MS, 'must be within the last year')
    .optional(),
  reporterName: optionalText(INTAKE_MAX_LENGTH.reporterName),
  reporterPhone: z.string().trim().regex(REPORTER_PHONE, 'must be 5–20 digits, + or -').optional(),
  reporterIdNumber: z.string().trim().regex(REPORTER_ID_NUMBER, 'must be an 18-character resident ID number').optional(),
  /** The camera whose alarm this is (source camera_alarm). */
  cameraId: bodyId().optional(),
});
export type IntakeInput = z.output<typeof IntakeBody>;

export const StepBody = z
  .strictObject({
    action: enumParam(STEPS),
    note: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters').optional(),
    /** The status the operator saw; refused with 409 when it changed meanwhile. */
    expectedStatus: enumParam(STATUSES).optional(),
    assignee: z
      .strictObject({
        kind: enumParam(ASSIGNEE_KINDS),
        id: bodyId().optional(),
        department: enumParam(DEPARTMENTS).optional(),
      })
      .refine((a) => (a.kind === 'department' ? a.department !== undefined : a.id !== undefined), {
        message: 'a unit or staff member needs its id; a department its name',
      })
      .optional(),
    department: enumParam(DEPARTMENTS).optional(),
    outcome: enumParam(OUTCOMES).optional(),
    gridId: bodyId().optional(),
    into: bodyId().optional(),
  })
  .superRefine((b, ctx) => {
    const needs = WORKFLOW[b.action].needs;
    const missing = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (needs.includes('note') && !b.note) missing('note', `a ${b.action} step needs a note`);
    if (needs.includes('assignee') && !b.assignee) missing('assignee', 'say whom to dispatch to');
    if (needs.includes('department') && !b.department) missing('department', 'say which department it goes to');
    if (needs.includes('outcome') && !b.outcome) missing('outcome', `say how it ended: ${OUTCOMES.join(', ')}`);
    if (needs.includes('grid') && !b.gridId) missing('gridId', 'say which grid it belongs to');
    if (needs.includes('target') && !b.into) missing('into', 'say which incident it duplicates');
  });
export type StepInput = z.output<typeof StepBody>;

export const DeadlinesBody = z.strictObject({
  deadlines: z
    .array(
      z.strictObject({
        category: enumParam(CATEGORIES),
        severity: enumParam(SEVERITIES),
        hours: z
          .number({ error: 'must be a number' })
          .int('must be whole hours')
          .min(DEADLINE_HOURS.min, `must be at least ${DEADLINE_HOURS.min} hour`)
          .max(DEADLINE_HOURS.max, `must be at most ${DEADLINE_HOURS.max} hours (${DEADLINE_HOURS.max / 24} days)`),
        // The hours the editor saw: when another change came first, nothing is changed (409).
        previousHours: z.number({ error: 'must be a number' }).int('must be whole hours').min(0).max(100_000).optional(),
      }),
    )
    .min(1, 'give at least one deadline')
    .max(CATEGORIES.length * SEVERITIES.length, `there are only ${CATEGORIES.length * SEVERITIES.length} deadlines`)
    .refine((list) => new Set(list.map((d) => `${d.category}/${d.severity}`)).size === list.length, 'each category and severity at most once'),
});
export type DeadlinesInput = z.output<typeof DeadlinesBody>;
