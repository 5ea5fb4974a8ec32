import { describe, expect, it } from 'vitest';
import { elapsed } from '../../client/incidents/elapsed';
import { cameraSpot } from '../../client/incidents/dispatch-layers';
import type { IncidentItem } from '../../client/incidents/incident-types';
import { groupOf, isOverdue, matchesFilter, queueQuery, type QueueFilter } from '../../client/incidents/queue-filter';
import { applyLiveIncident, ARRIVAL_WINDOW_MS, isArrival, type QueueList } from '../../client/incidents/queue-state';
import { liveUrl, reconnectDelay } from '../../client/live/reconnect';
import { parseLiveMessage } from '../../client/live/messages';
import { withLivePositions, type PatrolUnitPosition } from '../../client/map/patrol-units';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 30, 8, 0);

function createIncident(overrides: Partial<IncidentItem> = {}): IncidentItem {
  return {
    id: 1,
    number: 'SJ20261130-0001',
    category: 'dispute',
    severity: 'medium',
    status: 'received',
    title: '邻里纠纷',
    address: null,
    source: 'hotline',
    location: [121.47, 31.23],
    boundaryFlag: false,
    reportedAt: new Date(T0).toISOString(),
    dueAt: new Date(T0 + 72 * 60 * MINUTE).toISOString(),
    closedAt: null,
    gridId: 75,
    gridName: '一网格',
    outsideFlag: false,
    overdueAt: null,
    mergedInto: null,
    assignee: null,
    outcome: null,
    ...overrides,
  };
}

function createFilter(overrides: Partial<QueueFilter> = {}): QueueFilter {
  return { group: 'new', category: null, overdueOnly: false, grid: null, ...overrides };
}

/** Rows 3, 2, 1 reported a minute apart, newest first, as the server orders them. */
function createList(next: string | null = null): QueueList {
  return {
    rows: [3, 2, 1].map((id) => createIncident({ id, reportedAt: new Date(T0 + id * MINUTE).toISOString() })),
    next,
  };
}

describe('incident queue filter', () => {
  it('asks for every status of the group, newest report first', () => {
    const query = queueQuery(createFilter({ group: 'revisit', category: 'dispute', overdueOnly: true, grid: { id: 7, level: 2, name: 'x' } }), '42');
    expect(query.getAll('status')).toEqual(['reviewed', 'revisited']);
    expect(query.get('sort')).toBe('-reported_at');
    expect(query.get('category')).toBe('dispute');
    expect(query.get('overdue')).toBe('true');
    expect(query.get('grid')).toBe('7');
    expect(query.get('after')).toBe('42');
    expect(queueQuery(createFilter()).has('overdue')).toBe(false);
  });

  it('puts every status in exactly one group', () => {
    for (const status of ['received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited', 'closed']) {
      expect(groupOf(status), status).not.toBeNull();
    }
    expect(groupOf('handling')).toBe('active');
  });

  it('matches status group, category, the overdue flag and a level-3 grid on the client', () => {
    const item = createIncident();
    expect(matchesFilter(item, createFilter())).toBe(true);
    expect(matchesFilter(item, createFilter({ group: 'active' }))).toBe(false);
    expect(matchesFilter(item, createFilter({ category: 'other' }))).toBe(false);
    expect(matchesFilter(item, createFilter({ overdueOnly: true }))).toBe(false);
    expect(matchesFilter({ ...item, overdueAt: new Date(T0).toISOString() }, createFilter({ overdueOnly: true }))).toBe(true);
    expect(matchesFilter(item, createFilter({ grid: { id: 75, level: 3, name: 'x' } }))).toBe(true);
    expect(matchesFilter(item, createFilter({ grid: { id: 76, level: 3, name: 'x' } }))).toBe(false);
  });

  it('leaves a grid above level 3 to the server', () => {
    expect(matchesFilter(createIncident(), createFilter({ grid: { id: 5, level: 1, name: 'x' } }))).toBe('unknown');
  });

  it('calls an open incident overdue past its deadline or once flagged, a closed one never', () => {
    const due = createIncident();
    expect(isOverdue(due, T0)).toBe(false);
    expect(isOverdue(due, T0 + 73 * 60 * MINUTE)).toBe(true);
    expect(isOverdue({ ...due, overdueAt: new Date(T0).toISOString() }, T0)).toBe(true);
    expect(isOverdue({ ...due, status: 'closed' }, T0 + 100 * 60 * MINUTE)).toBe(false);
  });
});

