import type { Role } from './permissions.js';

export type CenterLevel = 'district' | 'town' | 'village';

export interface CenterRef {
  id: number;
  code: string;
  name: string;
  level: CenterLevel;
}

/**
 * Who is calling, as every guarded route sees it. `role` is the effective role (a
 * token may carry a narrower one than its user's); the jurisdiction is always the
 * user's center and everything below it.
 */
export interface Caller {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  center: CenterRef;
  via: 'session' | 'token';
  /** Public id of the browser session; null for tokens. */
  sessionId: string | null;
  csrfToken: string | null;
  sessionExpiresAt: Date | null;
  tokenId: number | null;
  mustChangePassword: boolean;
  /** Client address as Express sees it (mind TRUST_PROXY). */
  ip: string | null;
}

/** The center whose subtree the caller may see and change. */
export const scopeOf = (caller: Caller): number => caller.center.id;
