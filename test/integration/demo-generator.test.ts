import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { DEMO_DIR } from '../../geodata/dataset.js';
import { DEMO_PLAN } from '../../geodata/generator/district.js';
import { DEMO_SEED, generateDemo } from '../../geodata/generator/generate.js';
import { loadDemoIfEmpty } from '../../geodata/seed/load.js';
import { seedScale } from '../../geodata/seed/scale.js';
import { openTestDatabase } from '../support/db.js';
import { createTestLogger } from '../support/log.js';

describe('demo generator and loader', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('when the generator runs again with the demo seed, then it reproduces geodata/demo', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'pingan-demo-'));
    const client = await db.connect();
    try {
      await generateDemo(client, {
        seed: DEMO_SEED, plan: DEMO_PLAN, incidents: 10_000, cameras: { xueliang: 703, tianwang: 1115, social: 1000 },
        outDir: out, log: () => undefined,
      });
    } finally {
      client.release();
    }
    try {
      const files = (await readdir(DEMO_DIR)).sort();
      expect((await readdir(out)).sort()).toEqual(files);
      // GEOS versions differ in where a unioned ring starts and how noded roads are ordered,
      // so those two files are compared as geometry; every other byte must be the same.
      for (const file of files.filter((f) => f !== 'grids.geojson' && f !== 'patrols.json'))
        expect(await readFile(path.join(out, file)), file).toEqual(await readFile(path.join(DEMO_DIR, file)));

      type Grids = { features: { properties: unknown; geometry: unknown }[] };
      const [made, kept] = await Promise.all([out, DEMO_DIR].map(async (dir) => JSON.parse(await readFile(path.join(dir, 'grids.geojson'), 'utf8')) as Grids));
      expect(made!.features.map((f) => f.properties)).toEqual(kept!.features.map((f) => f.properties));
      const { rows } = await db.query<{ unequal: number }>(
        `SELECT count(*) FILTER (WHERE NOT ST_Equals(ST_GeomFromGeoJSON(a), ST_GeomFromGeoJSON(b))) AS unequal
         FROM unnest($1::text[], $2::text[]) AS t(a, b)`,
        [made!.features.map((f) => JSON.stringify(f.geometry)), kept!.features.map((f) => JSON.stringify(f.geometry))],
      );
      expect(rows[0]!.unequal).toBe(0);

      type Teams = { code: string; members: number; units: unknown[]; routes: { coords: number[][] }[] }[];
      const [madeTeams, keptTeams] = await Promise.all([out, DEMO_DIR].map(async (dir) => JSON.parse(await readFile(path.join(dir, 'patrols.json'), 'utf8')) as Teams));
      const summary = (teams: Teams) => teams.map((t) => ({ code: t.code, members: t.members, units: t.units, routes: t.routes.length }));
      expect(summary(madeTeams!)).toEqual(summary(keptTeams!));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('when the database already holds a district, then loading the demo again changes nothing', async () => {
    const counts = async () => (await db.query('SELECT (SELECT count(*) FROM grids) g, (SELECT count(*) FROM incidents) i, (SELECT count(*) FROM dataset_loads) l')).rows[0];
    const before = await counts();
    expect(await loadDemoIfEmpty(db, createTestLogger())).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('when incidents are seeded at scale, then they are attributed to grids and numbered after the existing ones', async () => {
    const { rows: [before] } = await db.query<{ max_id: number; n: number }>('SELECT max(id) AS max_id, count(*) AS n FROM incidents');
    try {
      await seedScale(db, createTestLogger(), { grids: 0, incidents: 2500, workDir: os.tmpdir() });
      const { rows: [added] } = await db.query<{ n: number; unattributed: number; distinct_numbers: number; categories: number; span_days: number }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE grid_id IS NULL) AS unattributed, count(DISTINCT number) AS distinct_numbers,
                count(DISTINCT category) AS categories, extract(epoch FROM max(reported_at) - min(reported_at)) / 86400 AS span_days
         FROM incidents WHERE id > $1`,
        [before!.max_id],
      );
      expect(added).toMatchObject({ n: 2500, unattributed: 0, distinct_numbers: 2500, categories: 6 });
      expect(added!.span_days).toBeGreaterThan(300);
    } finally {
      await db.query('DELETE FROM incidents WHERE id > $1', [before!.max_id]);
    }
    const { rows: [after] } = await db.query<{ n: number }>('SELECT count(*) AS n FROM incidents');
    expect(after!.n).toBe(before!.n);
  });
});
