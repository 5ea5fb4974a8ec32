import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { startEmbedded } from '../../server/db/embedded.js';
import { MIGRATIONS_DIR, runMigrations } from '../../server/db/migrate.js';
import { createTestLogger } from '../support/log.js';

// Migrations on a database that has never seen them: on the real server a new
// database beside the run's one; embedded, a fresh PGlite in a temp folder (~10 s).

const EXPECTED_TABLES = [
  'centers', 'grids', 'staff', 'grid_staff', 'cameras', 'patrol_teams', 'patrol_routes', 'patrol_units',
  'patrol_positions', 'users', 'incidents', 'incident_events', 'places', 'basemap_roads', 'basemap_waterways',
  'basemap_water', 'basemap_landuse', 'dataset_loads', 'center_tree', 'sessions', 'access_tokens', 'audit_log',
  'schema_migrations',
];

interface FreshDatabase {
  connection: pg.PoolConfig;
  drop(): Promise<void>;
}

async function createFreshDatabase(): Promise<FreshDatabase> {
  if (inject('databaseMode') === 'external') {
    const admin = new URL(inject('databaseUrl'));
    admin.pathname = '/postgres';
    const name = `pingan_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const client = new pg.Client({ connectionString: admin.href });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(admin.href);
    url.pathname = `/${name}`;
    return {
      connection: { connectionString: url.href },
      async drop() {
        const c = new pg.Client({ connectionString: admin.href });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pingan-migrations-'));
  const embedded = await startEmbedded(dataDir, 4);
  return {
    connection: embedded.connection,
    async drop() {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Everything a migration defines, in a stable order, plus the record of what ran when. */
async function catalogSnapshot(pool: pg.Pool): Promise<unknown> {
  const { rows } = await pool.query<{ snapshot: unknown }>(`
    SELECT json_build_object(
      'columns', (SELECT json_agg(json_build_array(table_name, column_name, data_type, udt_name, is_nullable, column_default)
                                  ORDER BY table_name, ordinal_position)
                  FROM information_schema.columns WHERE table_schema = 'public'),
      'constraints', (SELECT json_agg(json_build_array(conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid))
                                      ORDER BY conrelid::regclass::text, conname)
                      FROM pg_constraint WHERE connamespace = 'public'::regnamespace),
      'indexes', (SELECT json_agg(json_build_array(tablename, indexname, indexdef) ORDER BY tablename, indexname)
                  FROM pg_indexes WHERE schemaname = 'public'),
      'triggers', (SELECT json_agg(json_build_array(tgrelid::regclass::text, tgname, pg_get_triggerdef(oid))
                                   ORDER BY tgrelid::regclass::text, tgname)
                   FROM pg_trigger WHERE NOT tgisinternal),
      'functions', (SELECT json_agg(json_build_array(p.proname, md5(p.prosrc)) ORDER BY p.proname, md5(p.prosrc))
                    FROM pg_proc p
                    WHERE p.pronamespace = 'public'::regnamespace
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')),
      'migrations', (SELECT json_agg(json_build_array(name, run_on) ORDER BY id) FROM schema_migrations)
    ) AS snapshot`);
  return rows[0]!.snapshot;
}

describe('migrations', () => {
  it('when applied to a new empty database, then every table exists, and a second run applies nothing and changes nothing', async () => {
    const log = createTestLogger();
    const fresh = await createFreshDatabase();
    const pool = new pg.Pool({ ...fresh.connection, max: 2 });
    try {
      const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort();
      expect(await runMigrations(pool, log)).toEqual(files);

      const { rows } = await pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(EXPECTED_TABLES));

      const before = await catalogSnapshot(pool);
      expect(await runMigrations(pool, log)).toEqual([]);
      expect(await catalogSnapshot(pool)).toEqual(before);
    } finally {
      await pool.end();
      await fresh.drop();
    }
  });
});
