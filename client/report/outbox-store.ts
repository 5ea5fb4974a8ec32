import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { useSessionStore } from '../stores/session';
import { newIdempotencyKey } from '../http/idempotency-key';
import { deleteEntry, readOutbox, saveEntry } from './outbox-db';
import type { PreparedPhoto } from './prepare-photo';
import { classifyFailure, postPhoto, postReport, type Failure } from './send-report';
import type { OutboxEntry, QueuedPhoto, ReportDraft } from './types';

const FIRST_RETRY_MS = 2_000;
const LONGEST_RETRY_MS = 60_000;
/** Delivered reports stay listed (with their numbers) this long. */
const KEEP_SENT_MS = 7 * 24 * 3_600_000;

/** The wait after the n-th failed attempt: doubling, capped, with ±20 % so phones that regain signal together do not retry in step. */
function retryDelay(attempts: number, random = Math.random()): number {
  const base = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * The grid worker's outbox: reports queued in IndexedDB and a sender that posts each
 * with its idempotency key, then its photos, until the server confirms them. It waits
 * while the browser is offline, retries with backoff on network errors, 5xx, 408 and
 * 429, resumes on `online`, on the page becoming visible and on page load, and pauses
 * when the session has ended (the reports stay, the user signs in again).
 */
export const useOutboxStore = defineStore('report-outbox', () => {
  const session = useSessionStore();
  const all = shallowRef<OutboxEntry[]>([]);
  const loaded = ref(false);
  /** IndexedDB is unusable (private mode, storage full): reports live only as long as the page. */
  const storageFailed = ref(false);
  const online = ref(navigator.onLine);
  /** The server answered 401 (or asks for a password change): nothing is sent until the user signs in again. */
  const signedOut = ref(false);
  /** The report being sent right now. */
  const sendingKey = ref<string | null>(null);
  /** A refused report the form is editing, to resend under a new key. */
  const editingKey = ref<string | null>(null);

  const userId = computed(() => session.user?.id ?? null);
  /** This account's reports, newest first. */
  const entries = computed(() =>
    all.value.filter((e) => e.userId === userId.value).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  );
  const waitingCount = computed(() => entries.value.filter((e) => e.state === 'waiting').length);
  const editing = computed(() => entries.value.find((e) => e.key === editingKey.value) ?? null);

  async function persist(entry: OutboxEntry): Promise<void> {
    try {
      await saveEntry(entry);
    } catch (error) {
      console.warn('outbox: could not store a report in IndexedDB', error);
      storageFailed.value = true;
    }
  }

  /** Replaces a report in memory and on disk; one discarded meanwhile stays discarded. */
  async function update(next: OutboxEntry): Promise<OutboxEntry> {
    if (!all.value.some((e) => e.key === next.key)) return next;
    all.value = all.value.map((e) => (e.key === next.key ? next : e));
    await persist(next);
    return next;
  }

  async function load(): Promise<void> {
    try {
      const stored = await readOutbox();
      const cutoff = Date.now() - KEEP_SENT_MS;
      const expired = stored.filter((e) => e.state === 'sent' && Date.parse(e.createdAt) < cutoff);
      await Promise.all(expired.map((e) => deleteEntry(e.key)));
      // Reports queued in this page before the stored ones were read stay.
      const kept = stored.filter((e) => !expired.includes(e) && !all.value.some((m) => m.key === e.key));
      all.value = [...all.value, ...kept];
    } catch (error) {
      console.warn('outbox: IndexedDB unavailable', error);
      storageFailed.value = true;
    }
    loaded.value = true;
  }

  /** Queues a new report (or a refused one, edited, under a new key) and wakes the sender. */
  async function enqueue(draft: ReportDraft, photos: readonly PreparedPhoto[], replaces: string | null = null): Promise<OutboxEntry> {
    if (userId.value === null) throw new Error('no signed-in user to file the report as');
    const entry: OutboxEntry = {
      key: newIdempotencyKey(),
      userId: userId.value,
      createdAt: new Date().toISOString(),
      draft,
      photos: photos.map(
        (p): QueuedPhoto => ({ id: newIdempotencyKey(), type: p.type, size: p.size, blob: p.blob, state: 'waiting', photoId: null, reason: null }),
      ),
      state: 'waiting',
      incident: null,
      rejection: null,
      attempts: 0,
      nextAttemptAt: Date.now(),
    };
    all.value = [...all.value, entry];
    await persist(entry);
    if (replaces) await discard(replaces);
    wake();
    return entry;
  }

  async function discard(key: string): Promise<void> {
    all.value = all.value.filter((e) => e.key !== key);
    if (editingKey.value === key) editingKey.value = null;
    try {
      await deleteEntry(key);
    } catch (error) {
      console.warn('outbox: could not delete a report from IndexedDB', error);
    }
  }

  async function clearSent(): Promise<void> {
    for (const entry of entries.value.filter((e) => e.state === 'sent')) await discard(entry.key);
  }

  // ---- the sender ---------------------------------------------------------------------

  let started = false;
  let wakeUp: (() => void) | null = null;

  function wake(): void {
    const resume = wakeUp;
    wakeUp = null;
    resume?.();
  }

  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      function done(): void {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  function sendable(): OutboxEntry[] {
    if (!online.value || signedOut.value || session.status !== 'signed-in') return [];
    return entries.value.filter((e) => e.state === 'waiting');
  }

  async function failed(entry: OutboxEntry, failure: Failure): Promise<void> {
    if (failure.kind === 'signed-out') {
      signedOut.value = true;
      return;
    }
    if (failure.kind === 'refused') {
      await update({ ...entry, state: 'rejected', rejection: { status: failure.status, type: failure.type, detail: failure.detail } });
      return;
    }
    const attempts = entry.attempts + 1;
    await update({ ...entry, attempts, nextAttemptAt: Date.now() + (failure.retryAfterMs ?? retryDelay(attempts)) });
  }

  const withPhoto = (entry: OutboxEntry, id: string, change: Partial<QueuedPhoto>): OutboxEntry => ({
    ...entry,
    photos: entry.photos.map((p) => (p.id === id ? { ...p, ...change } : p)),
  });

  /** One attempt at a report: the incident unless confirmed already, then each photo not yet stored. */
  async function attempt(entry: OutboxEntry): Promise<void> {
    let current = entry;
    if (!current.incident) {
      try {
        const incident = await postReport(current.key, current.draft, current.createdAt);
        // The network carries again: a failing photo starts its backoff afresh.
        current = await update({ ...current, incident, attempts: 0 });
      } catch (error) {
        await failed(current, classifyFailure(error));
        return;
      }
    }
    const incidentId = current.incident!.id;
    let photoFailure: Failure | null = null;
    for (const photo of current.photos) {
      if (photo.state !== 'waiting' || !photo.blob) continue;
      try {
        const photoId = await postPhoto(incidentId, { ...photo, blob: photo.blob });
        current = await update(withPhoto(current, photo.id, { state: 'sent', photoId, blob: null }));
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === 'refused') {
          // The report stands; only this photo is refused (e.g. the incident has six already).
          current = await update(withPhoto(current, photo.id, { state: 'rejected', reason: failure.detail, blob: null }));
          continue;
        }
        photoFailure = failure;
        if (failure.kind === 'signed-out') break;
      }
    }
    if (photoFailure) await failed(current, photoFailure);
    else await update({ ...current, state: 'sent' });
  }

  async function run(): Promise<void> {
    for (;;) {
      const due = sendable().filter((e) => e.nextAttemptAt <= Date.now());
      const next = due.at(-1);
      if (next) {
        sendingKey.value = next.key;
        try {
          await attempt(next);
        } catch (error) {
          // A bug must not stop the queue: try this report again later.
          console.error('outbox: sending a report failed unexpectedly', error);
          await failed(next, { kind: 'retry', retryAfterMs: null });
        } finally {
          sendingKey.value = null;
        }
        continue;
      }
      const waits = sendable().map((e) => e.nextAttemptAt - Date.now());
      await sleep(waits.length > 0 ? Math.max(0, Math.min(...waits)) : Number.POSITIVE_INFINITY);
    }
  }

  /**
   * After a 401: when the user has signed in again meanwhile (in another tab), this
   * page's session is renewed and sending resumes without a trip to the login page.
   */
  async function recheckSession(): Promise<void> {
    try {
      const current = await session.fetchSession();
      if (!current || current.user.id !== userId.value) return;
      await session.refresh();
      signedOut.value = false;
      wake();
    } catch {
      // Still unreachable: the next `online` or visibility change asks again.
    }
  }

  /** Connectivity is back: every waiting report is tried now, not at the end of its backoff. */
  function retryNow(): void {
    if (signedOut.value) void recheckSession();
    const now = Date.now();
    all.value = all.value.map((e) => (e.state === 'waiting' && e.nextAttemptAt > now ? { ...e, nextAttemptAt: now } : e));
    wake();
  }

  /** Loads the outbox and starts the sender, once per page. */
  async function start(): Promise<void> {
    if (started) return;
    started = true;
    window.addEventListener('online', () => {
      online.value = true;
      retryNow();
    });
    window.addEventListener('offline', () => {
      online.value = false;
    });
    // Phones freeze timers of background pages: look again when the page is shown.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') retryNow();
    });
    await load();
    void run();
  }

  function edit(key: string | null): void {
    editingKey.value = key;
  }

  return {
    entries,
    loaded,
    storageFailed,
    online,
    signedOut,
    sendingKey,
    waitingCount,
    editing,
    start,
    enqueue,
    discard,
    clearSent,
    retryNow,
    edit,
  };
});
