import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getJson } from '../http/get-json';
import { openLiveStream, type LiveState, type LiveStream } from '../live/live-stream';
import type { LiveMessage } from '../live/messages';

export type LiveListener = (message: LiveMessage) => void;

/** A page switch unsubscribes and subscribes again within moments: keep the socket meanwhile. */
const LINGER_MS = 2_000;

/**
 * The tab's one live connection (`/ws/live`), open while anything listens. Views subscribe
 * to its messages; a `resync` message means "reload what you show". The last seq outlives
 * a closed stream, so the next one resumes where this one stopped.
 */
export const useLiveStore = defineStore('live', () => {
  const state = ref<LiveState | 'off'>('off');
  const listeners = new Set<LiveListener>();
  let stream: LiveStream | null = null;
  let lastSeq: number | null = null;
  let lingerTimer: ReturnType<typeof setTimeout> | undefined;

  /** Connected and greeted: pushed data is current, polling can stop. */
  const connected = computed(() => state.value === 'live');

  function dispatch(message: LiveMessage): void {
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        // One view's bug must not starve the others of updates.
        console.error('live message handler failed', error);
      }
    }
  }

  function start(): void {
    stream = openLiveStream({
      after: lastSeq,
      onMessage: dispatch,
      onState: (next) => (state.value = next),
      // Asking for the session answers 401 now, and the app goes to the login page as after any other 401.
      onCredentialsEnded: () => void getJson('/api/auth/session').catch(() => undefined),
    });
  }

  function stop(): void {
    lastSeq = stream?.lastSeq ?? lastSeq;
    stream?.close();
    stream = null;
    state.value = 'off';
  }

  /** Calls `listener` with every message until the returned function is called. */
  function subscribe(listener: LiveListener): () => void {
    listeners.add(listener);
    clearTimeout(lingerTimer);
    if (!stream) start();
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      clearTimeout(lingerTimer);
      lingerTimer = setTimeout(() => {
        if (listeners.size === 0) stop();
      }, LINGER_MS);
    };
  }

  return { state, connected, subscribe };
});
