// The offline app shell. A grid worker in a stairwell or a village without signal must be
// able to open /report, file a report into the outbox, see the small map and read their
// tasks: the page itself, its scripts, the session, the map tiles and the task list seen
// before come from caches here.
// Everything else (reports, workflow, live stream, uploads) goes to the network untouched:
// the outbox in IndexedDB is what keeps reports until the server confirms them.
//
// Built by Vite as its own entry (`/service-worker.js`, see vite.config.ts), which
// replaces the manifest placeholder below with the build's file list and version.

const sw = self as unknown as ServiceWorkerGlobalScope;

interface PrecacheManifest {
  /** Changes with every build whose files changed; names the shell cache. */
  version: string;
  /** Root-relative URLs of the shell: `/index.html` and the hashed assets. */
  files: string[];
}

const manifest = JSON.parse('__PINGAN_PRECACHE_MANIFEST__') as PrecacheManifest;

const SHELL_CACHE = `pingan-shell-${manifest.version}`;
/** Answers seen online, for use offline. Per signed-in person: cleared on sign-in and sign-out. */
const RUNTIME_CACHE = 'pingan-runtime';
/** Enough tiles for a worker's own village at every zoom the small map shows, and bounded. */
const RUNTIME_MAX_ENTRIES = 3_000;
const TRIM_EVERY = 200;
/** On a network that connects but does not answer, the cached page is shown after this long. */
const NAVIGATION_TIMEOUT_MS = 4_000;

/** Server paths the app shell must never answer (they are not pages). */
const SERVER_PATHS = ['/api/', '/tiles/', '/ogc/', '/open311/', '/ws'];
const SESSION = '/api/auth/session';
const SIGN_IN = '/api/auth/login';
const SIGN_OUT = '/api/auth/logout';
/** Kept as soon as the worker runs: a page opened before it took control asked for them uncontrolled. */
const WARM_PATHS = ['/api/map/config', '/api/map/extent'];
/** GET answers worth keeping for offline use: who is signed in, the map's set-up and its tiles. */
const RUNTIME_PATHS = [SESSION, ...WARM_PATHS, '/tiles/basemap/', '/tiles/grids/'];
/**
 * Marks a kept answer handed out offline (its `Date` says when it was fresh). Spelled out
 * rather than imported from offline-copy.ts, where pages read it: the worker must stay one
 * file, and an import shared with the app would become a chunk of its own.
 */
const OFFLINE_COPY_HEADER = 'Pingan-Offline-Copy';

/** Kept too: a grid worker's own open tasks (我的任务), to read them where there is no signal. */
const isOwnTaskList = (url: URL) => url.pathname === '/api/incidents' && url.searchParams.get('mine') === 'true';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // `reload`: straight from the server, never from the HTTP cache of an older build.
      await cache.addAll(manifest.files.map((url) => new Request(url, { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('pingan-shell-') && name !== SHELL_CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
      await Promise.all(WARM_PATHS.map((path) => fetchedOrCached(new Request(path), event).catch(() => undefined)));
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  const path = url.pathname;

  if (request.method !== 'GET') {
    // What was kept belonged to the person signed in before.
    if (path === SIGN_OUT) event.waitUntil(caches.delete(RUNTIME_CACHE));
    else if (path === SIGN_IN && request.method === 'POST') event.respondWith(signIn(request, event));
    return;
  }
  if (request.mode === 'navigate' && !SERVER_PATHS.some((prefix) => path.startsWith(prefix))) {
    event.respondWith(pageOrShell(request));
  } else if (path.startsWith('/assets/')) {
    event.respondWith(cachedOrFetched(request));
  } else if (RUNTIME_PATHS.some((prefix) => path.startsWith(prefix)) || isOwnTaskList(url)) {
    event.respondWith(fetchedOrCached(request, event));
  }
});

/** The page from the server; without an answer in time, the shell (every page is the same index.html). */
async function pageOrShell(request: Request): Promise<Response> {
  const network = fetch(request);
  const shell = await caches.match('/index.html', { cacheName: SHELL_CACHE });
  if (!shell) return network;
  try {
    return await Promise.race([
      network,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('navigation timed out')), NAVIGATION_TIMEOUT_MS)),
    ]);
  } catch {
    return shell;
  }
}

/** Hashed assets never change under their name: the shell's copy, else the network (e.g. the video player, not precached). */
async function cachedOrFetched(request: Request): Promise<Response> {
  return (await caches.match(request, { cacheName: SHELL_CACHE })) ?? fetch(request);
}

/**
 * The network's answer, kept for later; offline, the kept one. A signed-out answer
 * (401) removes the kept session, so nobody is "signed in" offline after signing out.
 */
async function fetchedOrCached(request: Request, event: ExtendableEvent): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await caches.match(request, { cacheName: RUNTIME_CACHE });
    if (!kept) throw error;
    const headers = new Headers(kept.headers);
    headers.set(OFFLINE_COPY_HEADER, 'true');
    return new Response(kept.body, { status: kept.status, statusText: kept.statusText, headers });
  }
  if (response.status === 200) {
    event.waitUntil(keep(request, response.clone()));
  } else if (response.status === 401) {
    event.waitUntil(caches.open(RUNTIME_CACHE).then((cache) => cache.delete(request)));
  }
  return response;
}

/** Signing in answers with the new session: kept as the session, so a page opened offline later knows who it is. */
async function signIn(request: Request, event: FetchEvent): Promise<Response> {
  const [response] = await Promise.all([fetch(request), caches.delete(RUNTIME_CACHE)]);
  if (response.status === 200) event.waitUntil(keep(new Request(SESSION), response.clone()));
  return response;
}

let keptSinceTrim = 0;

async function keep(request: Request, response: Response): Promise<void> {
  const cache = await caches.open(RUNTIME_CACHE);
  await cache.put(request, response);
  // Listing the cache costs as much as it holds: trimmed now and then, not per tile.
  if (++keptSinceTrim < TRIM_EVERY) return;
  keptSinceTrim = 0;
  // Keys come back in insertion order: the oldest go.
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - RUNTIME_MAX_ENTRIES)).map((key) => cache.delete(key)));
}
