import type { Queryable } from '../db/database.js';
import { findIncidentSummaries, type IncidentEvent, type IncidentSummary } from '../incidents/repository.js';
import { loadSql } from '../sql-files.js';
import type { LiveMessage } from './messages.js';

const sql = loadSql(import.meta.url, [
  'head',
  'events',
  'scoped-events',
  'backlog',
  'scope',
  'retention',
  'steps',
  'alerts',
  'positions',
  'credentials',
]);

/** One row of `live_events`: ids only, the current rows are read when it is sent. */
export interface OutboxRow {
  seq: number;
  kind: 'incident' | 'step' | 'overdue' | 'alert' | 'position' | 'resync';
  centerId: number | null;
  incidentId: number | null;
  refId: number | null;
}

/** A message ready for every client whose jurisdiction covers `centerId` (null: everyone's). */
export interface PreparedMessage {
  seq: number;
  centerId: number | null;
  text: string;
}

export interface OutboxHead {
  newest: number;
  oldest: number | null;
}

export async function readHead(q: Queryable): Promise<OutboxHead> {
  const { rows } = await q.query<OutboxHead>(sql.head);
  return rows[0]!;
}

type RawRow = { seq: number; kind: OutboxRow['kind']; center_id: number | null; incident_id: number | null; ref_id: number | null };

const toRow = (r: RawRow): OutboxRow => ({ seq: r.seq, kind: r.kind, centerId: r.center_id, incidentId: r.incident_id, refId: r.ref_id });

export async function readEvents(q: Queryable, after: number, limit: number): Promise<OutboxRow[]> {
  const { rows } = await q.query<RawRow>(sql.events, [after, limit]);
  return rows.map(toRow);
}

/** Rows in (after, upTo] of center `scope`'s jurisdiction, plus rows for everyone. */
export async function readScopedEvents(q: Queryable, after: number, upTo: number, scope: number, limit: number): Promise<OutboxRow[]> {
  const { rows } = await q.query<RawRow>(sql['scoped-events'], [after, upTo, scope, limit]);
  return rows.map(toRow);
}

/** Rows in (after, upTo], counted up to `cap`. */
export async function countBacklog(q: Queryable, after: number, upTo: number, cap: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(sql.backlog, [after, upTo, cap]);
  return rows[0]!.n;
}

export async function readScope(q: Queryable, center: number): Promise<Set<number>> {
  const { rows } = await q.query<{ center_id: number }>(sql.scope, [center]);
  return new Set(rows.map((r) => r.center_id));
}

export async function deleteExpired(q: Queryable, keepSeconds: number): Promise<number> {
  const { rowCount } = await q.query(sql.retention, [keepSeconds]);
  return rowCount ?? 0;
}

/** The credentials of open streams that still hold (see sql/credentials.sql). */
export async function liveCredentials(
  q: Queryable,
  sessionIds: readonly string[],
  tokenIds: readonly number[],
  idleSeconds: number,
): Promise<{ sessions: Set<string>; tokens: Set<number> }> {
  const { rows } = await q.query<{ kind: 'session' | 'token'; id: string }>(sql.credentials, [sessionIds, tokenIds, idleSeconds]);
  return {
    sessions: new Set(rows.filter((r) => r.kind === 'session').map((r) => r.id)),
    tokens: new Set(rows.filter((r) => r.kind === 'token').map((r) => Number(r.id))),
  };
}

/**
 * The messages for outbox rows, in their order, each built from the rows as they are now.
 * A row whose object is gone (a position of a deleted unit) gives no message.
 */
export async function prepareMessages(q: Queryable, rows: readonly OutboxRow[]): Promise<PreparedMessage[]> {
  const ids = (kinds: readonly OutboxRow['kind'][], pick: (r: OutboxRow) => number | null) => [
    ...new Set(rows.filter((r) => kinds.includes(r.kind)).map(pick).filter((id): id is number => id !== null)),
  ];
  const [incidents, steps, alerts, positions] = await Promise.all([
    findIncidentSummaries(q, ids(['incident', 'overdue'], (r) => r.incidentId)).then((found) => new Map(found.map((i) => [i.id, i]))),
    byId(q, sql.steps, ids(['step'], (r) => r.refId), (r: { id: number; incident_id: number; step: IncidentEvent }) => [r.id, r] as const),
    byId(q, sql.alerts, ids(['alert'], (r) => r.refId), (r: { id: number; alert: AlertBody }) => [r.id, r.alert] as const),
    byId(q, sql.positions, ids(['position'], (r) => r.refId), (r: { id: number; position: PositionBody }) => [r.id, r.position] as const),
  ]);

  const prepared: PreparedMessage[] = [];
  for (const row of rows) {
    const message = messageOf(row, { incidents, steps, alerts, positions });
    if (message) prepared.push({ seq: row.seq, centerId: row.centerId, text: JSON.stringify(message) });
  }
  return prepared;
}

interface Current {
  incidents: Map<number, IncidentSummary>;
  steps: Map<number, { incident_id: number; step: IncidentEvent }>;
  alerts: Map<number, AlertBody>;
  positions: Map<number, PositionBody>;
}

type AlertBody = Extract<LiveMessage, { type: 'alert' }>['alert'];
type PositionBody = Extract<LiveMessage, { type: 'position' }>['position'];

function messageOf(row: OutboxRow, current: Current): LiveMessage | undefined {
  const { seq } = row;
  const get = <T>(map: Map<number, T>, id: number | null) => (id === null ? undefined : map.get(id));
  switch (row.kind) {
    case 'incident':
    case 'overdue': {
      const incident = get(current.incidents, row.incidentId);
      return incident && { type: row.kind, seq, incident };
    }
    case 'step': {
      const found = get(current.steps, row.refId);
      return found && { type: 'step', seq, incidentId: found.incident_id, step: found.step };
    }
    case 'alert': {
      const alert = get(current.alerts, row.refId);
      return alert && { type: 'alert', seq, alert };
    }
    case 'position': {
      const position = get(current.positions, row.refId);
      return position && { type: 'position', seq, position };
    }
    case 'resync':
      return { type: 'resync', seq, reason: 'bulk' };
  }
}

async function byId<R extends object, V>(q: Queryable, text: string, ids: number[], entry: (row: R) => readonly [number, V]): Promise<Map<number, V>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<R & Record<string, unknown>>(text, [ids]);
  return new Map(rows.map(entry));
}
