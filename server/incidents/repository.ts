import type { Queryable } from '../db/database.js';
import { bboxValues } from '../http/params.js';
import { loadSql } from '../sql-files.js';
import { INCIDENT_SORTS, type IncidentFilter, type IncidentSort } from './schema.js';

const sql = loadSql(import.meta.url, ['incidents', 'incident-detail', 'personal-data']);

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
}

interface IncidentRow {
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
}

const NO_FILTER = [null, null, null, null, null, null, null, null, null, null, null];

export async function listIncidents(q: Queryable, scope: number, f: IncidentFilter): Promise<IncidentSummary[]> {
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
  ]);
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

/** An incident with what its detail panel shows: its grid, its center and its workflow so far. */
export interface IncidentDetail extends IncidentSummary {
  grid: { id: number; code: string; name: string; level: number } | null;
  center: { id: number; code: string; name: string; level: string };
  /** The workflow so far, oldest step first. */
  timeline: IncidentEvent[];
}

export async function findIncidentDetail(q: Queryable, scope: number, id: number): Promise<IncidentDetail | undefined> {
  const incident = await findIncident(q, scope, id);
  if (!incident) return undefined;
  const { rows } = await q.query<Pick<IncidentDetail, 'grid' | 'center' | 'timeline'>>(sql['incident-detail'], [scope, id]);
  const r = rows[0];
  // Gone between the two reads (incidents are not deleted, but a move out of the jurisdiction is possible).
  if (!r) return undefined;
  return { ...incident, grid: r.grid, center: r.center, timeline: r.timeline };
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

function toSummary(r: IncidentRow): IncidentSummary {
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
  };
}
