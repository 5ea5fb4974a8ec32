import os from 'node:os';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.js';
import { createTestLogger } from './log.js';

/**
 * A `Database` on the run's shared database (see global-setup.ts), for tests that
 * only need SQL. Close it in afterAll/afterEach. Migrating again is a no-op, and it
 * keeps a test file runnable on its own against a database it has never seen.
 */
export function openTestDatabase(options: { poolSize?: number } = {}): Promise<Database> {
  return openDatabase({
    databaseUrl: inject('databaseUrl'),
    embeddedSocket: inject('databaseMode') === 'embedded',
    dataDir: os.tmpdir(), // unused with a URL
    poolSize: options.poolSize ?? 4,
    log: createTestLogger(),
    migrate: true,
  });
}
