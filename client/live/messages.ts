import type { IncidentEvent, LngLat } from '../http/api-types';
import type { IncidentItem } from '../incidents/incident-types';

/** What `/ws/live` sends (docs/live-and-dispatch.md, "Live stream"). */
export type LiveMessage =
  | { type: 'hello'; seq: number }
  | { type: 'incident'; seq: number; incident: IncidentItem }
  | { type: 'step'; seq: number; incidentId: number; step: IncidentEvent }
  | { type: 'overdue'; seq: number; incident: IncidentItem }
  | { type: 'alert'; seq: number; alert: GeofenceAlert }
  | { type: 'position'; seq: number; position: LivePosition }
  | { type: 'resync'; seq: number; reason: string };

export interface GeofenceAlert {
  id: number;
  geofenceId: number;
  name: string;
  kind: string;
  incidentId: number;
  incidentNumber: string;
  at: string;
}

export interface LivePosition {
  unitId: number;
  callsign: string;
  location: LngLat;
  reportedAt: string;
  speedKmh: number | null;
  heading: number | null;
}

const TYPES: ReadonlySet<string> = new Set(['hello', 'incident', 'step', 'overdue', 'alert', 'position', 'resync']);

/** The message in a frame, or null for anything else (a newer server's types are skipped, not fatal). */
export function parseLiveMessage(text: unknown): LiveMessage | null {
  if (typeof text !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { type, seq } = value as { type?: unknown; seq?: unknown };
  if (typeof type !== 'string' || !TYPES.has(type) || typeof seq !== 'number' || !Number.isSafeInteger(seq)) return null;
  return value as LiveMessage;
}
