import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import { createApp, ROUTE_TABLE } from '../../server/app.js';
import type { RouteInfo } from '../../server/auth/routes.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/database.js';
import { attachLiveStream } from '../../server/live/stream.js';
import { openTestDatabase } from './db.js';
import { createTestLogger } from './log.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  baseUrl: string;
  db: Database;
  /** Every endpoint the app serves, with its access rule. */
  routes: readonly RouteInfo[];
  /**
   * Unreachable, every request (also of service workers, which a browser's emulated
   * offline mode does not fully cover) ends in a dropped connection, unanswered and
   * unprocessed, as through a network outage.
   */
  setReachable(reachable: boolean): void;
  close(): Promise<void>;
}

/** The built client, as `npm start` serves it by default (./dist/client). */
const CLIENT_DIR = fileURLToPath(new URL('../../dist/client', import.meta.url));

/**
 * The real app on a free loopback port against the run's shared database: what
 * API and browser tests talk to with fetch or Chromium. `env` overrides configuration
 * variables as the environment would (e.g. `{ LOGIN_MAX_FAILURES: '3' }`).
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const db = await openTestDatabase({ poolSize: 4 });
  try {
    const config = loadConfig({ CLIENT_DIR, NODE_ENV: 'test', ...env });
    const log = createTestLogger();
    const app: express.Application = createApp({ db, config, log });
    let reachable = true;
    const server = createServer((req, res) => {
      if (reachable) app(req, res);
      else res.socket?.destroy();
    }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const live = await attachLiveStream(server, { db, config, log }).catch(async (err: unknown) => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw err;
    });
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      db,
      routes: app.locals[ROUTE_TABLE] as RouteInfo[],
      setReachable(value) {
        reachable = value;
      },
      async close() {
        await live.close();
        // Keep-alive sockets of fetch would hold close() open until they time out.
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
