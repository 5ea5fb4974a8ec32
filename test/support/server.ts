import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../server/app.js';
import type { Database } from '../../server/db/database.js';
import { openTestDatabase } from './db.js';
import { createTestLogger } from './log.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  baseUrl: string;
  db: Database;
  close(): Promise<void>;
}

/** The built client, as `npm start` serves it by default (./dist/client). */
const CLIENT_DIR = fileURLToPath(new URL('../../dist/client', import.meta.url));

/**
 * The real app on a free loopback port against the run's shared database: what
 * API and browser tests talk to with fetch or Chromium.
 */
export async function startTestServer(): Promise<TestServer> {
  const db = await openTestDatabase({ poolSize: 4 });
  try {
    const app = createApp({ db, config: { CLIENT_DIR }, log: createTestLogger() });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      db,
      async close() {
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
