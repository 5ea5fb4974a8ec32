import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { CenterLevel, CenterRef } from './caller.js';
import type { Role } from './permissions.js';

const sql = loadSql(import.meta.url, [
  'login-user',
  'login-failed',
  'login-succeeded',
  'session-create',
  'session-caller',
  'token-caller',
  'session-end',
  'sessions-end-for-user',
  'sessions-list',
  'password-set',
  'password-hash',
  'tokens-list',
  'token-create',
  'token-revoke',
  'tokens-revoke-for-user',
]);

interface UserCenterRow {
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  must_change_password: boolean;
  center_id: number;
  center_code: string;
  center_name: string;
  center_level: CenterLevel;
}

export interface AccountRecord {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  center: CenterRef;
}

const toAccount = (r: UserCenterRow): AccountRecord => ({
  userId: r.user_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  mustChangePassword: r.must_change_password,
  center: { id: r.center_id, code: r.center_code, name: r.center_name, level: r.center_level },
});

export interface LoginAccount extends AccountRecord {
  passwordHash: string | null;
  disabled: boolean;
  locked: boolean;
  lockedUntil: Date | null;
}

export async function findLoginAccount(q: Queryable, username: string): Promise<LoginAccount | undefined> {
  const { rows } = await q.query<
    Omit<UserCenterRow, 'user_id'> & { id: number; password_hash: string | null; disabled: boolean; locked: boolean | null; locked_until: Date | null }
  >(sql['login-user'], [username]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    ...toAccount({ ...r, user_id: r.id }),
    passwordHash: r.password_hash,
    disabled: r.disabled,
    locked: r.locked === true,
    lockedUntil: r.locked_until,
  };
}

export async function recordLoginFailure(
  q: Queryable,
  userId: number,
  policy: { maxFailures: number; lockMinutes: number },
): Promise<{ failedLogins: number; locked: boolean; lockedUntil: Date | null }> {
  const { rows } = await q.query<{ failed_logins: number; locked: boolean | null; locked_until: Date | null }>(sql['login-failed'], [
    userId,
    policy.maxFailures,
    policy.lockMinutes,
  ]);
  const r = rows[0]!;
  return { failedLogins: r.failed_logins, locked: r.locked === true, lockedUntil: r.locked_until };
}

export async function recordLoginSuccess(q: Queryable, userId: number, newHash: string | null): Promise<void> {
  await q.query(sql['login-succeeded'], [userId, newHash]);
}

export async function createSession(
  q: Queryable,
  s: { tokenHash: Buffer; userId: number; csrfToken: string; maxHours: number; ip: string | null; userAgent: string | null },
): Promise<{ id: string; expiresAt: Date }> {
  const { rows } = await q.query<{ id: string; expires_at: Date }>(sql['session-create'], [
    s.tokenHash,
    s.userId,
    s.csrfToken,
    s.maxHours,
    s.ip?.slice(0, 64) ?? null,
    s.userAgent?.slice(0, 300) ?? null,
  ]);
  return { id: rows[0]!.id, expiresAt: rows[0]!.expires_at };
}

export type SessionLookup =
  | { state: 'none' }
  | { state: 'expired' }
  | { state: 'live'; account: AccountRecord; sessionId: string; csrfToken: string; expiresAt: Date };

export async function findSessionAccount(q: Queryable, tokenHash: Buffer, idleSeconds: number): Promise<SessionLookup> {
  const { rows } = await q.query<UserCenterRow & { session_id: string; csrf_token: string; expires_at: Date; expired: boolean; disabled: boolean }>(
    sql['session-caller'],
    [tokenHash, idleSeconds],
  );
  const r = rows[0];
  if (!r || r.disabled) return { state: 'none' };
  if (r.expired) return { state: 'expired' };
  return { state: 'live', account: toAccount(r), sessionId: r.session_id, csrfToken: r.csrf_token, expiresAt: r.expires_at };
}

export async function findTokenAccount(
  q: Queryable,
  tokenHash: Buffer,
): Promise<{ account: AccountRecord; tokenId: number; tokenRole: Role | null } | undefined> {
  const { rows } = await q.query<UserCenterRow & { token_id: number; token_role: Role | null }>(sql['token-caller'], [tokenHash]);
  const r = rows[0];
  if (!r) return undefined;
  return { account: toAccount(r), tokenId: r.token_id, tokenRole: r.token_role };
}

export type SessionEndReason = 'logout' | 'revoked' | 'expired' | 'password_changed' | 'disabled';

export async function endSession(q: Queryable, sessionId: string, userId: number, reason: SessionEndReason): Promise<boolean> {
  const { rowCount } = await q.query(sql['session-end'], [sessionId, userId, reason]);
  return (rowCount ?? 0) > 0;
}

export async function endUserSessions(q: Queryable, userId: number, reason: SessionEndReason, except: string | null = null): Promise<void> {
  await q.query(sql['sessions-end-for-user'], [userId, except, reason]);
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export async function listSessions(q: Queryable, userId: number, idleSeconds: number): Promise<SessionInfo[]> {
  const { rows } = await q.query<{ id: string; created_at: Date; last_seen_at: Date; expires_at: Date; ip: string | null; user_agent: string | null }>(
    sql['sessions-list'],
    [userId, idleSeconds],
  );
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}

export async function setPassword(q: Queryable, userId: number, hash: string, mustChange: boolean): Promise<void> {
  await q.query(sql['password-set'], [userId, hash, mustChange]);
}

export async function findPasswordHash(q: Queryable, userId: number): Promise<string | null> {
  const { rows } = await q.query<{ password_hash: string | null }>(sql['password-hash'], [userId]);
  return rows[0]?.password_hash ?? null;
}

export interface TokenInfo {
  id: number;
  name: string;
  role: Role | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: number;
  name: string;
  role: Role | null;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toTokenInfo = (r: TokenRow): TokenInfo => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

export async function listTokens(q: Queryable, userId: number): Promise<TokenInfo[]> {
  const { rows } = await q.query<TokenRow>(sql['tokens-list'], [userId]);
  return rows.map(toTokenInfo);
}

export async function createToken(
  q: Queryable,
  t: { userId: number; name: string; tokenHash: Buffer; role: Role | null; days: number },
): Promise<TokenInfo> {
  const { rows } = await q.query<TokenRow>(sql['token-create'], [t.userId, t.name, t.tokenHash, t.role, t.days]);
  return toTokenInfo(rows[0]!);
}

export async function revokeToken(q: Queryable, tokenId: number, userId: number): Promise<boolean> {
  const { rowCount } = await q.query(sql['token-revoke'], [tokenId, userId]);
  return (rowCount ?? 0) > 0;
}

export async function revokeUserTokens(q: Queryable, userId: number): Promise<void> {
  await q.query(sql['tokens-revoke-for-user'], [userId]);
}
