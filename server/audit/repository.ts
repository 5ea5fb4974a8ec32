import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';

const sql = loadSql(import.meta.url, ['append', 'search', 'verify']);

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Who did it, from where. `userId` is null for a failed login with an unknown user name. */
export interface AuditActor {
  userId: number | null;
  username: string | null;
  role: string | null;
  centerId: number | null;
  ip: string | null;
}

export interface AuditEvent {
  /** Dotted, e.g. `auth.login`, `user.update`, `incident.unmask`. */
  action: string;
  outcome: AuditOutcome;
  objectType?: string;
  objectId?: string | number;
  /** Small, non-secret facts: a reason, changed field names, an HTTP status. Never passwords or tokens. */
  detail?: Record<string, unknown>;
}

/**
 * Appends one entry. Called with the transaction of the change it records, so the
 * change and its audit entry commit or roll back together.
 */
export async function appendAudit(q: Queryable, actor: AuditActor, event: AuditEvent): Promise<number> {
  const { rows } = await q.query<{ id: number }>(sql.append, [
    actor.userId,
    actor.username?.slice(0, 100) ?? null,
    actor.role,
    actor.centerId,
    actor.ip?.slice(0, 64) ?? null,
    event.action,
    event.objectType ?? null,
    event.objectId === undefined ? null : String(event.objectId).slice(0, 100),
    event.outcome,
    JSON.stringify(event.detail ?? {}),
  ]);
  return rows[0]!.id;
}

export interface AuditFilter {
  from?: Date;
  to?: Date;
  user?: string;
  action?: string;
  outcome?: AuditOutcome;
  objectType?: string;
  objectId?: string;
  before?: number;
  limit: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  role: string | null;
  centerId: number | null;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: Date;
  user_id: number | null;
  username: string | null;
  role: string | null;
  center_id: number | null;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}

/** Entries visible from `scopeCenterId`, newest first. */
export async function searchAudit(q: Queryable, scopeCenterId: number, f: AuditFilter): Promise<AuditEntry[]> {
  const { rows } = await q.query<AuditRow>(sql.search, [
    scopeCenterId,
    f.from ?? null,
    f.to ?? null,
    f.user ?? null,
    f.action ?? null,
    f.outcome ?? null,
    f.objectType ?? null,
    f.objectId ?? null,
    f.before ?? null,
    f.limit,
  ]);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    userId: r.user_id,
    username: r.username,
    role: r.role,
    centerId: r.center_id,
    ip: r.ip,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    outcome: r.outcome,
    detail: r.detail,
  }));
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  lastId: number | null;
}

export async function verifyAuditChain(q: Queryable): Promise<ChainCheck> {
  const { rows } = await q.query<{ checked: number; first_broken_id: number | null; last_id: number | null }>(sql.verify);
  const r = rows[0]!;
  return { ok: r.first_broken_id === null, checked: r.checked, firstBrokenId: r.first_broken_id, lastId: r.last_id };
}
