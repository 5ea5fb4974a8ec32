import { createHash } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import type { Database, Queryable } from '../db/database.js';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { loadSql } from '../sql-files.js';
import { findIncidentDetail, type IncidentDetail } from './repository.js';
import type { IntakeInput } from './schema.js';

const sql = loadSql(import.meta.url, ['intake-replay', 'intake-attribute', 'intake-insert', 'step-insert', 'alarm-camera']);

export interface IntakeOptions {
  /** Attribute a point outside every grid to the nearest grid (flagged) instead of refusing it. */
  nearestWhenOutside: boolean;
  /** Metres to another grid within which an incident is flagged "boundary: confirm grid". */
  boundaryMetres: number;
}

/** What filing answers: the incident as its detail panel shows it, and whether this was a replay. */
export interface IntakeResult {
  incident: IncidentDetail;
  replayed: boolean;
}

/** Anything that files incidents: the REST intake, Open311. */
export interface Reporter {
  caller: Caller;
  /** incidents.source of what it files. */
  source: string;
}

interface AttributionRow {
  grid_id: number;
  center_id: number;
  boundary_flag: boolean;
  outside_flag: boolean;
  attribution: unknown;
  grid_name: string;
  center_name: string;
  in_scope: boolean;
}

/**
 * Files one incident: attributed in the database, numbered, deadline set, its 受理 step
 * recorded, in one transaction. With an idempotency key a retry answers the first
 * result, and the same key with other content is refused. Intake takes the live-outbox
 * lock first (every incident write does, see migration 0005), so two posts with one key
 * are decided one after the other.
 */
export async function fileIncident(db: Database, reporter: Reporter, input: IntakeInput, key: string | null, options: IntakeOptions): Promise<IntakeResult> {
  const { caller } = reporter;
  const scope = caller.center.id;
  const hash = requestHash(reporter.source, input);
  const outcome = await db.tx(async (q) => {
    await q.query('SELECT pingan_live_lock()');
    if (key) {
      const earlier = await replayOf(q, key, hash, scope);
      if (earlier) return { id: earlier, replayed: true };
    }
    const place = await attribute(q, input.location, scope, options);
    const cameraNote = input.cameraId ? await cameraNoteOf(q, input.cameraId, scope) : null;
    const { rows } = await q.query<{ id: number; status: string; center_id: number }>(sql['intake-insert'], [
      input.category,
      input.severity,
      input.title,
      input.description ?? null,
      input.location[0],
      input.location[1],
      input.address ?? null,
      reporter.source,
      input.reporterName ?? null,
      input.reporterPhone ?? null,
      input.reporterIdNumber ?? null,
      place.grid_id,
      place.center_id,
      place.boundary_flag,
      place.outside_flag,
      JSON.stringify(place.attribution),
      input.occurredAt ?? null,
      key,
      hash,
    ]);
    const row = rows[0];
    if (!row) throw new Error('intake: the idempotency key was taken inside the intake lock');
    await q.query(sql['step-insert'], [row.id, 'receive', null, row.status, caller.userId, caller.displayName, scope, null, null, null, cameraNote]);
    return { id: row.id, replayed: false };
  });
  const incident = await findIncidentDetail(db, scope, outcome.id);
  // Filed inside the caller's jurisdiction a moment ago; only a concurrent reassignment moves it out.
  if (!incident) throw HttpProblem.notFound(`incident ${outcome.id} was filed but has since moved out of your jurisdiction`);
  return { incident, replayed: outcome.replayed };
}

/** SHA-256 of what a report says, independent of key order and whitespace of the request. */
function requestHash(source: string, input: IntakeInput): Buffer {
  // The same instant written another way (…:00Z, …:00.000+00:00) is the same report.
  const occurredAt = input.occurredAt && new Date(input.occurredAt).toISOString();
  const fields = Object.entries({ ...input, occurredAt, source }).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(fields)).digest();
}

async function replayOf(q: Queryable, key: string, hash: Buffer, scope: number): Promise<number | null> {
  const { rows } = await q.query<{ id: number; request_hash: Buffer | null; in_scope: boolean }>(sql['intake-replay'], [key, scope]);
  const earlier = rows[0];
  if (!earlier) return null;
  if (!earlier.in_scope || !earlier.request_hash || !hash.equals(earlier.request_hash)) {
    throw new HttpProblem(422, {
      type: ProblemType.idempotencyConflict,
      title: 'Idempotency key already used',
      detail: earlier.in_scope
        ? 'this Idempotency-Key was already used for a different report; send a new key for a new report'
        : 'this Idempotency-Key was already used for a report that is now outside your jurisdiction; send a new key for a new report',
    });
  }
  return earlier.id;
}

async function attribute(q: Queryable, [lon, lat]: [number, number], scope: number, options: IntakeOptions): Promise<AttributionRow> {
  const { rows } = await q.query<AttributionRow>(sql['intake-attribute'], [lon, lat, options.nearestWhenOutside, options.boundaryMetres, scope]);
  const place = rows[0];
  if (!place) {
    throw new HttpProblem(422, {
      type: ProblemType.outsideGrids,
      title: 'Outside every grid',
      detail: `the point ${lon}, ${lat} lies outside every grid of the district; check the location (GPS fix, map tap) and report again`,
      extra: { location: [lon, lat] },
    });
  }
  if (!place.in_scope) {
    throw new HttpProblem(403, {
      type: ProblemType.outsideJurisdiction,
      title: 'Outside your jurisdiction',
      detail: `the point lies in grid ${place.grid_name} of ${place.center_name}, outside your jurisdiction; report it to that center`,
      extra: { gridId: place.grid_id, centerId: place.center_id },
    });
  }
  return place;
}

async function cameraNoteOf(q: Queryable, cameraId: number, scope: number): Promise<string> {
  const { rows } = await q.query<{ code: string; name: string }>(sql['alarm-camera'], [cameraId, scope]);
  const camera = rows[0];
  if (!camera) throw new HttpProblem(422, { type: ProblemType.invalidParams, detail: `there is no camera ${cameraId} in your jurisdiction` });
  return `camera alarm: ${camera.code} ${camera.name}`;
}
