import { WebSocket } from 'ws';
import type { LiveMessage } from '../../server/live/messages.js';

/** How long a test waits for a message before it fails with what it did receive. */
const WAIT_MS = 30_000;

/** A client of `/ws/live` that keeps every message it receives, in order. */
export interface LiveSocket {
  readonly messages: readonly LiveMessage[];
  /** Bytes of all messages received. */
  readonly bytes: number;
  /** The first message (from the start) that matches, once it has arrived. */
  waitFor<T extends LiveMessage = LiveMessage>(match: (m: LiveMessage) => boolean, what?: string): Promise<T>;
  /** Resolves with the close code once the server has closed the socket. */
  closed(): Promise<number>;
  close(): Promise<void>;
  /** The client's own socket, e.g. to stop reading from it. */
  readonly ws: WebSocket;
}

export const liveUrl = (baseUrl: string, after?: number | string) =>
  `${baseUrl.replace(/^http/, 'ws')}/ws/live${after === undefined ? '' : `?after=${after}`}`;

/** Opens the stream with `headers` (a session cookie, a bearer token, an Origin) and waits for the handshake. */
export async function openLive(url: string, headers: Record<string, string> = {}): Promise<LiveSocket> {
  const ws = new WebSocket(url, { headers });
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  let closeCode: number | undefined;
  let bytes = 0;
  ws.on('message', (data) => {
    const text = String(data);
    bytes += Buffer.byteLength(text);
    messages.push(JSON.parse(text) as LiveMessage);
    for (const wake of waiters) wake();
  });
  ws.on('close', (code) => {
    closeCode = code;
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
  });

  const until = <T>(test: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = test();
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const tail = messages.slice(-10).map((m) => [m.type, m.seq]);
        reject(new Error(`no ${what} within ${WAIT_MS / 1000} s; received ${messages.length} messages, the last ${JSON.stringify(tail)}`));
      }, WAIT_MS);
      const wake = () => void check();
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      waiters.add(wake);
      check();
    });

  return {
    ws,
    messages,
    get bytes() {
      return bytes;
    },
    waitFor<T extends LiveMessage>(match: (m: LiveMessage) => boolean, what = 'matching message') {
      let looked = 0;
      return until(() => {
        for (; looked < messages.length; looked++) if (match(messages[looked]!)) return messages[looked] as T;
        return undefined;
      }, what);
    },
    closed: () => until(() => closeCode, 'close'),
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      const done = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close();
      await done;
    },
  };
}

/** The HTTP answer to a handshake the server refuses: status and problem document. */
export function refusedHandshake(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the handshake was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        }),
      );
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}
