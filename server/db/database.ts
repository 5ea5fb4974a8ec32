import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../log.js';
import { detectDatabaseInfo, type DatabaseInfo } from './capabilities.js';
import { startEmbedded, type EmbeddedServer } from './embedded.js';
import { runMigrations } from './migrate.js';

// bigint ids and counts fit in a JS number at any size this product reaches; numeric too.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

export type DatabaseMode = 'embedded' | 'external';

const EMBEDDED_ANALYZE_MS = 15 * 60_000;

/** What repositories need: parameterised queries. A pool and a transaction both are one. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly mode: DatabaseMode;
  readonly info: DatabaseInfo;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** A dedicated client, e.g. for streaming bulk loads; release it when done. */
  connect(): Promise<pg.PoolClient>;
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /**
   * `databaseUrl` points at an embedded PGlite that another process serves on its socket
   * (the tests' one shared instance): report mode 'embedded' and use PGlite's
   * notification semantics, which differ from a real server's (see embeddedChannels).
   */
  embeddedSocket?: boolean;
  dataDir: string;
  poolSize: number;
  log: Logger;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const { log } = options;
  const started = Date.now();
  let embedded: EmbeddedServer | undefined;
  let poolConfig: pg.PoolConfig;
  if (options.databaseUrl) {
    // JIT compiles every statement the planner costs high (a province's tile or heat map)
    // for ~1 s, where running it takes milliseconds: off for the app's sessions, as tile
    // servers do. The embedded PostgreSQL has no JIT.
    poolConfig = { connectionString: options.databaseUrl, options: '-c jit=off' };
  } else {
    embedded = await startEmbedded(options.dataDir, options.poolSize + 2);
    poolConfig = { ...embedded.connection };
  }
  const mode: DatabaseMode = embedded || options.embeddedSocket ? 'embedded' : 'external';
  const pool = new pg.Pool({ ...poolConfig, max: options.poolSize, connectionTimeoutMillis: 30_000 });
  pool.on('error', (err) => log.error({ err }, 'idle database client failed'));
  // A connection lost while checked out (database restart, backend crash) is also emitted as
  // an 'error' event on that client: unheard, it would end the process. Its query rejects anyway.
  pool.on('connect', (client) => client.on('error', (err) => log.warn({ err }, 'database connection lost')));
  const notifications = new EventEmitter();
  notifications.setMaxListeners(0);
  const channels = mode === 'embedded'
    ? embeddedChannels(pool, notifications)
    : externalChannels(poolConfig, notifications, log);

  try {
    if (options.migrate !== false) await runMigrations(pool, log);
    const info = await detectDatabaseInfo(pool);
    log.info(
      { mode, postgres: info.postgres, postgis: info.postgis, geos: info.geos, capabilities: info.capabilities, ms: Date.now() - started },
      `database ready: ${mode} PostgreSQL ${info.postgres}, PostGIS ${info.postgis}; native MVT ${info.capabilities.nativeMvt ? 'on' : 'off (tiles are cut in Node)'}`,
    );
    // PGlite is a single backend without autovacuum, so nothing refreshes the planner's
    // statistics on its own; stale ones turn an index-ordered page into a sort of the table.
    const analyzeTimer = embedded
      ? setInterval(() => void pool.query('ANALYZE').catch((err: unknown) => log.warn({ err }, 'periodic ANALYZE failed')), EMBEDDED_ANALYZE_MS).unref()
      : undefined;
    return {
      mode,
      info,
      query: (text, params) => pool.query(text, params),
      async tx(fn) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(client);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      },
      connect: () => pool.connect(),
      async listen(channel, handler) {
        notifications.on(channel, handler);
        await channels.subscribe(channel);
        return async () => {
          notifications.off(channel, handler);
          if (notifications.listenerCount(channel) === 0) await channels.unsubscribe(channel);
        };
      },
      async notify(channel, payload) {
        await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
      },
      async close() {
        clearInterval(analyzeTimer);
        await channels.close();
        await pool.end();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await channels.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

interface Channels {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  close(): Promise<void>;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * PGlite is one backend behind the socket: LISTEN is global to it, and a notification
 * comes back on whichever connection ran the statement that raised it. So every pool
 * client forwards what it receives.
 */
function embeddedChannels(pool: pg.Pool, out: EventEmitter): Channels {
  pool.on('connect', (client) => client.on('notification', (n) => out.emit(n.channel, n.payload ?? '')));
  return {
    subscribe: async (channel) => void (await pool.query(`LISTEN ${quoteIdent(channel)}`)),
    unsubscribe: async (channel) => void (await pool.query(`UNLISTEN ${quoteIdent(channel)}`)),
    close: async () => undefined,
  };
}

/** A real PostgreSQL delivers to the listening session only: one dedicated client, reconnected on loss. */
function externalChannels(config: pg.PoolConfig, out: EventEmitter, log: Logger): Channels {
  const subscribed = new Set<string>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;

  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const c = new pg.Client(config);
      c.on('notification', (n) => out.emit(n.channel, n.payload ?? ''));
      c.on('error', (err) => {
        log.warn({ err }, 'notification connection lost; reconnecting');
        client = undefined;
        connecting = undefined;
        if (!closed) scheduleReconnect();
      });
      await c.connect();
      for (const ch of subscribed) await c.query(`LISTEN ${quoteIdent(ch)}`);
      client = c;
      return c;
    })().catch((err: unknown) => {
      connecting = undefined;
      throw err;
    });
    return connecting;
  };

  const scheduleReconnect = () =>
    setTimeout(() => {
      if (closed) return;
      connect().catch((err: unknown) => {
        log.error({ err }, 'notification reconnect failed; retrying');
        scheduleReconnect();
      });
    }, 1000).unref();

  return {
    async subscribe(channel) {
      subscribed.add(channel);
      const c = client ?? (await connect());
      await c.query(`LISTEN ${quoteIdent(channel)}`);
    },
    async unsubscribe(channel) {
      subscribed.delete(channel);
      await client?.query(`UNLISTEN ${quoteIdent(channel)}`);
    },
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
