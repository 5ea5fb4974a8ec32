import path from 'node:path';
import type { Database } from '../../server/db/database.js';
import type { Logger } from '../../server/log.js';
import { DEMO_DIR } from '../dataset.js';
import { scaledPlan } from '../generator/district.js';
import { toXY, type XY } from '../generator/frame.js';
import { DEMO_SEED, generateDemo, PERIOD_START } from '../generator/generate.js';
import { generateIncidents, type AtomHome, type IncidentRecord } from '../generator/incidents.js';
import type { Place } from '../generator/places.js';
import { Random } from '../generator/random.js';
import { insertIncidents, loadDemo, readJson, readManifest } from './load.js';

const CHUNK = 10_000;
/** The demo's cameras per level-3 grid, by source, kept when a larger district is generated. */
const DEMO_CAMERAS = { xueliang: 703, tianwang: 1115, social: 1000 };

export interface ScaleOptions {
  /** Level-3 grids wanted; 0 keeps the loaded district. */
  grids: number;
  incidents: number;
  /** Folder for a generated large district (its files are kept for a reload). */
  workDir: string;
  /** Keep what is loaded: with `grids`, the district generated earlier is only the incidents' model. */
  keep?: boolean;
}

/**
 * Large data sets for benchmarks. `grids` generates and loads a district of that many level-3
 * grids (with cameras in the demo's proportion), replacing what is loaded. `incidents` adds
 * incidents following the demo's model (hot spots, hours, seasons) over the loaded district,
 * streamed in batches, without workflow events.
 */
export async function seedScale(db: Database, log: Logger, o: ScaleOptions): Promise<void> {
  let dir = DEMO_DIR;
  if (o.grids > 0) dir = path.join(o.workDir, `grids-${o.grids}`);
  if (o.grids > 0 && !o.keep) {
    const started = Date.now();
    const plan = scaledPlan(o.grids, new Random(DEMO_SEED).fork('plan'));
    const factor = o.grids / 280;
    const client = await db.connect();
    try {
      await generateDemo(client, {
        seed: DEMO_SEED, plan, incidents: 0, outDir: dir, log: (msg) => log.info(msg),
        cameras: { xueliang: Math.round(DEMO_CAMERAS.xueliang * factor), tianwang: Math.round(DEMO_CAMERAS.tianwang * factor), social: Math.round(DEMO_CAMERAS.social * factor) },
      });
    } finally {
      client.release();
    }
    log.info({ ms: Date.now() - started, dir }, `generated a district of ${o.grids} level-3 grids in ${Date.now() - started} ms`);
    await loadDemo(db, log, { reset: true, dir });
  }
  if (o.incidents > 0) await seedIncidents(db, log, dir, o.incidents);
}

async function seedIncidents(db: Database, log: Logger, dir: string, count: number): Promise<void> {
  const started = Date.now();
  const manifest = await readManifest(dir);
  const atoms = (await readJson<[number, number, number, number, number][]>(dir, 'atoms.json'))
    .map(([lon, lat, population, town, village]): AtomHome => ({ xy: toXY([lon, lat]), population, town, village }));
  const places = (await readJson<Omit<Place, 'xy'>[]>(dir, 'places.json')).map((p): Place => ({ ...p, xy: toXY(p.lonlat) }));
  const { rows: names } = await db.query<{ town: string; villages: string[] }>(
    `SELECT t.name AS town, array_agg(v.name ORDER BY v.code) AS villages
     FROM centers t JOIN centers v ON v.parent_id = t.id WHERE t.level = 'town' GROUP BY t.code, t.name ORDER BY t.code`,
  );
  const { rows: state } = await db.query<{ shift: string | null; n: number }>(
    `SELECT (SELECT shift::text FROM dataset_loads ORDER BY id DESC LIMIT 1) AS shift, (SELECT count(*) FROM incidents) AS n`,
  );
  const model = {
    atoms, places, outline: manifest.outline.map((p) => toXY(p) as XY),
    townNames: names.map((n) => n.town.replace(/综治中心$/, '')),
    villageNames: names.map((n) => n.villages.map((v) => v.replace(/综治中心$/, ''))),
    start: PERIOD_START,
  };
  // A fresh seed per run so a second --incidents adds new incidents instead of repeating the first.
  const generator = generateIncidents(model, count, new Random(0x5ca1e + state[0]!.n), false);
  let done = 0;
  while (done < count) {
    const chunk: IncidentRecord[] = [];
    for (let i = 0; i < CHUNK && done + i < count; i++) chunk.push(generator.next().value!);
    await db.tx((q) => insertIncidents(q, chunk, state[0]!.shift ?? '0', state[0]!.n + done));
    done += chunk.length;
    if (done % 100_000 === 0 || done === count) log.info({ done, ms: Date.now() - started }, `incidents: ${done}/${count}`);
  }
  // The generator draws each incident's day at random; a live system appends them as they are
  // reported. Stored in report order, as in production, a window's incidents share heap pages.
  const clustering = Date.now();
  await db.query('CLUSTER incidents USING incidents_reported_idx');
  log.info({ ms: Date.now() - clustering }, 'incidents stored in report order');
  await db.query('ANALYZE incidents');
  // The heat-map counts are read by index-only scans, which need the visibility map a
  // vacuum writes; autovacuum would get there too, minutes after a load this size.
  await db.query('VACUUM (ANALYZE) incident_heat');
  log.info({ incidents: count, ms: Date.now() - started }, `seeded ${count} incidents in ${Date.now() - started} ms`);
}
