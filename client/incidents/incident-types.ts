import type { IncidentDetail, LngLat } from '../http/api-types';

/** Who handles an incident now (the last dispatch or transfer). */
export interface Assignee {
  kind: string;
  id: number | null;
  name: string | null;
}

/** What the workflow adds to every incident: the list's rows, live messages and the detail share it. */
export interface WorkflowFields {
  gridId: number | null;
  gridName: string | null;
  outsideFlag: boolean;
  overdueAt: string | null;
  mergedInto: number | null;
  assignee: Assignee | null;
  outcome: string | null;
}

/** A row of `GET /api/incidents`, and the incident of a live `incident` or `overdue` message (masked). */
export interface IncidentItem extends WorkflowFields {
  id: number;
  number: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  address: string | null;
  source: string;
  location: LngLat;
  boundaryFlag: boolean;
  reportedAt: string;
  dueAt: string | null;
  closedAt: string | null;
}

export interface IncidentPage {
  incidents: IncidentItem[];
  next: string | null;
}

/** `GET /api/incidents/:id` and the answer of a workflow step. */
export type WorkflowIncident = IncidentDetail & Partial<WorkflowFields>;

/** `GET /api/incidents/:id/dispatch-options`: nearest first. */
export interface DispatchOptions {
  units: Array<{ id: number; callsign: string; kind: string; members: number; teamName: string; distanceM: number; lastReportedAt: string; location: LngLat }>;
  /** The incident grid's staff and the leaders of the grids above it. */
  workers: Array<{ staffId: number; name: string; role: string; duty: string; gridId: number; gridName: string; phone: string | null }>;
  /** Cameras whose view covers the spot; `bearing` from the camera towards the incident. */
  cameras: Array<{ id: number; code: string; name: string; source: string; status: string; distanceM: number; bearing: number | null; streamUrl: string | null }>;
}
