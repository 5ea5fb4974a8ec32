import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../server/db/database.js';
import { CONSTRAINT_MESSAGES, describeDatabaseError } from '../../server/http/db-errors.js';
import { openTestDatabase } from '../support/db.js';

// The schema refuses bad data by itself, and describeDatabaseError turns each refusal
// into a 4xx with a sentence a person can act on. Every case runs in a transaction
// that is rolled back, and checks that no table changed.

const TABLES = [
  'centers', 'grids', 'staff', 'grid_staff', 'cameras', 'patrol_teams', 'patrol_routes', 'patrol_units',
  'patrol_positions', 'users', 'incidents', 'incident_events', 'places', 'basemap_roads', 'basemap_waterways',
  'basemap_water', 'basemap_landuse', 'dataset_loads', 'center_tree', 'sessions', 'access_tokens', 'audit_log',
  'incident_deadlines', 'incident_photos', 'geofences', 'geofence_alerts', 'live_events',
];

/** A square of `size` degrees at (lon, lat), as EWKT MultiPolygon. */
const square = (lon: number, lat: number, size = 0.01) =>
  `SRID=4326;MULTIPOLYGON(((${lon} ${lat},${lon + size} ${lat},${lon + size} ${lat + size},${lon} ${lat + size},${lon} ${lat})))`;

/** Crosses itself in the middle: not a valid polygon. */
const BOW_TIE = 'SRID=4326;MULTIPOLYGON(((106.60 30.50,106.61 30.51,106.61 30.50,106.60 30.51,106.60 30.50)))';

const uniqueCode = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

interface Hierarchy {
  district: number;
  town: number;
  village: number;
  street: number; // level-1 grid of the town
  community: number; // level-2 grid of the village
}

/** A district → town → village chain of centers with a level-1 and a level-2 grid. */
async function createHierarchy(q: Queryable): Promise<Hierarchy> {
  const center = async (level: string, parent: number | null) =>
    (
      await q.query<{ id: number }>(
        `INSERT INTO centers (code, name, level, parent_id, location)
         VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint(106.6, 30.5), 4326)) RETURNING id`,
        [uniqueCode('TC'), `test ${level}`, level, parent],
      )
    ).rows[0]!.id;
  const grid = async (level: number, parent: number | null, centerId: number) =>
    (
      await q.query<{ id: number }>(
        `INSERT INTO grids (code, name, kind, level, parent_id, center_id, geom)
         VALUES ($1, $2, 'general', $3, $4, $5, $6::geometry) RETURNING id`,
        [uniqueCode('TG'), `test grid ${level}`, level, parent, centerId, square(106.6, 30.5)],
      )
    ).rows[0]!.id;
  const district = await center('district', null);
  const town = await center('town', district);
  const village = await center('village', town);
  const street = await grid(1, null, town);
  const community = await grid(2, street, village);
  return { district, town, village, street, community };
}

async function countRows(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.query<{ counts: Record<string, number> }>(
    `SELECT json_build_object(${TABLES.map((t) => `'${t}', (SELECT count(*) FROM ${t})`).join(', ')}) AS counts`,
  );
  return rows[0]!.counts;
}

