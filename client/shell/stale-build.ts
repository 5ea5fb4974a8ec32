import type { Router } from 'vue-router';

/** When the last such reload happened (sessionStorage): a build that is broken, not newer, must not reload forever. */
const LAST_RELOAD_KEY = 'pingan.staleBuildReloadAt';
const RELOAD_GUARD_MS = 60_000;

/** What browsers throw when a lazily loaded part of the app is no longer on the server. */
const CHUNK_GONE = /dynamically imported module|importing a module script failed|unable to preload css/i;

/**
 * A wall screen or duty desk keeps one page open for days; after a new build is deployed,
 * the parts of the old build it has not loaded yet are gone (from the server, and from the
 * offline shell, which keeps one build). Opening such a part fails: the page is loaded
 * again at the place the user was going to, now from the new build. Once a minute at most.
 */
export function reloadOnStaleBuild(router: Router): void {
  let reloading = false;
  const reloadTo = (url: string) => {
    const last = Number(sessionStorage.getItem(LAST_RELOAD_KEY) ?? 0);
    if (reloading || Date.now() - last < RELOAD_GUARD_MS) return;
    reloading = true;
    sessionStorage.setItem(LAST_RELOAD_KEY, String(Date.now()));
    window.location.assign(url);
  };
  router.onError((error: unknown, to) => {
    if (error instanceof Error && CHUNK_GONE.test(error.message)) reloadTo(router.resolve(to).href);
  });
  // Vite's loader reports a failed part here too, also outside navigations (the video player).
  // Reported before the router hears of it: a navigation's own target, from onError, goes first.
  window.addEventListener('vite:preloadError', (event) => {
    const error = (event as Event & { payload?: unknown }).payload;
    if (error instanceof Error && CHUNK_GONE.test(error.message)) setTimeout(() => reloadTo(window.location.href));
  });
}
