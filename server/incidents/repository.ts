import type { Queryable } from '../db/database.js';
import { bboxValues } from '../http/params.js';
import { loadSql } from '../sql-files.js';
import { INCIDENT_SORTS, type IncidentFilter, type IncidentSort } from './schema.js';

const files = loadSql(import.meta.url, ['incidents', 'incidents-by-id', 'summary-columns', 'incident-detail', 'personal-data', 'duplicates']);
/** The list and by-id statements read the same columns (sql/summary-columns.sql). */
const withSummary = (text: string) => text.replace('/*summary-columns*/', files['summary-columns']);
const sql = { ...files, incidents: withSummary(files.incidents), 'incidents-by-id': withSummary(files['incidents-by-id']) };

/** The list statement for each allowed order (see the head of sql/incidents.sql). */
export const LIST_BY_SORT = Object.fromEntries(
  INCIDENT_SORTS.map((sort) => {
    const descending = sort.startsWith('-');
    const text = sql.incidents
      .replaceAll('/*column*/', sort.replace(/^-/, ''))
      .replaceAll('/*direction*/', descending ? 'DESC' : 'ASC')
      .replaceAll('/*after*/', descending ? '<' : '>');
    return [sort, text];
  }),
) as Record<IncidentSort, string>;

/** An incident as every reader sees it: reporter name, phone and ID number masked. */
export interface IncidentSummary {
  id: number;
  number: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  description: string | null;
  address: string | null;
  source: string;
  location: [lon: number, lat: number];
  reporterName: string | null;
  reporterPhone: string | null;
  reporterIdNumber: string | null;
  gridId: number | null;
  centerId: number;
  boundaryFlag: boolean;
  occurredAt: string;
  reportedAt: string;
  dueAt: string | null;
  closedAt: string | null;
  outcome: string | null;
  /** Outside every grid, attributed to the nearest (INTAKE_OUTSIDE=nearest). */
  outsideFlag: boolean;
  /** When the overdue sweep flagged it (督办). */
  overdueAt: string | null;
  /** The incident this one was merged into as a duplicate. */
  mergedInto: number | null;
  /** Who handles it now. */
  assignee: { kind: string; id: number | null; name: string | null } | null;
  gridName: string | null;
}

/** A row of sql/summary-columns.sql. */
export interface IncidentRow {
  id: number;
  number: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  description: string | null;
  address: string | null;
  source: string;
  lon: number;
  lat: number;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_id_number: string | null;
  grid_id: number | null;
  center_id: number;
  boundary_flag: boolean;
  occurred_at: Date;
  reported_at: Date;
  due_at: Date | null;
  closed_at: Date | null;
  outcome: string | null;
  outside_flag: boolean;
  overdue_at: Date | null;
  merged_into: number | null;
  assignee_kind: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  grid_name: string | null;
}

const NO_FILTER = [null, null, null, null, null, null, null, null, null, null, null, null, null, null];

/** `userId`: the caller, whose own tasks `mine` lists (none without a staff record). */
export async function listIncidents(q: Queryable, scope: number, f: IncidentFilter, userId: number): Promise<IncidentSummary[]> {

  const { rows } = await q.query<IncidentRow>(LIST_BY_SORT[f.sort], [
    scope,
    f.after ?? null,
    f.limit,
    null,
    ...bboxValues(f.bbox),
    f.from ?? null,
    f.to ?? null,
    f.category ?? null,
    f.severity ?? null,
    f.status ?? null,
    f.grid ?? null,
    f.center ?? null,
    f.open ?? null,
    f.overdue ?? null,
    f.mine ? userId : null,
  ]);
  return rows.map(toSummary);
}

/** Incidents by id, whoever's they are: for callers that decide the audience themselves (the live stream). */
export async function findIncidentSummaries(q: Queryable, ids: readonly number[]): Promise<IncidentSummary[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<IncidentRow>(sql['incidents-by-id'], [ids]);
  return rows.map(toSummary);
}

export async function findIncident(q: Queryable, scope: number, id: number): Promise<IncidentSummary | undefined> {
  const { rows } = await q.query<IncidentRow>(LIST_BY_SORT['-reported_at'], [scope, null, 1, id, ...NO_FILTER]);
  return rows[0] && toSummary(rows[0]);
}

