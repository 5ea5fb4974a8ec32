import type { IncidentEvent, IncidentSummary } from '../incidents/repository.js';

/**
 * What `/ws/live` sends, one JSON text frame each (docs/live-and-dispatch.md, "Live
 * stream"). `seq` is the outbox row the message stands for; `hello` and a `resync` the
 * server decides on carry the newest seq the client may resume after.
 */
export type LiveMessage =
  | { type: 'hello'; seq: number }
  | { type: 'incident'; seq: number; incident: IncidentSummary }
  | { type: 'step'; seq: number; incidentId: number; step: IncidentEvent }
  | { type: 'overdue'; seq: number; incident: IncidentSummary }
  | {
      type: 'alert';
      seq: number;
      alert: { id: number; geofenceId: number; name: string; kind: string; incidentId: number; incidentNumber: string; at: string };
    }
  | {
      type: 'position';
      seq: number;
      position: { unitId: number; callsign: string; location: [lon: number, lat: number]; reportedAt: string; speedKmh: number | null; heading: number | null };
    }
  | { type: 'resync'; seq: number; reason: ResyncReason };

/**
 * Why a client must reload its views: `bulk`, one statement changed more rows than the
 * outbox records one by one; `behind`, the client fell too far behind (a slow socket, or a
 * reconnect more than the catch-up limit back); `expired`, its `after` is older than what
 * the outbox keeps, or newer than anything in it (another database).
 */
export type ResyncReason = 'bulk' | 'behind' | 'expired';

/** WebSocket close codes the server uses besides the standard ones. */
export const CLOSE_CODES = {
  /** The session or token the stream was opened with ended (logout, expiry, revocation, disabled user). */
  credentialsEnded: 4401,
} as const;
