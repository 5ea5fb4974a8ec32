import type { Router } from 'vue-router';
import { connectSessionBridge } from '../http/session-bridge';
import { useSessionStore } from '../stores/session';

/** Margin after the idle deadline before asking the server, so its clock has surely run out. */
const IDLE_CHECK_MARGIN_MS = 5_000;

/**
 * Connects the HTTP helpers to the session store and watches the idle timeout.
 *
 * The idle watch exists for the unattended desk: a map left open makes no API calls,
 * so without it the screen would go on showing the jurisdiction long after the
 * server ended the session (等保 asks for the session to end visibly). When the idle
 * deadline has passed it asks the server; only if the session really ended (no other
 * tab kept it alive) does the app go to the login page.
 */
export function installSessionBridge(router: Router): void {
  const session = useSessionStore();
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function scheduleIdleCheck(): void {
    clearTimeout(idleTimer);
    const current = session.session;
    if (!current) return;
    const idleMs = current.idleTimeoutSeconds * 1000 + IDLE_CHECK_MARGIN_MS;
    const untilHardEnd = current.expiresAt ? Date.parse(current.expiresAt) - Date.now() + IDLE_CHECK_MARGIN_MS : NaN;
    const delay = Number.isFinite(untilHardEnd) ? Math.min(idleMs, Math.max(untilHardEnd, 0)) : idleMs;
    // setTimeout overflows above 2^31-1 ms (~24.8 days); sessions are far shorter.
    idleTimer = setTimeout(() => void checkStillSignedIn(), Math.min(delay, 2 ** 31 - 1));
  }

  async function checkStillSignedIn(): Promise<void> {
    if (session.status !== 'signed-in') return;
    try {
      const current = await session.fetchSession();
      if (current) scheduleIdleCheck();
      else session.sessionEnded();
    } catch {
      // Server unreachable: try again later rather than sign out on a network blip.
      idleTimer = setTimeout(() => void checkStillSignedIn(), 30_000);
    }
  }

  connectSessionBridge({
    csrfToken: () => session.csrfToken,
    renewCsrfToken: async () => (await session.refresh())?.csrfToken ?? null,
    sessionEnded: () => session.sessionEnded(),
    passwordChangeRequired: () => {
      if (router.currentRoute.value.name !== 'password') void router.replace({ name: 'password' });
    },
    activity: () => {
      if (session.status === 'signed-in') scheduleIdleCheck();
    },
  });

  session.$subscribe(() => {
    if (session.status === 'signed-in') scheduleIdleCheck();
    else clearTimeout(idleTimer);
  });
}
