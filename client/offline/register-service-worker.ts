import { watch } from 'vue';
import { useSessionStore } from '../stores/session';

/**
 * Installs the offline app shell (service-worker.ts) in built apps. Browsers only allow
 * service workers on HTTPS or localhost: on a plain-HTTP intranet this does nothing and
 * /report needs the network to open (its outbox still keeps reports while offline).
 * Call after the app is mounted (it reads the session store).
 */
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  keepSessionForOffline();
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/service-worker.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('offline app shell not installed', error);
    });
  });
}

/**
 * The shell keeps the session it sees pass. When it takes over a page that signed in
 * without it (the sign-in may even have raced its install), the page asks once more
 * through it, whichever of the two, control or sign-in, comes last.
 */
function keepSessionForOffline(): void {
  const session = useSessionStore();
  const workers = navigator.serviceWorker;
  let asked = Boolean(workers.controller);
  const ask = () => {
    if (asked || !workers.controller || session.status !== 'signed-in') return;
    asked = true;
    void fetch('/api/auth/session', { credentials: 'same-origin' }).catch(() => undefined);
  };
  workers.addEventListener('controllerchange', ask);
  watch(() => session.status, ask);
}
