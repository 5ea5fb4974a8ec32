import { parseLiveMessage, type LiveMessage } from './messages';
import { liveUrl, reconnectDelay } from './reconnect';

/** `connecting`: first attempt; `live`: greeted by the server; `reconnecting`: lost, trying again. */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveStreamOptions {
  onMessage(message: LiveMessage): void;
  onState(state: LiveState): void;
  /** The server ended the stream because the session ended (close code 4401). */
  onCredentialsEnded(): void;
  /** The last sequence number seen before this stream (a store that outlived a previous one). */
  after?: number | null;
}

export interface LiveStream {
  /** Newest sequence number received: where a reconnect resumes. */
  readonly lastSeq: number | null;
  close(): void;
}

/** The server's close code for "your session or token ended" (server/live/messages.ts). */
const CREDENTIALS_ENDED = 4401;

/**
 * One WebSocket to `/ws/live` that comes back by itself: after a drop it reconnects with
 * backoff and `after=<last seq>`, so the server sends exactly what was missed, in order.
 * Frames at or below the last seq seen (a replay overlapping what arrived) are dropped.
 */
export function openLiveStream(options: LiveStreamOptions): LiveStream {
  let lastSeq = options.after ?? null;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function connect(): void {
    clearTimeout(timer);
    options.onState(attempt === 0 && lastSeq === null ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(liveUrl(window.location, lastSeq));
    socket = ws;
    ws.onmessage = (event) => {
      const message = parseLiveMessage(event.data);
      if (!message || socket !== ws) return;
      if (message.type === 'hello') {
        // The newest seq at connect: a fresh stream starts there; a resumed one keeps its
        // own, as the missed messages follow the greeting.
        lastSeq ??= message.seq;
        attempt = 0;
        options.onState('live');
        return;
      }
      // A resync moves the stream to the seq it names, even backwards (the server's database
      // was replaced, so our seq means nothing there).
      if (message.type !== 'resync' && lastSeq !== null && message.seq <= lastSeq) return;
      lastSeq = message.seq;
      options.onMessage(message);
    };
    ws.onclose = (event) => {
      if (socket !== ws || closed) return;
      socket = null;
      if (event.code === CREDENTIALS_ENDED) options.onCredentialsEnded();
      options.onState('reconnecting');
      timer = setTimeout(connect, reconnectDelay(attempt++, Math.random()));
    };
  }

  /** Back on the network: no reason to sit out the rest of a long backoff. */
  function onOnline(): void {
    if (!closed && socket === null) connect();
  }

  window.addEventListener('online', onOnline);
  connect();

  return {
    get lastSeq() {
      return lastSeq;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      window.removeEventListener('online', onOnline);
      socket?.close();
      socket = null;
    },
  };
}