/** One step of an incident's workflow (incident_events), as its detail panel lists them. */
export interface IncidentEvent {
  id: number;
  at: string;
  /** The step (incident_events.action): receive, dispatch, accept, feedback, review, revisit, close, return, escalate, transfer, supervise, reassign, merge, note. */
  type: string;
  /** Status before and after the step. */
  fromStatus: string | null;
  status: string | null;
  /** Who took it (a person's or a department's name). */
  actor: string;
  /** The center the step was taken at (an escalation moves it up). */
  center: { id: number; name: string } | null;
  /** Who it was dispatched, transferred or reassigned to. */
  assignee: { kind: string | null; name: string | null } | null;
  /** Free text; mobile and ID numbers in it masked. */
  note: string | null;
}

/** Where intake placed an incident (pingan_attribute); null for incidents loaded in bulk. */
export interface Attribution {
  /** Level-1, level-2 and level-3 grid ids. */
  grids: [number | null, number | null, number | null];
  specialist: { department: string; gridId: number }[];
  /** Grid leaders from level 3 up. */
  leaders: { gridId: number; staffId: number; name: string }[];
}

/** A key area (重点区域) the incident fell in. */
export interface GeofenceAlert {
  id: number;
  geofenceId: number;
  name: string;
  kind: string;
  at: string;
}

/** An incident with what its detail panel shows: its grid, its center and its workflow so far. */
export interface IncidentDetail extends IncidentSummary {
  grid: { id: number; code: string; name: string; level: number } | null;
  center: { id: number; code: string; name: string; level: string };
  /** The workflow so far, oldest step first. */
  timeline: IncidentEvent[];
  attribution: Attribution | null;
  alerts: GeofenceAlert[];
  /** Likely duplicates to merge: same category, within 200 m and 24 h (none once closed). */
  duplicates: LikelyDuplicate[];
}

export interface LikelyDuplicate {
  id: number;
  number: string;
  title: string;
  status: string;
  reportedAt: string;
  distanceM: number;
}

export async function findIncidentDetail(q: Queryable, scope: number, id: number): Promise<IncidentDetail | undefined> {
  const incident = await findIncident(q, scope, id);
  if (!incident) return undefined;
  const { rows } = await q.query<Pick<IncidentDetail, 'grid' | 'center' | 'timeline' | 'attribution' | 'alerts'>>(sql['incident-detail'], [scope, id]);
  const r = rows[0];
  // Gone between the two reads (incidents are not deleted, but a move out of the jurisdiction is possible).
  if (!r) return undefined;
  const duplicates = incident.status === 'closed' ? [] : await findDuplicates(q, scope, id);
  return { ...incident, grid: r.grid, center: r.center, timeline: r.timeline, attribution: r.attribution, alerts: r.alerts, duplicates };
}

async function findDuplicates(q: Queryable, scope: number, id: number): Promise<LikelyDuplicate[]> {
  const { rows } = await q.query<{ id: number; number: string; title: string; status: string; reported_at: Date; distance_m: number }>(
    sql.duplicates,
    [id, scope],
  );
  return rows.map((r) => ({ id: r.id, number: r.number, title: r.title, status: r.status, reportedAt: r.reported_at.toISOString(), distanceM: r.distance_m }));
}

export interface ReporterData {
  number: string;
  reporterName: string | null;
  reporterPhone: string | null;
  reporterIdNumber: string | null;
}

export async function findReporterData(q: Queryable, scope: number, id: number): Promise<ReporterData | undefined> {
  const { rows } = await q.query<{ number: string; reporter_name: string | null; reporter_phone: string | null; reporter_id_number: string | null }>(
    sql['personal-data'],
    [scope, id],
  );
  const r = rows[0];
  return r && { number: r.number, reporterName: r.reporter_name, reporterPhone: r.reporter_phone, reporterIdNumber: r.reporter_id_number };
}

export function toSummary(r: IncidentRow): IncidentSummary {
  return {
    id: r.id,
    number: r.number,
    category: r.category,
    severity: r.severity,
    status: r.status,
    title: r.title,
    description: r.description,
    address: r.address,
    source: r.source,
    location: [r.lon, r.lat],
    reporterName: r.reporter_name,
    reporterPhone: r.reporter_phone,
    reporterIdNumber: r.reporter_id_number,
    gridId: r.grid_id,
    centerId: r.center_id,
    boundaryFlag: r.boundary_flag,
    occurredAt: r.occurred_at.toISOString(),
    reportedAt: r.reported_at.toISOString(),
    dueAt: r.due_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    outcome: r.outcome,
    outsideFlag: r.outside_flag,
    overdueAt: r.overdue_at?.toISOString() ?? null,
    mergedInto: r.merged_into,
    assignee: r.assignee_kind ? { kind: r.assignee_kind, id: r.assignee_id, name: r.assignee_name } : null,
    gridName: r.grid_name,
  };
}
