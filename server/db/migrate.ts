import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';
import type { Logger } from '../log.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * Applies the SQL files of migrations/ that have not run yet, in name order, all in one
 * transaction. Several instances starting together serialise on node-pg-migrate's
 * advisory lock; the losers wait and retry rather than fail the start.
 */
export async function runMigrations(pool: pg.Pool, log: Logger): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      const applied = await runner({
        dbClient: client,
        dir: MIGRATIONS_DIR,
        migrationsTable: MIGRATIONS_TABLE,
        direction: 'up',
        checkOrder: true,
        singleTransaction: true,
        logger: {
          debug: () => undefined,
          info: (msg: string) => log.debug(msg),
          warn: (msg: string) => log.warn(brief(msg)),
          error: (msg: string) => log.error(brief(msg)),
        },
      });
      const names = applied.map((m) => m.name);
      if (names.length > 0) log.info({ migrations: names }, `applied ${names.length} migration(s)`);
      return names;
    } catch (err) {
      const busy = err instanceof Error && /already running/i.test(err.message);
      if (!busy || attempt >= 60) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      client.release();
    }
  }
}

// node-pg-migrate logs the whole failing file; the database error that follows says what matters.
const brief = (msg: string) => (msg.length > 300 ? `${msg.slice(0, 300)}…` : msg);
