import type { Queryable } from './database.js';

export interface DatabaseInfo {
  postgres: string;
  postgis: string;
  geos: string;
  proj: string;
  capabilities: Capabilities;
}

export interface Capabilities {
  /** ST_AsMVT / ST_AsMVTGeom work (PostGIS built with protobuf). */
  nativeMvt: boolean;
}

/** Probes once at start-up what this PostGIS can do; callers read the flags, never the mode. */
export async function detectDatabaseInfo(db: Queryable): Promise<DatabaseInfo> {
  const { rows } = await db.query<{ postgres: string; postgis: boolean }>(
    `SELECT current_setting('server_version') AS postgres,
            EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') AS postgis`,
  );
  const { postgres, postgis } = rows[0]!;
  // Before the first migration (e.g. the generator's scratch database) PostGIS may not be created yet.
  if (!postgis) return { postgres, postgis: 'not installed', geos: '', proj: '', capabilities: { nativeMvt: false } };
  const versions = await db.query<{ postgis: string; geos: string; proj: string }>(
    'SELECT postgis_lib_version() AS postgis, postgis_geos_version() AS geos, postgis_proj_version() AS proj',
  );
  return { postgres, ...versions.rows[0]!, capabilities: { nativeMvt: await probe(db, NATIVE_MVT_PROBE) } };
}

const NATIVE_MVT_PROBE = `
  SELECT ST_AsMVT(t) FROM (
    SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(1, 1), 3857), ST_MakeEnvelope(0, 0, 2, 2, 3857)) AS geom
  ) AS t`;

async function probe(db: Queryable, sql: string): Promise<boolean> {
  try {
    await db.query(sql);
    return true;
  } catch {
    return false;
  }
}
