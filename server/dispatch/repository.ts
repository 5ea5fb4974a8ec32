import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { DispatchOptionsFilter } from './schema.js';

const sql = loadSql(import.meta.url, ['incident', 'units', 'workers', 'cameras']);

/** Cameras offered at most: a video wall shows a dozen. */
const CAMERA_LIMIT = 12;

/** A patrol unit that could go, by its latest reported position. */
export interface UnitOption {
  id: number;
  callsign: string;
  /** vehicle, ebike or foot. */
  kind: string;
  members: number;
  teamId: number;
  teamName: string;
  /** Metres on the spheroid from its last position to the incident. */
  distanceM: number;
  lastReportedAt: string;
  minutesSinceReport: number;
  location: [lon: number, lat: number];
}

/** Someone who works the incident's grid, or leads a grid above it. */
export interface WorkerOption {
  staffId: number;
  name: string;
  /** staff.role: grid_leader, grid_worker, mediator, volunteer. */
  role: string;
  /** leader or worker of `gridId`. */
  duty: string;
  gridId: number;
  gridName: string;
  /** Masked: 138****5678. */
  phone: string | null;
}

/** A camera whose field of view covers the incident's point. */
export interface CameraOption {
  id: number;
  code: string;
  name: string;
  source: string;
  status: string;
  distanceM: number;
  /** Degrees clockwise from north, camera to incident; null when the camera stands on the point. */
  bearing: number | null;
  streamUrl: string | null;
}

export interface DispatchOptions {
  units: UnitOption[];
  workers: WorkerOption[];
  cameras: CameraOption[];
}

/** Metres to the decimetre: more would be noise for a dispatcher. */
const metres = (m: number) => Math.round(m * 10) / 10;

/** Who and what could respond to an incident of the jurisdiction; undefined when it is not one. */
export async function dispatchOptions(q: Queryable, scope: number, incidentId: number, filter: DispatchOptionsFilter): Promise<DispatchOptions | undefined> {
  const found = await q.query(sql.incident, [scope, incidentId]);
  if (found.rowCount === 0) return undefined;
  const [units, workers, cameras] = await Promise.all([
    q.query<{
      id: number;
      callsign: string;
      kind: string;
      members: number;
      team_id: number;
      team_name: string;
      distance_m: number;
      last_reported_at: Date;
      minutes_since_report: number;
      lon: number;
      lat: number;
    }>(sql.units, [scope, incidentId, filter.units, filter.maxAgeMin]),
    q.query<{ staff_id: number; name: string; role: string; duty: string; grid_id: number; grid_name: string; phone: string | null }>(sql.workers, [
      scope,
      incidentId,
    ]),
    q.query<{
      id: number;
      code: string;
      name: string;
      source: string;
      status: string;
      distance_m: number;
      bearing: number | null;
      stream_url: string | null;
    }>(sql.cameras, [scope, incidentId, CAMERA_LIMIT]),
  ]);
  return {
    units: units.rows.map((r) => ({
      id: r.id,
      callsign: r.callsign,
      kind: r.kind,
      members: r.members,
      teamId: r.team_id,
      teamName: r.team_name,
      distanceM: metres(r.distance_m),
      lastReportedAt: r.last_reported_at.toISOString(),
      minutesSinceReport: r.minutes_since_report,
      location: [r.lon, r.lat],
    })),
    workers: workers.rows.map((r) => ({
      staffId: r.staff_id,
      name: r.name,
      role: r.role,
      duty: r.duty,
      gridId: r.grid_id,
      gridName: r.grid_name,
      phone: r.phone,
    })),
    cameras: cameras.rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      source: r.source,
      status: r.status,
      distanceM: metres(r.distance_m),
      bearing: r.bearing === null ? null : Math.round(r.bearing * 10) / 10,
      streamUrl: r.stream_url,
    })),
  };
}
