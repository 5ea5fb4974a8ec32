import type { ApiError } from './api-error';

/**
 * How the HTTP helpers reach the signed-in session without importing the store
 * (the store itself calls the helpers). Installed once by `client/auth/install.ts`.
 */
export interface SessionBridge {
  /** The session's CSRF token, sent as `X-CSRF-Token` on every write. */
  csrfToken(): string | null;
  /** Re-reads the session after a 403 csrf answer (another tab signed in again) and returns the new token. */
  renewCsrfToken(): Promise<string | null>;
  /** A 401 from an API call: the session ended (idle timeout, revoked, server restart of a dev database). */
  sessionEnded(error: ApiError): void;
  /** A 403 password-change-required: the user must change the password before anything else. */
  passwordChangeRequired(error: ApiError): void;
  /** An answer from an endpoint that needs a session: the server reset the session's idle clock. */
  activity(): void;
}

let bridge: SessionBridge | null = null;

/**
 * Endpoints answered without a session. Their answers say nothing about the session's
 * idle clock: the health badge polls every minute and must not keep the idle watch
 * from noticing that the server ended an unattended session.
 */
const OPEN_ENDPOINTS = ['/api/health'];

export function touchesSession(url: string): boolean {
  const path = url.split('?')[0]!;
  return !OPEN_ENDPOINTS.includes(path);
}

export function connectSessionBridge(next: SessionBridge): void {
  bridge = next;
}

export function sessionBridge(): SessionBridge | null {
  return bridge;
}
