import type { IncidentItem } from './incident-types';

// What the incident queue shows, as data: the status groups an operator works through,
// the query that asks the server for them, and whether an incident pushed live belongs.

export const STATUS_GROUPS = {
  /** 待受理/待派发 */
  new: ['received'],
  /** 处置中 */
  active: ['dispatched', 'handling'],
  /** 待复核 */
  feedback: ['feedback'],
  /** 待回访 */
  revisit: ['reviewed', 'revisited'],
  /** 已办结 */
  closed: ['closed'],
} as const satisfies Record<string, readonly string[]>;

export type StatusGroup = keyof typeof STATUS_GROUPS;
export const GROUP_IDS = Object.keys(STATUS_GROUPS) as StatusGroup[];

export interface QueueFilter {
  group: StatusGroup;
  category: string | null;
  overdueOnly: boolean;
  /** A grid and everything below it; null: the whole jurisdiction. */
  grid: { id: number; level: number; name: string } | null;
}

export const PAGE_SIZE = 50;

export function groupOf(status: string): StatusGroup | null {
  return GROUP_IDS.find((group) => (STATUS_GROUPS[group] as readonly string[]).includes(status)) ?? null;
}

/** `GET /api/incidents` for the filter, newest report first, from the keyset cursor `after`. */
export function queueQuery(filter: QueueFilter, after: string | null = null): URLSearchParams {
  const query = new URLSearchParams({ sort: '-reported_at', limit: String(PAGE_SIZE) });
  for (const status of STATUS_GROUPS[filter.group]) query.append('status', status);
  if (filter.category) query.set('category', filter.category);
  if (filter.overdueOnly) query.set('overdue', 'true');
  if (filter.grid) query.set('grid', String(filter.grid.id));
  if (after) query.set('after', after);
  return query;
}

export function isOverdue(item: Pick<IncidentItem, 'status' | 'dueAt' | 'overdueAt'>, now: number): boolean {
  if (item.status === 'closed') return false;
  return item.overdueAt !== null || (item.dueAt !== null && Date.parse(item.dueAt) < now);
}

/**
 * Whether the incident belongs in the filtered list. `unknown` when only the server can
 * tell: a level-1 or level-2 grid contains incidents of level-3 grids the client cannot name.
 */
export function matchesFilter(item: IncidentItem, filter: QueueFilter): boolean | 'unknown' {
  if (groupOf(item.status) !== filter.group) return false;
  if (filter.category && item.category !== filter.category) return false;
  // The server's "overdue" is the sweep's flag (督办), not the clock.
  if (filter.overdueOnly && (item.overdueAt === null || item.status === 'closed')) return false;
  if (filter.grid) {
    if (item.gridId === filter.grid.id) return true;
    return filter.grid.level === 3 ? false : 'unknown';
  }
  return true;
}
