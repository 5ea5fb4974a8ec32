import { OCCURRED_AT_MAX_AGE_MS, REPORTER_ID_NUMBER, REPORTER_PHONE, type IntakeSource } from '../../server/incidents/intake-rules';
import type { IncidentDetail, LngLat } from '../http/api-types';
import { localInputToIso, toLocalInput } from '../ui/local-datetime';
import type { Category, Severity } from '../report/types';
import type { IntakeFields } from './intake-body';

// 一门受理 at the desk: the duty operator registers what a caller on the hotline or a
// visitor at the reception hall reports. The form's state and checks, without the view.

/** Channels a desk registers: the hotline, the reception hall, and anything else (letters, e-mail). */
export const DESK_SOURCES = ['hotline', 'walk_in', 'other'] as const satisfies readonly IntakeSource[];
export type DeskSource = (typeof DESK_SOURCES)[number];

export interface DeskDraft {
  source: DeskSource;
  /** WGS84, whatever datum the map draws in. */
  location: LngLat | null;
  address: string;
  category: Category | '';
  severity: Severity;
  title: string;
  description: string;
  /** A `datetime-local` value, in the browser's zone. */
  occurredAt: string;
  reporterName: string;
  reporterPhone: string;
  reporterIdNumber: string;
}

export type DeskField = keyof DeskDraft;

/** Why a field cannot be sent as it is; the view words it. */
export type DraftProblem = 'required' | 'future' | 'tooOld' | 'unreadable' | 'phone' | 'idNumber';

export function emptyDraft(now: number): DeskDraft {
  return {
    source: 'hotline',
    location: null,
    address: '',
    category: '',
    severity: 'low',
    title: '',
    description: '',
    occurredAt: toLocalInput(now),
    reporterName: '',
    reporterPhone: '',
    reporterIdNumber: '',
  };
}

/** Nothing typed or picked yet (the time aside, which starts at "now"): such a form may start afresh. */
export function isUntouched(draft: DeskDraft): boolean {
  const empty = emptyDraft(0);
  return (Object.keys(empty) as DeskField[]).every((field) => field === 'occurredAt' || draft[field] === empty[field]);
}

/** ID numbers are often typed with a small x; the server wants the capital. */
export function normalizedIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

/** `datetime-local` has minute precision: "now" typed in this minute is not the future. */
const MINUTE_MS = 60_000;

/** The fields that cannot be sent as they are, by the server's rules (server/incidents/intake-rules.ts). */
export function draftProblems(draft: DeskDraft, now: number): Partial<Record<DeskField, DraftProblem>> {
  const problems: Partial<Record<DeskField, DraftProblem>> = {};
  if (!draft.location) problems.location = 'required';
  if (!draft.category) problems.category = 'required';
  if (!draft.title.trim()) problems.title = 'required';
  const occurred = localInputToIso(draft.occurredAt);
  if (!occurred) problems.occurredAt = draft.occurredAt ? 'unreadable' : 'required';
  else if (Date.parse(occurred) >= now + MINUTE_MS) problems.occurredAt = 'future';
  else if (Date.parse(occurred) < now - OCCURRED_AT_MAX_AGE_MS) problems.occurredAt = 'tooOld';
  const phone = draft.reporterPhone.trim();
  if (phone && !REPORTER_PHONE.test(phone)) problems.reporterPhone = 'phone';
  const idNumber = normalizedIdNumber(draft.reporterIdNumber);
  if (idNumber && !REPORTER_ID_NUMBER.test(idNumber)) problems.reporterIdNumber = 'idNumber';
  return problems;
}

/** What is sent for a draft without problems. */
export function deskIntakeFields(draft: DeskDraft & { location: LngLat; category: Category }): IntakeFields {
  return {
    category: draft.category,
    severity: draft.severity,
    title: draft.title,
    description: draft.description,
    address: draft.address,
    location: draft.location,
    source: draft.source,
    occurredAt: localInputToIso(draft.occurredAt) ?? undefined,
    reporterName: draft.reporterName,
    reporterPhone: draft.reporterPhone,
    reporterIdNumber: normalizedIdNumber(draft.reporterIdNumber),
  };
}

const FIELD_NAMES: ReadonlySet<string> = new Set<DeskField>(Object.keys(emptyDraft(0)) as DeskField[]);

/**
 * The form field an `invalid-params` entry names (`location.0` is the location), or null
 * for one the form has no field for (the Idempotency-Key header, say).
 */
export function fieldOfParam(name: string): DeskField | null {
  const head = name.split('.')[0]!;
  return FIELD_NAMES.has(head) ? (head as DeskField) : null;
}

/**
 * The title after the suggestion changed: a title still empty or still the old
 * suggestion follows the new one; one the operator typed is kept.
 */
export function followSuggestion(title: string, oldSuggestion: string | null, suggestion: string | null): string {
  const untouched = title.trim() === '' || title === oldSuggestion;
  return untouched ? (suggestion ?? '') : title;
}

/** A likely duplicate the server lists for a new incident: same category, near in place and time. */
export interface LikelyDuplicate {
  id: number;
  number: string;
  title: string;
  status: string;
  reportedAt: string;
  distanceM: number;
}

/** The incident of a 201 (or replayed 200) intake answer. */
export type FiledIncident = IncidentDetail & { duplicates: LikelyDuplicate[]; outsideFlag: boolean };
