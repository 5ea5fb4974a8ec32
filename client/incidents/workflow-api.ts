import type { Status, Step } from '../../server/incidents/workflow';
import { getJson } from '../http/get-json';
import { sendJson } from '../http/send-json';
import type { DispatchOptions, IncidentPage, WorkflowIncident } from './incident-types';

/** Problems of the workflow the panel answers with its own words (and a reload). */
export const WorkflowProblem = {
  statusChanged: 'urn:pingan:problem:status-changed',
  illegalTransition: 'urn:pingan:problem:illegal-transition',
} as const;

export interface AllowedSteps {
  status: Status;
  steps: Step[];
}

export interface StepRequest {
  action: Step;
  expectedStatus: string;
  note?: string;
  assignee?: { kind: 'patrol_unit' | 'staff'; id: number } | { kind: 'department'; department: string };
  department?: string;
  outcome?: string;
  gridId?: number;
  into?: number;
}

export function loadAllowedSteps(id: number, signal: AbortSignal): Promise<AllowedSteps> {
  return getJson<AllowedSteps>(`/api/incidents/${id}/actions`, signal);
}

/** Takes one step; answers the incident as it is after it. */
export function takeStep(id: number, request: StepRequest): Promise<WorkflowIncident> {
  return sendJson<WorkflowIncident>('POST', `/api/incidents/${id}/actions`, request);
}

export function loadDispatchOptions(id: number, signal: AbortSignal): Promise<DispatchOptions> {
  return getJson<DispatchOptions>(`/api/incidents/${id}/dispatch-options`, signal);
}

/** Metres around the spot and hours around the report within which another incident may be the same one. */
const DUPLICATE_RADIUS_M = 200;
const DUPLICATE_HOURS = 24;

/**
 * Open incidents of the same category close in place and time: what a duplicate may be
 * merged into (the intake's own rule, docs/live-and-dispatch.md).
 */
export async function loadMergeCandidates(incident: WorkflowIncident, signal: AbortSignal): Promise<IncidentPage['incidents']> {
  const [lon, lat] = incident.location;
  const dLat = DUPLICATE_RADIUS_M / 111_320;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const reported = Date.parse(incident.reportedAt);
  const query = new URLSearchParams({
    category: incident.category,
    open: 'true',
    bbox: [lon - dLon, lat - dLat, lon + dLon, lat + dLat].map((n) => n.toFixed(6)).join(','),
    from: new Date(reported - DUPLICATE_HOURS * 3_600_000).toISOString(),
    to: new Date(reported + DUPLICATE_HOURS * 3_600_000).toISOString(),
    limit: '20',
  });
  const page = await getJson<IncidentPage>(`/api/incidents?${query}`, signal);
  return page.incidents.filter((other) => other.id !== incident.id && other.mergedInto === null);
}

/** Level-3 grids within a few dozen metres of the spot: where a boundary incident may belong. */
export async function loadNearbyGrids(incident: WorkflowIncident, signal: AbortSignal): Promise<Array<{ id: number; name: string; code: string }>> {
  const [lon, lat] = incident.location;
  const d = 0.0005;
  const query = new URLSearchParams({ level: '3', kind: 'general', bbox: [lon - d, lat - d, lon + d, lat + d].map((n) => n.toFixed(6)).join(',') });
  const grids = await getJson<{ features: Array<{ properties: { id: number; name: string; code: string } }> }>(`/api/grids?${query}`, signal);
  return grids.features.map((f) => ({ id: Number(f.properties.id), name: f.properties.name, code: f.properties.code }));
}
