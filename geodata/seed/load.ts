import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Database, Queryable } from '../../server/db/database.js';
import type { Logger } from '../../server/log.js';
import { loadSql } from '../../server/sql-files.js';
import { DEMO_DIR, type DemoManifest } from '../dataset.js';
import type { IncidentRecord } from '../generator/incidents.js';
import { demoAccountRows } from './demo-accounts.js';

const sql = loadSql(import.meta.url, [
  'insert-centers', 'insert-grids', 'insert-staff', 'insert-cameras', 'insert-patrols', 'insert-patrol-track', 'insert-places',
  'insert-roads', 'insert-waterways', 'insert-water', 'insert-landuse', 'insert-incidents', 'insert-incident-events',
  'insert-geofences', 'insert-demo-accounts', 'record-load', 'table-counts', 'reset',
]);

const WEEK_MS = 7 * 86_400_000;
const BATCH = 2000;

const withLonLat = <T extends { lonlat: [number, number] }>(row: T) => ({ ...row, lon: row.lonlat[0], lat: row.lonlat[1] });

export const readJson = async <T>(dir: string, file: string): Promise<T> => JSON.parse(await readFile(path.join(dir, file), 'utf8')) as T;

export async function readManifest(dir = DEMO_DIR): Promise<DemoManifest> {
  return readJson<DemoManifest>(dir, 'manifest.json');
}

async function readIncidents(dir: string): Promise<IncidentRecord[]> {
  return JSON.parse(gunzipSync(await readFile(path.join(dir, 'incidents.json.gz'))).toString('utf8')) as IncidentRecord[];
}

/** Sends rows in slices, so a generated province-sized district stays within one statement's means. */
async function inChunks<T>(rows: T[], size: number, send: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await send(rows.slice(i, i + size));
}

/**
 * Whole weeks that move the demo's year forward so its last incident falls in the current
 * week: dashboards then show live-looking data, and weekday patterns stay on their weekdays.
 */
export function demoShiftWeeks(lastReportedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - lastReportedAt) / WEEK_MS));
}

/**
 * Loads the demo district into an empty database; returns false otherwise. A database
 * loaded before accounts existed (no users at all) gets the demo accounts, so it can be
 * signed in to.
 */
export async function loadDemoIfEmpty(db: Database, log: Logger, options: DemoOptions = {}): Promise<boolean> {
  const { rows } = await db.query<{ n: number; users: number }>(
    'SELECT (SELECT count(*) FROM centers) + (SELECT count(*) FROM dataset_loads) AS n, (SELECT count(*) FROM users) AS users',
  );
  if (rows[0]!.n > 0) {
    if (rows[0]!.users === 0) {
      await db.query(sql['insert-demo-accounts'], [JSON.stringify(await demoAccountRows()), options.accountsMustChangePassword ?? false]);
      log.info('the database had no accounts: created the demo accounts');
    }
    return false;
  }
  await loadDemo(db, log, options);
  return true;
}

export interface DemoOptions {
  /** Empty every domain table first. */
  reset?: boolean;
  /** The time the demo year is moved towards (default: now). */
  now?: number;
  /** A generated district other than geodata/demo/. */
  dir?: string;
  /** Seeded demo accounts must change their password at first login (production mode). */
  accountsMustChangePassword?: boolean;
}

/**
 * Loads a generated district (geodata/demo/ unless `dir` says otherwise) and the demo
 * accounts in one transaction, so a load is all or nothing.
 */
