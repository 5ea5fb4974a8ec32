import type { CenterRef } from './caller.js';
import { PERMISSIONS, type Action, type Role } from './permissions.js';
import type { AccessPolicy } from './policy.js';

/** `GET /api/auth/session` and the answer to a login: who is signed in and what they may do. */
export interface SessionBody {
  user: { id: number; username: string; displayName: string; role: Role; center: CenterRef };
  permissions: Action[];
  mustChangePassword: boolean;
  via: 'session' | 'token';
  csrfToken: string | null;
  idleTimeoutSeconds: number;
  expiresAt: string | null;
  /** What a new password must satisfy, for the client's checklist (the server checks again). */
  passwordPolicy: { minLength: number; minClasses: 3 };
}

export function sessionBody(
  who: { userId: number; username: string; displayName: string; role: Role; center: CenterRef; mustChangePassword: boolean },
  session: { via: 'session' | 'token'; csrfToken: string | null; expiresAt: Date | null },
  policy: AccessPolicy,
): SessionBody {
  return {
    user: { id: who.userId, username: who.username, displayName: who.displayName, role: who.role, center: who.center },
    permissions: [...PERMISSIONS[who.role]],
    mustChangePassword: who.mustChangePassword,
    via: session.via,
    csrfToken: session.csrfToken,
    idleTimeoutSeconds: policy.sessionIdleSeconds,
    expiresAt: session.expiresAt?.toISOString() ?? null,
    passwordPolicy: { minLength: policy.passwordMinLength, minClasses: 3 },
  };
}
