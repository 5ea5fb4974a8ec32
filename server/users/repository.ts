import type { CenterLevel, CenterRef } from '../auth/caller.js';
import type { Role } from '../auth/permissions.js';
import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';

const sql = loadSql(import.meta.url, ['users', 'user-create', 'user-update']);

export interface UserAccount {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  center: CenterRef;
  disabled: boolean;
  /** Set while the account is locked. */
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserFilter {
  q?: string | undefined;
  role?: Role | undefined;
  centerId?: number | undefined;
  after?: number | undefined;
  limit: number;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  disabled: boolean;
  must_change_password: boolean;
  last_login_at: Date | null;
  created_at: Date;
  locked_until: Date | null;
  center_id: number;
  center_code: string;
  center_name: string;
  center_level: CenterLevel;
}

export async function listUsers(q: Queryable, scope: number, f: UserFilter): Promise<UserAccount[]> {
  const { rows } = await q.query<UserRow>(sql.users, [scope, f.q ?? null, f.role ?? null, f.centerId ?? null, f.after ?? null, f.limit, null]);
  return rows.map(toAccount);
}

/** One account of the jurisdiction, or undefined (whether or not it exists elsewhere). */
export async function findUser(q: Queryable, scope: number, id: number): Promise<UserAccount | undefined> {
  const { rows } = await q.query<UserRow>(sql.users, [scope, null, null, null, null, 1, id]);
  return rows[0] && toAccount(rows[0]);
}

export async function insertUser(
  q: Queryable,
  u: { username: string; displayName: string; role: Role; centerId: number; passwordHash: string },
): Promise<number> {
  const { rows } = await q.query<{ id: number }>(sql['user-create'], [u.username, u.displayName, u.role, u.centerId, u.passwordHash]);
  return rows[0]!.id;
}

export interface UserChange {
  displayName?: string | undefined;
  role?: Role | undefined;
  centerId?: number | undefined;
  disabled?: boolean | undefined;
  unlock?: boolean | undefined;
}

/** False when the user is not in the jurisdiction. */
export async function updateUser(q: Queryable, scope: number, id: number, c: UserChange): Promise<boolean> {
  const { rowCount } = await q.query(sql['user-update'], [
    scope,
    id,
    c.displayName ?? null,
    c.role ?? null,
    c.centerId ?? null,
    c.disabled ?? null,
    c.unlock === true,
  ]);
  return (rowCount ?? 0) > 0;
}

function toAccount(r: UserRow): UserAccount {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    center: { id: r.center_id, code: r.center_code, name: r.center_name, level: r.center_level },
    disabled: r.disabled,
    lockedUntil: r.locked_until?.toISOString() ?? null,
    mustChangePassword: r.must_change_password,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}
