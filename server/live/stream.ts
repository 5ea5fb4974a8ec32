import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { accessPolicy, type AccessConfig, type AccessPolicy } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import { HttpProblem, toProblem } from '../http/problem.js';
import type { Logger } from '../log.js';
import { LiveClient } from './client.js';
import { CLOSE_CODES } from './messages.js';
import { openOutbox } from './outbox.js';
import { liveCredentials, readScope } from './repository.js';
import { authoriseUpgrade, LIVE_PATH, refuseUpgrade, type LiveRequest } from './upgrade.js';

/** Pings this often; a socket that has not answered the previous one is ended. */
const HEARTBEAT_MS = 30_000;
/** A signed-out session's stream ends within this (one query for all clients). */
const CREDENTIALS_CHECK_MS = 10_000;
/** Clients send nothing but pongs and close frames. */
const MAX_CLIENT_FRAME = 1024;
/** How long a shutdown waits for clients to answer the close frame. */
const CLOSE_GRACE_MS = 1000;

export interface LiveStreamDependencies {
  db: Database;
  config: AccessConfig;
  log: Logger;
}

export interface LiveStream {
  close(): Promise<void>;
}

/**
 * Serves `/ws/live` on `server` (docs/live-and-dispatch.md, "Live stream"): the outbox
 * reader of this process, the handshake's checks, and every connected client. It takes
 * over the server's upgrade requests; any other path answers 404.
 */
export async function attachLiveStream(server: Server, { db, config, log }: LiveStreamDependencies): Promise<LiveStream> {
  const policy = accessPolicy(config);
  const clients = new Set<LiveClient>();
  const outbox = await openOutbox({
    db,
    log,
    hasClients: () => clients.size > 0,
    deliver(batch, upTo) {
      for (const client of clients) client.deliver(batch, upTo);
    },
  });
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_CLIENT_FRAME });
  // What ws refuses itself (a malformed key, version or Upgrade header) is bad input like any other.
  wss.on('wsClientError', (err, socket) => refuseUpgrade(socket, new HttpProblem(400, { detail: err.message }), LIVE_PATH));
  let closed = false;

  const connect = (socket: WebSocket, request: LiveRequest, scope: ReadonlySet<number>) => {
    const client = new LiveClient(socket, request.caller, scope, outbox, db, log);
    clients.add(client);
    socket.on('close', () => clients.delete(client));
    socket.on('error', (err) => log.debug({ err, user: request.caller.username }, 'live socket failed'));
    client.open(request.after).catch((err: unknown) => {
      log.warn({ err, user: request.caller.username }, 'starting a live client failed');
      client.close(1011, 'the stream could not start; reconnect');
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws owns the socket, a reset by the peer would otherwise be an unhandled error.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_PATH) {
      refuseUpgrade(socket, HttpProblem.notFound(`no WebSocket at ${url.pathname}; the live stream is ${LIVE_PATH}`), url.pathname);
      return;
    }
    void (async () => {
      try {
        const request = await authoriseUpgrade(req, url, db, policy);
        const scope = await readScope(db, request.caller.center.id);
        if (closed) throw new HttpProblem(503, { detail: 'the server is shutting down' });
        wss.handleUpgrade(req, socket, head, (ws) => connect(ws, request, scope));
      } catch (err) {
        const problem = toProblem(err);
        if (problem.status >= 500) log.error({ err }, `live stream handshake failed: ${req.url}`);
        refuseUpgrade(socket, problem, url.pathname);
      }
    })();
  };
  server.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.heartbeat()) client.terminate();
    }
  }, HEARTBEAT_MS).unref();
  const credentialsCheck = setInterval(
    () => void closeEnded([...clients], db, policy).catch((err: unknown) => log.warn({ err }, "checking live clients' credentials failed")),
    CREDENTIALS_CHECK_MS,
  ).unref();

  return {
    async close() {
      closed = true;
      server.off('upgrade', onUpgrade);
      clearInterval(heartbeat);
      clearInterval(credentialsCheck);
      const open = [...clients];
      const gone = Promise.all(open.map((c) => new Promise<void>((resolve) => c.onClosed(resolve))));
      for (const client of open) client.close(1001, 'server shutting down');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
      for (const client of clients) client.terminate();
      await outbox.close();
    },
  };
}

/**
 * Ends the streams whose session or token no longer holds (logout, idle or lifetime
 * expiry, revocation, a disabled user): the handshake checked them once, this keeps checking.
 */
async function closeEnded(clients: readonly LiveClient[], db: Database, policy: AccessPolicy): Promise<void> {
  if (clients.length === 0) return;
  const sessions = clients.flatMap((c) => (c.caller.sessionId ? [c.caller.sessionId] : []));
  const tokens = clients.flatMap((c) => (c.caller.tokenId !== null ? [c.caller.tokenId] : []));
  const live = await liveCredentials(db, sessions, tokens, policy.sessionIdleSeconds);
  for (const client of clients) {
    const { sessionId, tokenId } = client.caller;
    const holds = sessionId ? live.sessions.has(sessionId) : tokenId !== null && live.tokens.has(tokenId);
    if (!holds) client.close(CLOSE_CODES.credentialsEnded, 'the session or token ended; sign in again');
  }
}