describe('database rules', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  /**
   * Runs `attempt` in a transaction that is always rolled back, asserts that no
   * table's row count changed, and returns what `attempt` returned or threw.
   */
  async function inRolledBackTransaction<T>(attempt: (q: Queryable) => Promise<T>): Promise<{ value?: T; error?: unknown }> {
    const before = await countRows(db);
    const rollback = new Error('rollback');
    const outcome: { value?: T; error?: unknown } = {};
    await db
      .tx(async (q) => {
        try {
          outcome.value = await attempt(q);
        } catch (err) {
          outcome.error = err;
        }
        throw rollback;
      })
      .catch((err: unknown) => {
        if (err !== rollback) throw err;
      });
    expect(await countRows(db)).toEqual(before);
    return outcome;
  }

  /** The error the database raised for `attempt` (which must fail), after rolling back. */
  async function rejectionOf(attempt: (q: Queryable) => Promise<unknown>): Promise<unknown> {
    const { error } = await inRolledBackTransaction(attempt);
    expect(error, 'the database accepted what it should refuse').toBeInstanceOf(Error);
    return error;
  }

  it('when a grid is a self-intersecting bow-tie, then it is refused as an invalid polygon (422)', async () => {
    const err = await rejectionOf(async (q) => {
      const h = await createHierarchy(q);
      await q.query(
        `INSERT INTO grids (code, name, kind, level, center_id, geom) VALUES ($1, 'bow tie', 'general', 1, $2, $3::geometry)`,
        [uniqueCode('TG'), h.town, BOW_TIE],
      );
    });
    expect(err).toMatchObject({ code: '23514', constraint: 'grids_geom_valid' });
    expect(describeDatabaseError(err)).toMatchObject({
      status: 422,
      title: 'Invalid geometry',
      detail: expect.stringContaining('grid geometry is not a valid polygon'),
      constraint: 'grids_geom_valid',
    });
  });

  it('when a grid comes in Web Mercator (SRID 3857), then it is refused with the WGS84 message (422)', async () => {
    const err = await rejectionOf(async (q) => {
      const h = await createHierarchy(q);
      await q.query(
        `INSERT INTO grids (code, name, kind, level, center_id, geom)
         VALUES ($1, 'mercator', 'general', 1, $2, ST_Transform($3::geometry, 3857))`,
        [uniqueCode('TG'), h.town, square(106.6, 30.5)],
      );
    });
    expect(describeDatabaseError(err)).toEqual({ status: 422, title: 'Invalid geometry', detail: 'geometry must be WGS84 (SRID 4326)' });
  });

  it('when a grid is a single Polygon, then it is never stored as one: refused naming the type (PostGIS 3.3) or promoted to MultiPolygon (3.5+)', async () => {
    const { value: stored, error } = await inRolledBackTransaction(async (q) => {
      const h = await createHierarchy(q);
      const { rows } = await q.query<{ type: string }>(
        `INSERT INTO grids (code, name, kind, level, center_id, geom)
         VALUES ($1, 'polygon', 'general', 1, $2, ST_GeometryN($3::geometry, 1)) RETURNING ST_GeometryType(geom) AS type`,
        [uniqueCode('TG'), h.town, square(106.6, 30.5)],
      );
      return rows[0]!.type;
    });
    if (error) {
      expect(describeDatabaseError(error)).toMatchObject({ status: 422, detail: 'geometry must be a MultiPolygon, not a Polygon' });
    } else {
      expect(stored).toBe('ST_MultiPolygon');
    }
  });

  it('when a camera has an unknown source, then the message lists the three sources (422)', async () => {
    const err = await rejectionOf(async (q) => {
      const h = await createHierarchy(q);
      await q.query(
        `INSERT INTO cameras (code, name, source, location, heading, fov, range_m, center_id)
         VALUES ($1, 'test camera', 'skynet', ST_SetSRID(ST_MakePoint(106.6, 30.5), 4326), 90, 60, 100, $2)`,
        [uniqueCode('TCAM'), h.village],
      );
    });
    expect(err).toMatchObject({ code: '23514', constraint: 'cameras_source_check' });
    expect(describeDatabaseError(err)).toMatchObject({
      status: 422,
      detail: expect.stringMatching(/camera source must be one of: xueliang .*tianwang .*social/),
    });
  });

  it('when a village center is put directly under the district, then the level rule refuses it (422)', async () => {
    const err = await rejectionOf(async (q) => {
      const h = await createHierarchy(q);
      await q.query(
        `INSERT INTO centers (code, name, level, parent_id, location)
         VALUES ($1, 'misplaced village', 'village', $2, ST_SetSRID(ST_MakePoint(106.6, 30.5), 4326))`,
        [uniqueCode('TC'), h.district],
      );
    });
    expect(err).toMatchObject({ code: '23514', constraint: 'centers_level_rule' });
    expect(describeDatabaseError(err)).toMatchObject({
      status: 422,
      detail: 'a town center must sit under the district center, a village center under a town center',
    });
  });

  it('when a level-3 grid is put directly under a level-1 grid, then the level rule refuses it (422)', async () => {
    const err = await rejectionOf(async (q) => {
      const h = await createHierarchy(q);
      await q.query(
        `INSERT INTO grids (code, name, kind, level, parent_id, center_id, geom)
         VALUES ($1, 'misplaced block', 'general', 3, $2, $3, $4::geometry)`,
        [uniqueCode('TG'), h.street, h.village, square(106.6, 30.5, 0.001)],
      );
    });
    expect(err).toMatchObject({ code: '23514', constraint: 'grids_level_rule' });
    expect(describeDatabaseError(err)).toMatchObject({ status: 422, detail: expect.stringContaining('exactly one level up') });
  });

  it('when a center names a parent that does not exist, then it is an unknown reference (422)', async () => {
    const err = await rejectionOf((q) =>
      q.query(
        `INSERT INTO centers (code, name, level, parent_id, location)
         VALUES ($1, 'orphan', 'town', -1, ST_SetSRID(ST_MakePoint(106.6, 30.5), 4326))`,
        [uniqueCode('TC')],
      ),
    );
    // The level trigger runs first and finds no parent level; either way it is a 422.
    expect(describeDatabaseError(err)).toMatchObject({ status: 422 });
  });

  it('when a staff member names a center that does not exist, then it is an unknown reference (422)', async () => {
    const err = await rejectionOf((q) =>
      q.query(`INSERT INTO staff (code, name, role, center_id) VALUES ($1, 'nobody', 'volunteer', -1)`, [uniqueCode('TS')]),
    );
    expect(err).toMatchObject({ code: '23503' });
    expect(describeDatabaseError(err)).toMatchObject({ status: 422, title: 'Unknown reference', detail: 'center_id -1 does not exist in centers' });
  });

  it('when a center that others refer to is deleted, then it is still referenced (409)', async () => {
    const err = await rejectionOf(async (q) => {
      const h = await createHierarchy(q);
      await q.query('DELETE FROM centers WHERE id = $1', [h.district]);
    });
    expect(err).toMatchObject({ code: '23503' });
    expect(describeDatabaseError(err)).toMatchObject({ status: 409, title: 'Still referenced', detail: expect.stringContaining('by centers') });
  });

  it('when a grid code is used twice, then the second is a conflict (409)', async () => {
    const code = uniqueCode('TG');
    const err = await rejectionOf(async (q) => {
      const h = await createHierarchy(q);
      for (let i = 0; i < 2; i++) {
        await q.query(
          `INSERT INTO grids (code, name, kind, level, center_id, geom) VALUES ($1, 'twin', 'general', 1, $2, $3::geometry)`,
          [code, h.town, square(106.7, 30.6)],
        );
      }
    });
    expect(err).toMatchObject({ code: '23505', constraint: 'grids_code_key' });
    expect(describeDatabaseError(err)).toMatchObject({ status: 409, title: 'Already exists', detail: `code '${code}' already exists` });
  });

  it('when a required value is missing, then it names the column (422)', async () => {
    const err = await rejectionOf((q) =>
      q.query(`INSERT INTO places (kind, name, rank, location) VALUES ('town', NULL, 2, ST_SetSRID(ST_MakePoint(106.6, 30.5), 4326))`),
    );
    expect(describeDatabaseError(err)).toEqual({ status: 422, title: 'Missing value', detail: 'name is required (places)' });
  });

  it('when text is given where a number belongs, then it is malformed (400)', async () => {
    const err = await rejectionOf((q) => q.query('SELECT id FROM grids WHERE id = $1', ['abc']));
    expect(describeDatabaseError(err)).toMatchObject({ status: 400, title: 'Malformed value' });
  });

  it('when a geometry cannot be parsed, then it is a 400 that says so', async () => {
    const err = await rejectionOf((q) => q.query('SELECT ST_GeomFromGeoJSON($1)', ['{"type":"Polygon","coordinates":[[[1,2]]']));
    expect(describeDatabaseError(err)).toMatchObject({ status: 400, detail: expect.stringMatching(/^geometry could not be read/) });
  });

  describe('incident history', () => {
    /** An incident with one `receive` event, inside the caller's transaction. */
    async function createIncidentWithEvent(q: Queryable): Promise<number> {
      const h = await createHierarchy(q);
      const incident = (
        await q.query<{ id: number }>(
          `INSERT INTO incidents (number, category, severity, title, location, source, center_id, occurred_at)
           VALUES ($1, 'dispute', 'low', 'test incident', ST_SetSRID(ST_MakePoint(106.6, 30.5), 4326), 'hotline', $2, now() - interval '1 hour')
           RETURNING id`,
          [uniqueCode('TINC'), h.village],
        )
      ).rows[0]!.id;
      return (
        await q.query<{ id: number }>(
          `INSERT INTO incident_events (incident_id, action, to_status, actor_name) VALUES ($1, 'receive', 'received', 'tester') RETURNING id`,
          [incident],
        )
      ).rows[0]!.id;
    }

    it('when an incident event is updated, then the append-only rule refuses it (409)', async () => {
      const err = await rejectionOf(async (q) => {
        const event = await createIncidentWithEvent(q);
        await q.query(`UPDATE incident_events SET note = 'rewritten' WHERE id = $1`, [event]);
      });
      expect(err).toMatchObject({ code: '42501' });
      expect(describeDatabaseError(err)).toMatchObject({ status: 409, title: 'Append-only record', detail: expect.stringContaining('incident_events is append-only') });
    });

    it('when an incident event is deleted, then the append-only rule refuses it (409)', async () => {
      const err = await rejectionOf(async (q) => {
        const event = await createIncidentWithEvent(q);
        await q.query('DELETE FROM incident_events WHERE id = $1', [event]);
      });
      expect(err).toMatchObject({ code: '42501' });
      expect(describeDatabaseError(err)).toMatchObject({ status: 409 });
    });
  });

  it('when any named rule of the schema exists, then describeDatabaseError has a message written for it', async () => {
    // CHECK constraints in the catalog, and the names that trigger functions raise with USING CONSTRAINT.
    const { rows: checks } = await db.query<{ name: string }>(
      `SELECT c.conname AS name
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE c.contype = 'c' AND n.nspname = 'public' AND t.relname = ANY($1)`,
      [TABLES],
    );
    const { rows: functions } = await db.query<{ src: string }>(
      `SELECT p.prosrc AS src FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpgsql')`,
    );
    const raised = functions.flatMap((f) => [...f.src.matchAll(/CONSTRAINT\s*=\s*'(\w+)'/g)].map((m) => m[1]!));
    const names = [...checks.map((c) => c.name), ...raised];
    expect(raised).toEqual(expect.arrayContaining(['centers_level_rule', 'grids_level_rule', 'grids_center_level_rule', 'grid_staff_worker_level']));
    expect(names.filter((name) => !(name in CONSTRAINT_MESSAGES))).toEqual([]);
  });
});