describe('live updates of the queue', () => {
  it('inserts a newcomer where the server would have put it', () => {
    const newest = createIncident({ id: 9, reportedAt: new Date(T0 + 10 * MINUTE).toISOString() });
    const top = applyLiveIncident(createList(), newest, createFilter());
    expect(top.change).toBe('inserted');
    expect(top.list.rows.map((r) => r.id)).toEqual([9, 3, 2, 1]);
    const middle = applyLiveIncident(createList(), createIncident({ id: 8, reportedAt: new Date(T0 + 2.5 * MINUTE).toISOString() }), createFilter());
    expect(middle.list.rows.map((r) => r.id)).toEqual([3, 8, 2, 1]);
  });

  it('leaves an older newcomer to the next page while more pages exist', () => {
    const old = createIncident({ id: 8, reportedAt: new Date(T0).toISOString() });
    expect(applyLiveIncident(createList('1'), old, createFilter()).change).toBe('none');
    expect(applyLiveIncident(createList(null), old, createFilter()).list.rows.at(-1)!.id).toBe(8);
  });

  it('updates a row in place and removes it once it leaves the group', () => {
    const renamed = applyLiveIncident(createList(), createIncident({ id: 2, reportedAt: new Date(T0 + 2 * MINUTE).toISOString(), title: '新标题' }), createFilter());
    expect(renamed.change).toBe('updated');
    expect(renamed.list.rows.map((r) => r.title)).toEqual(['邻里纠纷', '新标题', '邻里纠纷']);
    const moved = applyLiveIncident(createList(), createIncident({ id: 2, status: 'dispatched' }), createFilter());
    expect(moved.change).toBe('removed');
    expect(moved.list.rows.map((r) => r.id)).toEqual([3, 1]);
  });

  it('ignores what does not match and asks the server when it cannot tell', () => {
    expect(applyLiveIncident(createList(), createIncident({ id: 9, status: 'closed' }), createFilter()).change).toBe('none');
    expect(applyLiveIncident(createList(), createIncident({ id: 9, gridId: 80 }), createFilter({ grid: { id: 5, level: 1, name: 'x' } })).change).toBe('reload');
  });

  it('announces only recent, unseen reports waiting for dispatch', () => {
    const fresh = createIncident({ id: 9 });
    expect(isArrival(fresh, new Set(), T0 + MINUTE)).toBe(true);
    expect(isArrival(fresh, new Set([9]), T0 + MINUTE)).toBe(false);
    expect(isArrival({ ...fresh, status: 'dispatched' }, new Set(), T0 + MINUTE)).toBe(false);
    expect(isArrival(fresh, new Set(), T0 + ARRIVAL_WINDOW_MS + MINUTE)).toBe(false);
  });
});

describe('live stream', () => {
  it('backs off from a second up to half a minute, jittered', () => {
    expect(reconnectDelay(0, 1)).toBe(1_000);
    expect(reconnectDelay(0, 0)).toBe(500);
    expect(reconnectDelay(3, 1)).toBe(8_000);
    expect(reconnectDelay(20, 1)).toBe(30_000);
    expect(reconnectDelay(20, 0)).toBe(15_000);
  });

  it('resumes after the last seq on the page origin', () => {
    expect(liveUrl({ protocol: 'http:', host: 'pingan.local:8080' }, null)).toBe('ws://pingan.local:8080/ws/live');
    expect(liveUrl({ protocol: 'https:', host: 'pingan.local' }, 42)).toBe('wss://pingan.local/ws/live?after=42');
  });

  it('reads known messages and skips anything else', () => {
    expect(parseLiveMessage('{"type":"hello","seq":5}')).toEqual({ type: 'hello', seq: 5 });
    expect(parseLiveMessage('{"type":"future","seq":5}')).toBeNull();
    expect(parseLiveMessage('{"type":"hello"}')).toBeNull();
    expect(parseLiveMessage('not json')).toBeNull();
    expect(parseLiveMessage(new ArrayBuffer(2))).toBeNull();
  });

  it('moves units to newer reports only and adds units not drawn yet', () => {
    const units: PatrolUnitPosition[] = [{ id: 1, callsign: 'A1', kind: 'vehicle', position: [121, 31], reportedAt: new Date(T0).toISOString() }];
    const moved = withLivePositions(units, [
      { unitId: 1, callsign: 'A1', location: [121.1, 31], reportedAt: new Date(T0 + MINUTE).toISOString(), speedKmh: 20, heading: 90 },
      { unitId: 1, callsign: 'A1', location: [121.9, 31], reportedAt: new Date(T0 - MINUTE).toISOString(), speedKmh: 20, heading: 90 },
      { unitId: 2, callsign: 'B2', location: [121.2, 31], reportedAt: new Date(T0).toISOString(), speedKmh: null, heading: null },
    ]);
    expect(moved.map((u) => [u.id, u.position[0], u.kind])).toEqual([
      [1, 121.1, 'vehicle'],
      [2, 121.2, ''],
    ]);
  });
});

describe('dispatch helper drawing and times', () => {
  it('places a camera back along its bearing from the incident', () => {
    const incident: [number, number] = [121.47, 31.23];
    // A camera 111 m south of the spot looks north (bearing 0) towards it.
    const [lon, lat] = cameraSpot(incident, 111.2, 0);
    expect(lon).toBeCloseTo(121.47, 6);
    expect(lat).toBeCloseTo(31.229, 4);
    expect(cameraSpot(incident, 0, null)).toEqual(incident);
  });

  it('reads spans as minutes, hours and days', () => {
    expect(elapsed(30_000)).toEqual({ unit: 'now', n: 0 });
    expect(elapsed(5 * MINUTE)).toEqual({ unit: 'minutes', n: 5 });
    expect(elapsed(-5 * MINUTE)).toEqual({ unit: 'minutes', n: 5 });
    expect(elapsed(3 * 60 * MINUTE)).toEqual({ unit: 'hours', n: 3 });
    expect(elapsed(3 * 24 * 60 * MINUTE)).toEqual({ unit: 'days', n: 3 });
  });
});
