import type { IncidentItem } from './incident-types';
import { matchesFilter, type QueueFilter } from './queue-filter';

// Pure updaters of the queue's rows: what a live message does to the list on screen.

export interface QueueList {
  rows: IncidentItem[];
  /** Keyset cursor of the next page; null when every matching incident is loaded. */
  next: string | null;
}

export type LiveChange = 'updated' | 'inserted' | 'removed' | 'reload' | 'none';

/** The server's '-reported_at' order: newest report first, then the higher id. */
function comesBefore(a: IncidentItem, b: IncidentItem): boolean {
  const ta = Date.parse(a.reportedAt);
  const tb = Date.parse(b.reportedAt);
  return ta !== tb ? ta > tb : a.id > b.id;
}

/**
 * The list after a live incident message: a row that still matches is replaced in place,
 * one that no longer matches leaves, and a matching newcomer goes where the server would
 * have put it, unless that is beyond the loaded pages (it arrives with "load more").
 * `reload` when only the server can tell whether it belongs.
 */
export function applyLiveIncident(list: QueueList, incident: IncidentItem, filter: QueueFilter): { list: QueueList; change: LiveChange } {
  const index = list.rows.findIndex((row) => row.id === incident.id);
  const match = matchesFilter(incident, filter);
  if (index >= 0) {
    const rows = [...list.rows];
    if (match === false) {
      rows.splice(index, 1);
      return { list: { ...list, rows }, change: 'removed' };
    }
    rows[index] = incident;
    return { list: { ...list, rows }, change: 'updated' };
  }
  if (match === false) return { list, change: 'none' };
  if (match === 'unknown') return { list, change: 'reload' };
  let at = list.rows.findIndex((row) => comesBefore(incident, row));
  if (at < 0) {
    if (list.next !== null) return { list, change: 'none' };
    at = list.rows.length;
  }
  const rows = [...list.rows];
  rows.splice(at, 0, incident);
  return { list: { ...list, rows }, change: 'inserted' };
}

/** How recent a report must be to count as arriving now (not an old one changing). */
export const ARRIVAL_WINDOW_MS = 10 * 60_000;

/**
 * A new report for the duty desk: waiting to be taken on, never seen by this tab, and
 * reported lately (a note on an old incident beyond the loaded pages is not an arrival).
 */
export function isArrival(incident: IncidentItem, seen: ReadonlySet<number>, now: number): boolean {
  return incident.status === 'received' && !seen.has(incident.id) && now - Date.parse(incident.reportedAt) < ARRIVAL_WINDOW_MS;
}