export async function loadDemo(db: Database, log: Logger, options: DemoOptions = {}): Promise<Record<string, number>> {
  const started = Date.now();
  const dir = options.dir ?? DEMO_DIR;
  const json = <T>(file: string) => readJson<T>(dir, file);
  const text = (file: string) => readFile(path.join(dir, file), 'utf8');
  const manifest = await readManifest(dir);
  const [centers, grids, staff, cameras, patrols, places, roads, waterways, water, landuse, incidents] = await Promise.all([
    json<{ lonlat: [number, number] }[]>('centers.json'),
    json<{ features: { properties: { kind: string; level: number }; geometry: unknown }[] }>('grids.geojson'),
    json<unknown[]>('staff.json'),
    json<{ lonlat: [number, number] }[]>('cameras.json'),
    json<unknown[]>('patrols.json'),
    json<unknown[]>('places.json'),
    text('roads.geojson'),
    text('waterways.geojson'),
    text('water.geojson'),
    text('landuse.geojson'),
    readIncidents(dir),
  ]);
  const accounts = await demoAccountRows();
  const now = options.now ?? Date.now();
  const lastReported = incidents.reduce((last, i) => Math.max(last, Date.parse(i.reported_at)), 0);
  const shiftDays = incidents.length > 0 ? demoShiftWeeks(lastReported, now) * 7 : 0;

  const counts = await db.tx(async (q) => {
    if (options.reset) await q.query(sql.reset);
    const centerRows = JSON.stringify(centers.map(withLonLat));
    for (const level of ['district', 'town', 'village']) await q.query(sql['insert-centers'], [centerRows, level]);
    const gridRows = grids.features.map((f) => ({ ...f.properties, geom: f.geometry }));
    for (const [kind, level] of [['general', 1], ['general', 2], ['general', 3], ['specialist', 1]] as const)
      await inChunks(gridRows.filter((g) => g.kind === kind && g.level === level), 5000, (chunk) => q.query(sql['insert-grids'], [JSON.stringify(chunk), kind, level]));
    await inChunks(staff, 10_000, (chunk) => q.query(sql['insert-staff'], [JSON.stringify(chunk)]));
    await inChunks(cameras, 10_000, (chunk) => q.query(sql['insert-cameras'], [JSON.stringify(chunk.map(withLonLat))]));
    await q.query(sql['insert-patrols'], [JSON.stringify(patrols)]);
    await q.query(sql['insert-patrol-track'], [new Date(now).toISOString()]);
    await q.query(sql['insert-places'], [JSON.stringify(places)]);
    await q.query(sql['insert-roads'], [roads]);
    await q.query(sql['insert-waterways'], [waterways]);
    await q.query(sql['insert-water'], [water]);
    await q.query(sql['insert-landuse'], [landuse]);
    await q.query(sql['insert-geofences'], [new Date(now).toISOString()]);
    await insertIncidents(q, incidents, `${shiftDays} days`, 0);
    await q.query(sql['insert-demo-accounts'], [JSON.stringify(accounts), options.accountsMustChangePassword ?? false]);
    const { rows } = await q.query<Record<string, number>>(sql['table-counts']);
    await q.query(sql['record-load'], [manifest.dataset, manifest.version, `${shiftDays} days`, JSON.stringify(rows[0])]);
    return rows[0]!;
  });
  // Fresh planner statistics for the bulk of new rows (the embedded database has no autovacuum).
  await db.query('ANALYZE');
  const what = dir === DEMO_DIR ? 'the demo district' : `a generated district (${dir})`;
  log.info({ counts, shiftDays, ms: Date.now() - started }, `loaded ${what} "${manifest.name}" in ${Date.now() - started} ms`);
  return counts;
}

/**
 * Inserts incidents (and their workflow events) in batches; numbers continue from `numberOffset`.
 * Used by the demo load and by the large-data-set seeding.
 */
export async function insertIncidents(q: Queryable, records: IncidentRecord[], shift: string, numberOffset: number): Promise<number> {
  let inserted = 0;
  for (let from = 0; from < records.length; from += BATCH) {
    const batch = records.slice(from, from + BATCH);
    const offset = numberOffset + from;
    const { rows } = await q.query<{ id: number; number: string }>(sql['insert-incidents'], [
      JSON.stringify(batch.map(({ events: _events, ...r }, k) => ({ ...withLonLat(r), n: k + 1 }))),
      shift,
      offset,
    ]);
    inserted += rows.length;
    const events = rows.flatMap((row) => {
      const index = Number(row.number.slice(-8)) - offset - 1;
      return batch[index]!.events.map((e) => ({ ...e, incident_id: row.id }));
    });
    if (events.length > 0) await q.query(sql['insert-incident-events'], [JSON.stringify(events), shift]);
  }
  return inserted;
}
