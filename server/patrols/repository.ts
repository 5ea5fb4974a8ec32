import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { PositionReport } from './schema.js';

const sql = loadSql(import.meta.url, ['teams', 'routes', 'positions', 'unit', 'report-positions']);

export interface PatrolTeam {
  id: number;
  code: string;
  name: string;
  centerId: number;
  members: number;
  leader: string | null;
  phone: string | null;
  units: number;
  routes: number;
}

export async function listTeams(q: Queryable, scope: number): Promise<PatrolTeam[]> {
  const { rows } = await q.query<{
    id: number;
    code: string;
    name: string;
    center_id: number;
    members: number;
    leader: string | null;
    phone: string | null;
    units: number;
    routes: number;
  }>(sql.teams, [scope]);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    centerId: r.center_id,
    members: r.members,
    leader: r.leader,
    phone: r.phone,
    units: r.units,
    routes: r.routes,
  }));
}

/** Routes of the jurisdiction's teams (optionally one team) as serialised GeoJSON. */
export async function routesGeoJson(q: Queryable, scope: number, team: number | undefined): Promise<string> {
  const { rows } = await q.query<{ body: string }>(sql.routes, [scope, team ?? null]);
  return rows[0]!.body;
}

/** The latest position of each unit of the jurisdiction's teams as serialised GeoJSON. */
export async function positionsGeoJson(q: Queryable, scope: number, team: number | undefined): Promise<string> {
  const { rows } = await q.query<{ body: string }>(sql.positions, [scope, team ?? null]);
  return rows[0]!.body;
}

/** One patrol unit as its detail panel shows it. */
export interface PatrolUnit {
  id: number;
  callsign: string;
  /** vehicle, ebike or foot. */
  kind: string;
  members: number;
  team: { id: number; code: string; name: string; centerId: number; centerName: string };
  /** Its planned route, the geometry a GeoJSON LineString; null when it has none. */
  route: { id: number; name: string; shift: string; lengthKm: number; geometry: { type: 'LineString'; coordinates: [number, number][] } } | null;
  /** Its latest reported position; null when it never reported one. */
  lastPosition: { location: [lon: number, lat: number]; reportedAt: string; speedKmh: number | null; heading: number | null } | null;
}

/** One unit of the jurisdiction's teams, or undefined. */
export async function findUnit(q: Queryable, scope: number, id: number): Promise<PatrolUnit | undefined> {
  const { rows } = await q.query<{
    id: number;
    callsign: string;
    kind: string;
    members: number;
    team: PatrolUnit['team'];
    route: PatrolUnit['route'];
    lon: number | null;
    lat: number | null;
    reported_at: Date | null;
    speed_kmh: number | null;
    heading: number | null;
  }>(sql.unit, [scope, id]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    callsign: r.callsign,
    kind: r.kind,
    members: r.members,
    team: r.team,
    route: r.route,
    lastPosition:
      r.reported_at === null
        ? null
        : { location: [r.lon!, r.lat!], reportedAt: r.reported_at.toISOString(), speedKmh: r.speed_kmh, heading: r.heading },
  };
}

/** What a batch of position reports did: how many were new, and where the unit is now. */
export interface StoredPositions {
  unitId: number;
  /** Reports stored; a report for an instant the unit already had (a retry) is not. */
  stored: number;
  /** The unit's newest position, from this batch or an earlier one. */
  last: { at: string; location: [lon: number, lat: number] };
}

/**
 * Stores one unit's position reports in one statement, after taking the live outbox's
 * lock (migrations/0005_live_dispatch.sql), which also makes the skipping of retried
 * reports safe. `tx` must be a transaction: the lock lasts until it ends. Undefined when
 * the unit is not one of the jurisdiction's.
 */
export async function storePositions(tx: Queryable, scope: number, unitId: number, reports: readonly PositionReport[]): Promise<StoredPositions | undefined> {
  // A statement of its own: the insert's snapshot must be taken after the lock is held,
  // so that it sees what a concurrent retry committed.
  await tx.query('SELECT pingan_live_lock()');
  const rows = reports.map((r) => ({
    at: r.at.toISOString(),
    lon: r.location[0],
    lat: r.location[1],
    speedKmh: r.speedKmh ?? null,
    heading: r.heading ?? null,
  }));
  const { rows: result } = await tx.query<{ unit_id: number; stored: number; reported_at: Date; lon: number; lat: number }>(
    sql['report-positions'],
    [scope, unitId, JSON.stringify(rows)],
  );
  const r = result[0];
  if (!r) return undefined;
  return { unitId: r.unit_id, stored: r.stored, last: { at: r.reported_at.toISOString(), location: [r.lon, r.lat] } };
}
