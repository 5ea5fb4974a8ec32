import { z } from 'zod';
import { enumParam, instantParam } from '../http/params.js';
import { whenFieldsValid } from '../incidents/schema.js';
import { CATEGORIES, SEVERITIES } from '../incidents/enums.js';

/**
 * What Open311 GeoReport v2 clients send. Field names are the specification's
 * (snake_case, `long`, `attribute[severity]`); values arrive as form-encoded text or JSON.
 */

/** GeoReport v2: a search spans at most 90 days, and answers at most 1000 requests. */
export const WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
const MAX_IDS = 100;
const DAY = 86_400_000;

/** A service request id is an incident number (incidents.number). */
const requestId = z
  .string()
  .regex(/^[A-Z0-9-]{4,40}$/, 'must be an incident number such as SJ20261130-00010001');

const serviceCode = enumParam(CATEGORIES);

const LOCATION_REQUIRED = 'lat and long are required (WGS84 degrees): this server does not geocode address_string';

/** Degrees as a JSON number or as decimal text (form-encoded). */
const degrees = (max: 90 | 180, what: string) =>
  z
    .union([z.number(), z.string()], { error: (issue) => (issue.input === undefined ? LOCATION_REQUIRED : 'must be a number in decimal degrees') })
    .transform((value, ctx) => {
      const number = typeof value === 'number' ? value : /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
      if (Number.isFinite(number)) return number;
      ctx.addIssue({ code: 'custom', message: 'must be a number in decimal degrees' });
      return z.NEVER;
    })
    .pipe(z.number().min(-max, `${what} must be within −${max}…${max}`).max(max, `${what} must be within −${max}…${max}`));

const text = (max: number) => z.string({ error: 'must be text' }).trim().max(max, `must be at most ${max} characters`);

/**
 * POST requests. Blank fields count as not sent (form clients send empty inputs).
 * Accepted but not stored: first_name, last_name, phone, email, device_id, account_id
 * (a civic app's user data stays with that app); api_key is the credential.
 */
export const RequestBody = z.object(
  {
    service_code: serviceCode,
    lat: degrees(90, 'latitude'),
    long: degrees(180, 'longitude'),
    address_string: text(300).optional(),
    description: text(4000).optional(),
    media_url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(500, 'must be at most 500 characters').optional(),
    'attribute[severity]': enumParam(SEVERITIES).optional(),
  },
  { error: 'send the request form-encoded (application/x-www-form-urlencoded) or as a JSON object' },
);
export type RequestInput = z.output<typeof RequestBody>;

/** A comma-separated list, as GeoReport v2 writes several values of one parameter. */
const commaList = <T extends z.ZodType<string, string>>(item: T, max: number) =>
  z
    .string({ error: 'must be given once, as a comma-separated list' })
    .max(max * 41, 'is too long')
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(item).min(1).max(max, `may list at most ${max} values`));

export const RequestsQuery = z
  .object({
    /** Overrides every other parameter. */
    service_request_id: commaList(requestId, MAX_IDS).optional(),
    service_code: commaList(serviceCode, CATEGORIES.length).optional(),
    /** Requested at or after; default: 90 days before end_date. */
    start_date: instantParam().optional(),
    /** Requested before; default: now, or 90 days after start_date. */
    end_date: instantParam().optional(),
    status: commaList(enumParam(['open', 'closed']), 2).optional(),
    /** One jurisdiction per caller: accepted and ignored. */
    jurisdiction_id: z.string().max(100).optional(),
  })
  .refine((q) => !(q.start_date && q.end_date) || q.start_date < q.end_date, {
    message: 'start_date must be before end_date',
    path: ['end_date'],
    ...whenFieldsValid,
  })
  .refine((q) => !(q.start_date && q.end_date) || q.end_date.getTime() - q.start_date.getTime() <= WINDOW_DAYS * DAY, {
    message: `start_date and end_date may span at most ${WINDOW_DAYS} days`,
    path: ['end_date'],
    ...whenFieldsValid,
  });
export type RequestsFilter = z.output<typeof RequestsQuery>;

/** The window a search covers, with GeoReport v2's defaults: the last 90 days. */
export function windowOf(q: RequestsFilter, now: Date): { from: Date; to: Date } {
  const to = q.end_date ?? (q.start_date ? new Date(q.start_date.getTime() + WINDOW_DAYS * DAY) : now);
  return { from: q.start_date ?? new Date(to.getTime() - WINDOW_DAYS * DAY), to };
}

/** Any text: a code that is no service is a 404, as an unknown resource. */
export const ServiceParams = z.object({ service_code: z.string().describe(`one of ${CATEGORIES.join(', ')}`) });

export const RequestParams = z.object({ service_request_id: requestId });

/** Discovery and the service list take only the jurisdiction, which is the caller's. */
export const CatalogueQuery = z.object({ jurisdiction_id: z.string().max(100).optional() });
