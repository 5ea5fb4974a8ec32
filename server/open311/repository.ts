import type { Queryable } from '../db/database.js';
import type { STATUSES } from '../incidents/enums.js';
import type { OUTCOMES } from '../incidents/workflow.js';
import { loadSql } from '../sql-files.js';
import { MAX_REQUESTS, windowOf, type RequestsFilter } from './schema.js';
import { serviceName, type ServiceCode } from './services.js';

const sql = loadSql(import.meta.url, ['service-requests']);

type Status = (typeof STATUSES)[number];
type Outcome = (typeof OUTCOMES)[number];

/** A service request as GeoReport v2 answers it (GET requests, GET requests/{id}). */
export interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  /** Our finer status (受理 … 办结), how it ended, and the note of the latest step. */
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  /** The deadline (incidents.due_at). */
  expected_datetime: string | null;
  address: string | null;
  lat: number;
  long: number;
}

interface Row {
  number: string;
  category: ServiceCode;
  status: Status;
  outcome: Outcome | null;
  title: string;
  description: string | null;
  address: string | null;
  lon: number;
  lat: number;
  reported_at: Date;
  updated_at: Date;
  due_at: Date | null;
  center_name: string;
  grid_name: string | null;
  last_note: string | null;
}

const STATUS_NAMES: Readonly<Record<Status, string>> = {
  received: '已受理 (received)',
  dispatched: '已派发 (dispatched)',
  handling: '处置中 (handling)',
  feedback: '已反馈 (feedback)',
  reviewed: '已复核 (reviewed)',
  revisited: '已回访 (revisited)',
  closed: '已办结 (closed)',
};

const OUTCOME_NAMES: Readonly<Record<Outcome, string>> = {
  resolved: '已解决 (resolved)',
  unresolved: '未能解决 (unresolved)',
  referred: '已转其他渠道 (referred)',
  withdrawn: '当事人撤回 (withdrawn)',
};

/** service_notice: who handles it. */
export const noticeOf = (centerName: string, gridName: string | null): string =>
  gridName ? `由${centerName}办理（网格：${gridName}） Handled by ${centerName}` : `由${centerName}办理 Handled by ${centerName}`;

/**
 * Service requests of the jurisdiction `scope`: the ones named (any age), or those
 * matching the filter in its window (default the last 90 days); newest first, at most 1000.
 */
export async function findServiceRequests(q: Queryable, scope: number, f: RequestsFilter, now: Date): Promise<ServiceRequest[]> {
  const named = f.service_request_id;
  const window = named ? null : windowOf(f, now);
  const open = !f.status || f.status.length === 2 ? null : f.status[0] === 'open';
  const { rows } = await q.query<Row>(sql['service-requests'], [
    scope,
    named ?? null,
    named ? null : (f.service_code ?? null),
    window?.from ?? null,
    window?.to ?? null,
    named ? null : open,
    MAX_REQUESTS,
  ]);
  return rows.map(toServiceRequest);
}

export async function findServiceRequest(q: Queryable, scope: number, number: string): Promise<ServiceRequest | undefined> {
  const { rows } = await q.query<Row>(sql['service-requests'], [scope, [number], null, null, null, null, 1]);
  return rows[0] && toServiceRequest(rows[0]);
}

function toServiceRequest(r: Row): ServiceRequest {
  const notes = [STATUS_NAMES[r.status], r.outcome && OUTCOME_NAMES[r.outcome], r.last_note].filter(Boolean).join('；');
  return {
    service_request_id: r.number,
    status: r.status === 'closed' ? 'closed' : 'open',
    status_notes: notes,
    service_name: serviceName(r.category),
    service_code: r.category,
    // Incidents filed elsewhere (hotline, grid app) may have only a title.
    description: r.description ?? r.title,
    agency_responsible: r.center_name,
    service_notice: noticeOf(r.center_name, r.grid_name),
    requested_datetime: r.reported_at.toISOString(),
    updated_datetime: r.updated_at.toISOString(),
    expected_datetime: r.due_at?.toISOString() ?? null,
    address: r.address,
    lat: r.lat,
    long: r.lon,
  };
}
