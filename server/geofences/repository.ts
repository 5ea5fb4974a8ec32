import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { AlertsFilter, GeofenceGeometry } from './schema.js';

const sql = loadSql(import.meta.url, ['geofences', 'check-geometry', 'insert', 'end', 'alerts']);

/** Key areas of the jurisdiction that have not ended (or one of them) as serialised GeoJSON. */
export async function geofencesGeoJson(q: Queryable, scope: number, id?: number): Promise<string> {
  const { rows } = await q.query<{ body: string }>(sql.geofences, [scope, id ?? null]);
  return rows[0]!.body;
}

/** What stands in the way of storing a drawn area; undefined when nothing does. */
export type GeometryRefusal = { kind: 'invalid'; reason: string } | { kind: 'outside-jurisdiction' };

export async function checkGeometry(q: Queryable, scope: number, geometry: GeofenceGeometry): Promise<GeometryRefusal | undefined> {
  const { rows } = await q.query<{ valid: boolean; reason: string; in_jurisdiction: boolean | null }>(sql['check-geometry'], [
    JSON.stringify(geometry),
    scope,
  ]);
  const r = rows[0]!;
  if (!r.valid) return { kind: 'invalid', reason: r.reason };
  if (!r.in_jurisdiction) return { kind: 'outside-jurisdiction' };
  return undefined;
}

export interface NewGeofence {
  name: string;
  kind: string;
  geometry: GeofenceGeometry;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  centerId: number;
  createdBy: number;
}

export async function insertGeofence(q: Queryable, g: NewGeofence): Promise<number> {
  const { rows } = await q.query<{ id: number }>(sql.insert, [
    g.name,
    g.kind,
    JSON.stringify(g.geometry),
    g.startsAt ?? null,
    g.endsAt ?? null,
    g.centerId,
    g.createdBy,
  ]);
  return rows[0]!.id;
}

/**
 * Ends a key area of the jurisdiction now ('ended'), or removes one that has not started
 * ('removed'); undefined when there is no such active or future key area.
 */
export async function endGeofence(q: Queryable, scope: number, id: number): Promise<'ended' | 'removed' | undefined> {
  const { rows } = await q.query<{ outcome: 'ended' | 'removed' }>(sql.end, [scope, id]);
  return rows[0]?.outcome;
}

/** An alert as the live stream sends it, with the incident's title beside its number. */
export interface GeofenceAlert {
  id: number;
  geofenceId: number;
  name: string;
  kind: string;
  incidentId: number;
  incidentNumber: string;
  incidentTitle: string;
  at: string;
}

export async function listAlerts(q: Queryable, scope: number, filter: AlertsFilter): Promise<GeofenceAlert[]> {
  const { rows } = await q.query<{
    id: number;
    geofence_id: number;
    name: string;
    kind: string;
    incident_id: number;
    incident_number: string;
    incident_title: string;
    at: Date;
  }>(sql.alerts, [scope, filter.from ?? null, filter.to ?? null, filter.limit]);
  return rows.map((r) => ({
    id: r.id,
    geofenceId: r.geofence_id,
    name: r.name,
    kind: r.kind,
    incidentId: r.incident_id,
    incidentNumber: r.incident_number,
    incidentTitle: r.incident_title,
    at: r.at.toISOString(),
  }));
}
