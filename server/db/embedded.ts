import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { withStrictReadyForQuery } from './pglite-protocol.js';

export interface EmbeddedServer {
  /** Connection settings for a pg Pool pointed at the loopback socket. */
  connection: { host: string; port: number; user: string; database: string };
  stop(): Promise<void>;
}

/**
 * Runs PGlite (PostgreSQL compiled to WebAssembly) with PostGIS inside this process and
 * serves it on a loopback socket, so the rest of the server talks to it through the same
 * `pg` Pool it would use for a real PostGIS.
 */
export async function startEmbedded(dataDir: string, maxConnections: number): Promise<EmbeddedServer> {
  const dir = path.resolve(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create({ dataDir: dir, extensions: { postgis } });
  // The socket server's default of one connection resets every further pool client.
  // withStrictReadyForQuery: PGlite answers a failed extended-protocol message with an
  // extra ReadyForQuery that desynchronises pg clients (see pglite-protocol.ts).
  const server = new PGLiteSocketServer({ db: withStrictReadyForQuery(db), host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    connection: { host: host ?? '127.0.0.1', port: Number(port), user: 'postgres', database: 'postgres' },
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
