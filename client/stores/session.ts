import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { safeNextPath } from '../auth/next-path';
import { passwordPolicy } from '../auth/password-policy';
import { ApiError, isTransient } from '../http/api-error';
import type { Action, Session } from '../http/api-types';
import { getJson, isApiError } from '../http/get-json';
import { retryWithBackoff } from '../http/retry';
import { sendJson } from '../http/send-json';

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';

/** Why the login page is shown; it picks the message. */
export type LoginReason = 'expired' | 'signed-out';

/**
 * Leaves the app for the login page by a full page load. Everything the previous user
 * saw (stores, map, caches) is dropped with the page, so nothing of it can show
 * through for whoever signs in next on a shared command-center desk.
 */
export function leaveForLogin(reason: LoginReason, next?: string): void {
  const query = new URLSearchParams({ reason });
  if (next && next !== '/') query.set('next', next);
  window.location.assign(`/login?${query}`);
}

/** The signed-in user, their permissions and CSRF token: `GET /api/auth/session`. */
export const useSessionStore = defineStore('session', () => {
  const session = shallowRef<Session | null>(null);
  const status = ref<SessionStatus>('unknown');
  /** Set while the server cannot be reached to learn the session; the app shows it and keeps trying. */
  const connectionError = shallowRef<Error | null>(null);
  let loading: Promise<void> | null = null;
  let ending = false;

  const user = computed(() => session.value?.user ?? null);
  const permissions = computed<readonly Action[]>(() => session.value?.permissions ?? []);
  const csrfToken = computed(() => session.value?.csrfToken ?? null);
  const mustChangePassword = computed(() => session.value?.mustChangePassword ?? false);

  /** Whether the signed-in user may perform `action` (the server checks again on every request). */
  function can(action: Action): boolean {
    return permissions.value.includes(action);
  }

  /**
   * Where a user starts: the command map for everyone who can see grids; the audit
   * trail for an auditor, who sees no business data (三员分立); else the account page.
   */
  const homePath = computed(() => {
    if (can('grids:read')) return '/';
    if (can('audit:read')) return '/audit';
    return '/account';
  });

  function apply(next: Session | null): void {
    session.value = next;
    status.value = next ? 'signed-in' : 'signed-out';
    if (next) Object.assign(passwordPolicy, next.passwordPolicy);
  }

  /** The session from the server: null when signed out (401), thrown on any other failure. */
  async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
    try {
      return await getJson<Session>('/api/auth/session', { signal, unauthorized: 'answer' });
    } catch (error) {
      if (isApiError(error, 401)) return null;
      throw error;
    }
  }

  /**
   * Learns the session once per page load (router guards await it). While the server
   * is unreachable it keeps trying with backoff: a wall display switched on before the
   * server must come up by itself.
   */
  function ensureLoaded(): Promise<void> {
    if (status.value !== 'unknown') return Promise.resolve();
    loading ??= retryWithBackoff(() => fetchSession(), {
      signal: new AbortController().signal,
      initialMs: 1_000,
      onError: (error) => {
        if (!isTransient(error)) console.error('session check failed', error);
        connectionError.value = error;
      },
    }).then((loaded) => {
      connectionError.value = null;
      apply(loaded);
    });
    return loading;
  }

  /** Re-reads the session (after a password change, or for a fresh CSRF token). */
  async function refresh(): Promise<Session | null> {
    const loaded = await fetchSession();
    apply(loaded);
    return loaded;
  }

  /**
   * Signs in. Failures are thrown as ApiError: 401 bad-credentials, 423 account-locked
   * (`lockedUntil`), 429 with `retryAfterSeconds`.
   */
  async function login(username: string, password: string): Promise<Session> {
    const next = await sendJson<Session>('POST', '/api/auth/login', { username, password }, { unauthorized: 'answer' });
    apply(next);
    return next;
  }

  /** Ends the session on the server and leaves for the login page. */
  async function logout(): Promise<void> {
    ending = true;
    try {
      await sendJson('POST', '/api/auth/logout', undefined, { unauthorized: 'answer' });
    } catch (error) {
      // Already ended on the server (expired, revoked): signing out locally is what was asked.
      if (!(error instanceof ApiError)) console.warn('logout request failed', error);
    }
    apply(null);
    leaveForLogin('signed-out');
  }

  /**
   * Changes the signed-in user's password. The server ends the user's other sessions;
   * this one stays and no longer needs a password change.
   */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await sendJson('POST', '/api/auth/password', { currentPassword, newPassword });
    await refresh();
  }

  /**
   * A 401 from any API call while signed in: the session is over (idle timeout,
   * revoked from another device, account disabled). Goes to the login page, which
   * says so and brings the user back to where they were.
   */
  function sessionEnded(): void {
    if (ending || status.value !== 'signed-in') return;
    ending = true;
    apply(null);
    const here = window.location.pathname + window.location.search;
    leaveForLogin('expired', safeNextPath(here));
  }

  return {
    session,
    status,
    connectionError,
    user,
    permissions,
    csrfToken,
    mustChangePassword,
    homePath,
    can,
    fetchSession,
    ensureLoaded,
    refresh,
    login,
    logout,
    changePassword,
    sessionEnded,
  };
});
