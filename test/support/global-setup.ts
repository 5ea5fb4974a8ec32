import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadDemoIfEmpty } from '../../geodata/seed/load.js';
import { openDatabase } from '../../server/db/database.js';
import { startEmbedded } from '../../server/db/embedded.js';
import { createLogger } from '../../server/log.js';

/**
 * Once per `vitest run`: one database for every test file, migrated and with the
 * demo district loaded.
 *
 * - DATABASE_URL set (CI gives a fresh, empty PostGIS database): used as is.
 * - Otherwise: one embedded PGlite + PostGIS in a fresh temp folder, served by this
 *   (the vitest main) process on a loopback socket that the test workers reach
 *   at postgres://postgres@127.0.0.1:<port>/postgres. Cold start ≈ 10 s, so it is
 *   started once and shared; test files run one at a time (see vitest.config.ts)
 *   because PGlite is a single connection inside.
 *
 * Several projects (integration, e2e) list this file; the first one starts the
 * database and the others share it through the promise kept on globalThis.
 */

interface SharedDatabase {
  url: string;
  mode: 'embedded' | 'external';
  stop(): Promise<void>;
}

const KEY = Symbol.for('pingan.test.sharedDatabase');
type Holder = { promise: Promise<SharedDatabase>; users: number };
const registry = globalThis as unknown as Record<symbol, Holder | undefined>;

/** Enough for the harness, one test server's pool, one test's own pool and spares. */
const EMBEDDED_MAX_CONNECTIONS = 24;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const holder = (registry[KEY] ??= { promise: startSharedDatabase(), users: 0 });
  holder.users++;
  const shared = await holder.promise;
  project.provide('databaseUrl', shared.url);
  project.provide('databaseMode', shared.mode);
  return async () => {
    if (--holder.users > 0) return;
    registry[KEY] = undefined;
    await shared.stop();
  };
}

async function startSharedDatabase(): Promise<SharedDatabase> {
  const log = createLogger(process.env.TEST_LOG_LEVEL || 'warn');
  const started = Date.now();
  const externalUrl = process.env.DATABASE_URL || undefined;

  let shared: SharedDatabase;
  if (externalUrl) {
    shared = { url: externalUrl, mode: 'external', stop: async () => undefined };
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pingan-test-'));
    const embedded = await startEmbedded(dataDir, EMBEDDED_MAX_CONNECTIONS);
    const { host, port, user, database } = embedded.connection;
    shared = {
      url: `postgres://${user}@${host}:${port}/${database}`,
      mode: 'embedded',
      async stop() {
        await embedded.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const ready = Date.now();

  try {
    const db = await openDatabase({
      databaseUrl: shared.url,
      embeddedSocket: shared.mode === 'embedded',
      dataDir: os.tmpdir(), // unused with a URL
      poolSize: 2,
      log,
      migrate: true,
    });
    try {
      await loadDemoIfEmpty(db, log);
    } finally {
      await db.close();
    }
  } catch (err) {
    await shared.stop().catch(() => undefined);
    throw err;
  }

  const where = shared.mode === 'embedded' ? `embedded PGlite at ${shared.url}` : 'DATABASE_URL';
  console.log(
    `[global-setup] ${where}: database ${ready - started} ms, migrations + demo ${Date.now() - ready} ms`,
  );
  return shared;
}
