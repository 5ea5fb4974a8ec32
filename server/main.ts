import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { loadDemoIfEmpty } from '../geodata/seed/load.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { startOverdueSweep } from './incidents/overdue-sweep.js';
import { attachLiveStream, type LiveStream } from './live/stream.js';
import { createLogger, type Logger } from './log.js';

// `npm start`: configuration → database (embedded or DATABASE_URL) → demo data if
// the database is empty → HTTP. Stops cleanly on SIGINT/SIGTERM.

const SHUTDOWN_GRACE_MS = 10_000;

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const log = createLogger(config.LOG_LEVEL);

try {
  await start(config, log);
} catch (err) {
  log.fatal({ err }, 'start-up failed');
  process.exit(1);
}

async function start(config: Config, log: Logger): Promise<void> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DB_POOL_SIZE,
    log,
  });
  try {
    if (config.SEED_DEMO === 'auto') {
      await loadDemoIfEmpty(db, log, { accountsMustChangePassword: config.NODE_ENV === 'production' });
    }
    const server = await listen(createApp({ db, config, log }), config.HOST, config.PORT);
    const live = await attachLiveStream(server, { db, config, log });
    const stopSweep = startOverdueSweep(db, log, config.OVERDUE_SWEEP_SECONDS);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    log.info(
      { host: config.HOST, port, startupMs: Math.round(performance.now()) },
      `Pingan Map listening on http://localhost:${port}/ (started in ${Math.round(performance.now())} ms)`,
    );
    stopOnSignals(server, live, stopSweep, db, log);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function stopOnSignals(server: Server, live: LiveStream, stopSweep: () => void, db: Database, log: Logger): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // A request that never finishes must not keep the process alive forever.
    setTimeout(() => {
      log.error(`shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    try {
      stopSweep();
      // WebSockets first: the HTTP server's close waits for every connection to end.
      await live.close();
      // Stop accepting, let requests in flight finish (idle keep-alive sockets are closed at once).
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await db.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
