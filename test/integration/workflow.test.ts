import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/auth/permissions.js';
import { STATUSES } from '../../server/incidents/enums.js';
import type { IncidentDetail, IncidentSummary } from '../../server/incidents/repository.js';
import { allowedSteps, nextStatus, STEPS, WORKFLOW, type Status, type Step } from '../../server/incidents/workflow.js';
import { boundaryCase, interiorPoints, type InteriorPoint, type LonLat } from '../support/grid-points.js';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// The incident workflow (POST /api/incidents/:id/actions) driven through the API, table by
// table from server/incidents/workflow.ts: every step from every status, legal ones change
// the incident and record one step, illegal ones answer 409 with the steps allowed and change
// nothing. Then who may take which step, escalation, reassignment, merging, "my tasks" and
// the overdue sweep. Every test files incidents of its own.

interface EventRow {
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_user_id: number | null;
  actor_name: string;
  center_id: number;
  assignee_kind: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  note: string | null;
}

/** The main line, each step with the status it leads to: how a fresh incident is brought to a status. */
const MAIN_LINE: readonly [Step, Status][] = [
  ['dispatch', 'dispatched'],
  ['accept', 'handling'],
  ['feedback', 'feedback'],
  ['review', 'reviewed'],
  ['revisit', 'revisited'],
  ['close', 'closed'],
];

const USERS = ['operator.village', 'leader.village', 'analyst.village', 'worker.village', 'operator.town', 'operator.district'] as const;
type User = (typeof USERS)[number];

describe('incident workflow', () => {
  let server: TestServer;
  const sessions = new Map<User, ApiSession>();
  const as = (username: User) => sessions.get(username)!;

  /** Read once from the demo district; tests only read it. */
  let world: {
    village: number;
    town: { id: number; name: string };
    district: number;
    village2: number;
    /** worker.village's staff record and another active staff member of the village. */
    workerStaff: { id: number; name: string };
    otherStaff: { id: number; name: string };
    operator: { id: number; displayName: string };
    points: InteriorPoint[];
  };

  const fileIncident = async (
    options: { as?: User; location?: LonLat; title?: string; category?: string } = {},
  ): Promise<IncidentDetail> => {
    const { as: username = 'operator.village', location = world.points[0]!.location, title = '工作流测试', category = 'dispute' } = options;
    const response = await as(username).send(
      'POST',
      '/api/incidents',
      { category, severity: 'medium', title, location, source: 'walk_in' },
      { headers: { 'Idempotency-Key': `workflow-${randomUUID()}` } },
    );
    const text = await response.text();
    expect(response.status, text).toBe(201);
    return (JSON.parse(text) as { incident: IncidentDetail }).incident;
  };

  const step = (username: User, id: number, body: Record<string, unknown>) => as(username).send('POST', `/api/incidents/${id}/actions`, body);

  const stepOk = async (username: User, id: number, body: Record<string, unknown>): Promise<IncidentDetail> => {
    const response = await step(username, id, body);
    const text = await response.text();
    expect(response.status, `${body.action as string}: ${text}`).toBe(200);
    return JSON.parse(text) as IncidentDetail;
  };

  const detail = async (username: User, id: number): Promise<IncidentDetail> => {
    const response = await as(username).get(`/api/incidents/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as IncidentDetail;
  };

  const eventsOf = async (id: number): Promise<EventRow[]> =>
    (
      await server.db.query<EventRow>(
        `SELECT action, from_status, to_status, actor_user_id, actor_name, center_id, assignee_kind, assignee_id, assignee_name, note
         FROM incident_events WHERE incident_id = $1 ORDER BY id`,
        [id],
      )
    ).rows;

  const statusOf = async (id: number): Promise<string> =>
    (await server.db.query<{ status: string }>('SELECT status FROM incidents WHERE id = $1', [id])).rows[0]!.status;

  /** A valid body for `action`, with whatever its rule needs. */
  const bodyFor = (action: Step, extra: { gridId?: number; into?: number } = {}): Record<string, unknown> => {
    const body: Record<string, unknown> = { action, note: `${action} 测试说明` };
    const needs = WORKFLOW[action].needs;
    if (needs.includes('assignee')) body.assignee = { kind: 'staff', id: world.workerStaff.id };
    if (needs.includes('department')) body.department = 'police';
    if (needs.includes('outcome')) body.outcome = 'resolved';
    if (needs.includes('grid')) body.gridId = extra.gridId ?? world.points[1]!.gridId;
    if (needs.includes('target')) body.into = extra.into;
    return body;
  };

  /** A fresh incident of the village, brought to `status` along the main line through the API. */
  const incidentAt = async (status: Status): Promise<IncidentDetail> => {
    let incident = await fileIncident();
    for (const [action, reaches] of MAIN_LINE) {
      if (incident.status === status) break;
      incident = await stepOk('operator.village', incident.id, bodyFor(action));
      expect(incident.status).toBe(reaches);
    }
    expect(incident.status).toBe(status);
    return incident;
  };

  beforeAll(async () => {
    // Every test takes many steps as operator.village: far more writes a minute than a person makes.
    server = await startTestServer({ WRITE_RATE_LIMIT: '100000' });
    for (const username of USERS) sessions.set(username, await signIn(server.baseUrl, username));
    const { rows } = await server.db.query<{
      village: number;
      town: number;
      town_name: string;
      district: number;
      village2: number;
      worker_staff: number;
      worker_staff_name: string;
      other_staff: number;
      other_staff_name: string;
      operator_id: number;
      operator_name: string;
    }>(
      `WITH v AS (SELECT center_id AS id FROM users WHERE username = 'operator.village'),
            w AS (SELECT staff_id AS id FROM users WHERE username = 'worker.village'),
            other AS (SELECT s.id, s.name FROM staff AS s WHERE s.active AND s.center_id = (SELECT id FROM v) AND s.id <> (SELECT id FROM w) ORDER BY s.id LIMIT 1)
       SELECT v.id AS village, t.id AS town, t.name AS town_name,
              (SELECT id FROM centers WHERE parent_id IS NULL) AS district,
              (SELECT center_id FROM users WHERE username = 'operator.village2') AS village2,
              w.id AS worker_staff, (SELECT name FROM staff WHERE id = w.id) AS worker_staff_name,
              other.id AS other_staff, other.name AS other_staff_name,
              op.id AS operator_id, op.display_name AS operator_name
       FROM v CROSS JOIN w CROSS JOIN other
       JOIN centers AS c ON c.id = v.id JOIN centers AS t ON t.id = c.parent_id
       CROSS JOIN (SELECT id, display_name FROM users WHERE username = 'operator.village') AS op`,
    );
    const r = rows[0]!;
    world = {
      village: r.village,
      town: { id: r.town, name: r.town_name },
      district: r.district,
      village2: r.village2,
      workerStaff: { id: r.worker_staff, name: r.worker_staff_name },
      otherStaff: { id: r.other_staff, name: r.other_staff_name },
      operator: { id: r.operator_id, displayName: r.operator_name },
      points: await interiorPoints(server.db, r.village),
    };
    expect(world.points.length).toBeGreaterThanOrEqual(2);
  });

  afterAll(async () => {
    await server?.close();
  });

  describe.each(STATUSES)('from %s', (status) => {
    const legal = STEPS.filter((s) => WORKFLOW[s].from.includes(status));
    const illegal = STEPS.filter((s) => !legal.includes(s));

    it.each(legal)(`when the operator takes %s, then it succeeds, changes the incident as the step says and records one step`, async (action) => {
      expect(WORKFLOW[action].roles).toContain('operator');
      const incident = await incidentAt(status);
      const target = action === 'merge' ? await fileIncident() : undefined;
      const gridId = world.points.find((p) => p.gridId !== incident.gridId)!.gridId;
      const body = bodyFor(action, { gridId, into: target?.id });
      const before = await eventsOf(incident.id);

      const after = await stepOk('operator.village', incident.id, body);

      const expected = nextStatus(action, status);
      expect(after.status).toBe(expected);
      const events = await eventsOf(incident.id);
      expect(events).toHaveLength(before.length + 1);
      const assignee = {
        dispatch: { assignee_kind: 'staff', assignee_id: world.workerStaff.id, assignee_name: world.workerStaff.name },
        transfer: { assignee_kind: 'department', assignee_id: null, assignee_name: 'police' },
        escalate: { assignee_kind: 'center', assignee_id: world.town.id, assignee_name: world.town.name },
      }[action as string] ?? { assignee_kind: null, assignee_id: null, assignee_name: null };
      expect(events.at(-1)).toEqual({
        action,
        from_status: status,
        to_status: expected,
        actor_user_id: world.operator.id,
        actor_name: world.operator.displayName,
        center_id: world.village,
        note: body.note,
        ...assignee,
      });
      expect(after.timeline.at(-1)).toMatchObject({ type: action, fromStatus: status, status: expected, actor: world.operator.displayName });

      switch (action) {
        case 'dispatch':
          expect(after.assignee).toEqual({ kind: 'staff', id: world.workerStaff.id, name: world.workerStaff.name });
          break;
        case 'transfer':
          expect(after.assignee).toEqual({ kind: 'department', id: null, name: 'police' });
          break;
        case 'escalate':
          expect(after).toMatchObject({ centerId: world.town.id, assignee: null });
          break;
        case 'reassign':
          expect(after).toMatchObject({ gridId, centerId: world.village, boundaryFlag: false });
          break;
        case 'close':
          expect(after).toMatchObject({ outcome: 'resolved', closedAt: expect.any(String) });
          break;
        case 'merge': {
          expect(after).toMatchObject({ mergedInto: target!.id, closedAt: expect.any(String), outcome: null });
          const onTarget = await eventsOf(target!.id);
          expect(onTarget.at(-1)).toMatchObject({ action: 'merge', from_status: 'received', to_status: 'received' });
          expect(await statusOf(target!.id)).toBe('received');
          break;
        }
      }
    });

    it(`when the operator takes a step not allowed from ${status}, then 409 illegal-transition lists the allowed steps and nothing changes`, async () => {
      const incident = await incidentAt(status);
      const target = await fileIncident();
      const allowed = allowedSteps({ status, role: 'operator', assignedToCaller: false });
      expect(allowed).toEqual(legal);
      const before = await eventsOf(incident.id);
      for (const action of illegal) {
        const response = await step('operator.village', incident.id, bodyFor(action, { into: target.id }));
        const problem = await expectProblem(response, 409, PROBLEM('illegal-transition'));
        expect(problem, action).toMatchObject({ status: 409, currentStatus: status, allowed });
      }
      expect(await statusOf(incident.id)).toBe(status);
      expect(await eventsOf(incident.id)).toEqual(before);
      expect(await eventsOf(target.id)).toHaveLength(1);
    });
  });

  describe('who may take which step', () => {
    it('when a leader dispatches, then 403 and nothing changes', async () => {
      const incident = await fileIncident();
      const response = await step('leader.village', incident.id, bodyFor('dispatch'));
      await expectProblem(response, 403, PROBLEM('forbidden'));
      expect(await statusOf(incident.id)).toBe('received');
      expect(await eventsOf(incident.id)).toHaveLength(1);
    });

    it('when a leader reviews and closes, then it may (the steps its role holds)', async () => {
      const incident = await incidentAt('feedback');
      await stepOk('leader.village', incident.id, bodyFor('review'));
      await stepOk('operator.village', incident.id, bodyFor('revisit'));
      const closed = await stepOk('leader.village', incident.id, bodyFor('close'));
      expect(closed.status).toBe('closed');
    });

    it('when an analyst takes any step, then the guard refuses it with 403 and nothing changes', async () => {
      const incident = await fileIncident();
      const target = await fileIncident();
      for (const action of STEPS) {
        const response = await step('analyst.village', incident.id, bodyFor(action, { into: target.id }));
        await expectProblem(response, 403, PROBLEM('forbidden'));
      }
      expect(await statusOf(incident.id)).toBe('received');
      expect(await eventsOf(incident.id)).toHaveLength(1);
      expect(await eventsOf(target.id)).toHaveLength(1);
    });

    it('when a grid worker accepts and reports back, then only on an incident dispatched to their own staff record', async () => {
      const incident = await fileIncident();
      // Not dispatched yet, then dispatched to someone else: not theirs.
      await expectProblem(await step('worker.village', incident.id, bodyFor('accept')), 403, PROBLEM('forbidden'));
      await stepOk('operator.village', incident.id, { action: 'dispatch', assignee: { kind: 'staff', id: world.otherStaff.id } });
      await expectProblem(await step('worker.village', incident.id, bodyFor('accept')), 403, PROBLEM('forbidden'));
      expect(await statusOf(incident.id)).toBe('dispatched');

      await stepOk('operator.village', incident.id, { action: 'dispatch', assignee: { kind: 'staff', id: world.workerStaff.id } });
      const handling = await stepOk('worker.village', incident.id, bodyFor('accept'));
      expect(handling.status).toBe('handling');
      const reported = await stepOk('worker.village', incident.id, bodyFor('feedback'));
      expect(reported.status).toBe('feedback');
      const worker = await server.db.query<{ id: number; display_name: string }>("SELECT id, display_name FROM users WHERE username = 'worker.village'");
      expect((await eventsOf(incident.id)).at(-1)).toMatchObject({ action: 'feedback', actor_user_id: worker.rows[0]!.id, actor_name: worker.rows[0]!.display_name });
      // Review is not a grid worker's step, assigned or not.
      await expectProblem(await step('worker.village', incident.id, bodyFor('review')), 403, PROBLEM('forbidden'));
      await expectProblem(await step('worker.village', incident.id, bodyFor('dispatch')), 403, PROBLEM('forbidden'));
      expect(await statusOf(incident.id)).toBe('feedback');
    });

    it('when expectedStatus no longer holds, then 409 status-changed and nothing changes; when it holds, the step is taken', async () => {
      const incident = await incidentAt('dispatched');
      const response = await step('operator.village', incident.id, { ...bodyFor('accept'), expectedStatus: 'received' });
      const problem = await expectProblem(response, 409, PROBLEM('status-changed'));
      expect(problem).toMatchObject({ currentStatus: 'dispatched' });
      expect(await statusOf(incident.id)).toBe('dispatched');
      expect(await eventsOf(incident.id)).toHaveLength(2);
      const accepted = await stepOk('operator.village', incident.id, { ...bodyFor('accept'), expectedStatus: 'dispatched' });
      expect(accepted.status).toBe('handling');
    });

    it.each([
      ['operator.village', 'operator'],
      ['leader.village', 'leader'],
      ['analyst.village', 'analyst'],
      ['worker.village', 'grid_worker'],
    ] as [User, Role][])('when %s asks which steps it may take, then the answer is allowedSteps for its role', async (username, role) => {
      const mine = await incidentAt('dispatched');
      const others = await fileIncident();
      await stepOk('operator.village', others.id, { action: 'dispatch', assignee: { kind: 'staff', id: world.otherStaff.id } });
      for (const [incident, assignedToCaller] of [
        [mine, role === 'grid_worker'],
        [others, false],
      ] as const) {
        const response = await as(username).get(`/api/incidents/${incident.id}/actions`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: 'dispatched', steps: allowedSteps({ status: 'dispatched', role, assignedToCaller }) });
      }
    });

    it("when a grid worker lists their own tasks (mine=true), then exactly the open incidents dispatched to their staff record come back", async () => {
      const assigned = [await incidentAt('dispatched'), await incidentAt('handling')];
      const closed = await incidentAt('closed');
      const someoneElses = await fileIncident();
      await stepOk('operator.village', someoneElses.id, { action: 'dispatch', assignee: { kind: 'staff', id: world.otherStaff.id } });

      const response = await as('worker.village').get('/api/incidents?mine=true&limit=500');
      expect(response.status).toBe(200);
      const listed = ((await response.json()) as { incidents: IncidentSummary[] }).incidents.map((i) => i.id);
      const { rows } = await server.db.query<{ id: number }>(
        `SELECT i.id FROM incidents AS i
         WHERE i.assignee_kind = 'staff' AND i.assignee_id = $1 AND i.status <> 'closed'
           AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)`,
        [world.workerStaff.id, world.village],
      );
      expect(listed.length).toBeLessThan(500);
      expect([...listed].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
      expect(listed).toEqual(expect.arrayContaining(assigned.map((i) => i.id)));
      expect(listed).not.toContain(closed.id);
      expect(listed).not.toContain(someoneElses.id);
    });
  });

  describe('escalation, transfer, reassignment, merging, closing', () => {
    it('when the village escalates, then the town receives it (the village no longer sees it); the district cannot escalate further', async () => {
      const incident = await incidentAt('dispatched');
      const escalated = await stepOk('operator.village', incident.id, bodyFor('escalate'));
      expect(escalated).toMatchObject({ status: 'received', centerId: world.town.id, assignee: null });

      expect((await as('operator.village').get(`/api/incidents/${incident.id}`)).status).toBe(404);
      expect((await as('operator.village').get(`/api/incidents/${incident.id}/actions`)).status).toBe(404);
      await expectProblem(await step('operator.village', incident.id, bodyFor('note')), 404);
      expect(await detail('operator.town', incident.id)).toMatchObject({ status: 'received', centerId: world.town.id });

      const atDistrict = await stepOk('operator.town', incident.id, bodyFor('escalate'));
      expect(atDistrict).toMatchObject({ status: 'received', centerId: world.district });
      const before = await eventsOf(incident.id);
      await expectProblem(await step('operator.district', incident.id, bodyFor('escalate')), 409, PROBLEM('illegal-transition'));
      expect(await eventsOf(incident.id)).toEqual(before);
      expect(await detail('operator.district', incident.id)).toMatchObject({ status: 'received', centerId: world.district });
    });

    it('when an incident is transferred, then a department is its assignee', async () => {
      const incident = await incidentAt('handling');
      const transferred = await stepOk('operator.village', incident.id, { action: 'transfer', department: 'civil_affairs' });
      expect(transferred).toMatchObject({ status: 'dispatched', assignee: { kind: 'department', id: null, name: 'civil_affairs' } });
    });

    it('when a boundary incident is reassigned to the neighbouring grid of another village, then grid, center and attribution follow and the flag clears', async () => {
      const edge = await boundaryCase(server.db, world.village, world.town.id, false);
      const incident = await fileIncident({ as: 'operator.town', location: edge.near, title: '边界待确认' });
      expect(incident).toMatchObject({ gridId: edge.gridId, centerId: world.village, boundaryFlag: true });
      const { rows } = await server.db.query<{ center_id: number; l2: number; l1: number }>(
        'SELECT g3.center_id, g2.id AS l2, g2.parent_id AS l1 FROM grids AS g3 JOIN grids AS g2 ON g2.id = g3.parent_id WHERE g3.id = $1',
        [edge.neighbourId],
      );
      const neighbour = rows[0]!;
      expect(neighbour.center_id).not.toBe(world.village);

      const moved = await stepOk('operator.town', incident.id, { action: 'reassign', gridId: edge.neighbourId, note: '经核实属邻村' });
      expect(moved).toMatchObject({ status: 'received', gridId: edge.neighbourId, centerId: neighbour.center_id, boundaryFlag: false });
      expect(moved.attribution!.grids).toEqual([neighbour.l1, neighbour.l2, edge.neighbourId]);
      const leaders = await server.db.query<{ grid_id: number; staff_id: number; name: string }>(
        `SELECT gs.grid_id, s.id AS staff_id, s.name FROM grid_staff AS gs JOIN staff AS s ON s.id = gs.staff_id
         WHERE gs.duty = 'leader' AND gs.grid_id = ANY($1::bigint[])`,
        [[neighbour.l1, neighbour.l2, edge.neighbourId]],
      );
      expect(moved.attribution!.leaders).toEqual(
        [edge.neighbourId, neighbour.l2, neighbour.l1].flatMap((gridId) =>
          leaders.rows.filter((l) => l.grid_id === gridId).map((l) => ({ gridId, staffId: l.staff_id, name: l.name })),
        ),
      );
      // The specialist grids are those of the spot, which did not move.
      expect(moved.attribution!.specialist).toEqual(incident.attribution!.specialist);
      expect((await as('operator.village').get(`/api/incidents/${incident.id}`)).status).toBe(404);
    });

    it('when an incident is reassigned to a grid outside the jurisdiction or not a level-3 general grid, then 422 and nothing changes', async () => {
      const incident = await fileIncident();
      const { rows } = await server.db.query<{ elsewhere: number; level2: number; specialist: number }>(
        `SELECT (SELECT id FROM grids WHERE kind = 'general' AND level = 3 AND center_id = $2 ORDER BY id LIMIT 1) AS elsewhere,
                (SELECT parent_id FROM grids WHERE id = $1) AS level2,
                (SELECT id FROM grids WHERE kind = 'specialist' ORDER BY id LIMIT 1) AS specialist`,
        [incident.gridId, world.village2],
      );
      for (const gridId of [rows[0]!.elsewhere, rows[0]!.level2, rows[0]!.specialist, 999_999_999]) {
        await expectProblem(await step('operator.village', incident.id, { action: 'reassign', gridId }), 422, PROBLEM('invalid-params'));
      }
      expect(await detail('operator.village', incident.id)).toMatchObject({ gridId: incident.gridId, centerId: world.village });
      expect(await eventsOf(incident.id)).toHaveLength(1);
    });

    it('when a duplicate is merged, then it is closed into the other, both record the merge; into a closed incident 409, into itself 422', async () => {
      // A spot and category no other test of this file uses: the nearest five likely duplicates are these.
      const spot = { location: world.points.at(-1)!.location, category: 'livelihood' };
      const kept = await fileIncident({ ...spot, title: '原报' });
      const duplicate = await fileIncident({ ...spot, title: '重复报' });
      expect(duplicate.duplicates.map((d) => d.id)).toContain(kept.id);

      const merged = await stepOk('operator.village', duplicate.id, { action: 'merge', into: kept.id, note: '同一事件' });
      expect(merged).toMatchObject({ status: 'closed', mergedInto: kept.id, outcome: null, duplicates: [] });
      expect((await eventsOf(duplicate.id)).at(-1)).toMatchObject({ action: 'merge', from_status: 'received', to_status: 'closed', note: '同一事件' });
      const onKept = (await eventsOf(kept.id)).at(-1)!;
      expect(onKept).toMatchObject({ action: 'merge', from_status: 'received', to_status: 'received', actor_user_id: world.operator.id });
      expect(onKept.note).toContain(duplicate.number);
      expect((await detail('operator.village', kept.id)).duplicates.map((d) => d.id)).not.toContain(duplicate.id);

      const another = await fileIncident();
      const closed = await incidentAt('closed');
      for (const [into, status, type] of [
        [closed.id, 409, 'illegal-transition'],
        [duplicate.id, 409, 'illegal-transition'],
        [another.id, 422, 'invalid-params'],
        [999_999_999, 422, 'invalid-params'],
      ] as const) {
        await expectProblem(await step('operator.village', another.id, { action: 'merge', into }), status, PROBLEM(type));
      }
      expect(await detail('operator.village', another.id)).toMatchObject({ status: 'received', mergedInto: null });
      expect(await eventsOf(another.id)).toHaveLength(1);
      expect(await eventsOf(closed.id)).toHaveLength(1 + MAIN_LINE.length);
    });

    it('when a step lacks what it needs (close without outcome, dispatch without assignee, feedback without note), then 400 and nothing changes', async () => {
      const revisited = await incidentAt('revisited');
      const problem = await expectProblem(await step('operator.village', revisited.id, { action: 'close' }), 400, PROBLEM('invalid-params'));
      expect(problem['invalid-params']?.map((p) => p.name)).toContain('outcome');
      expect(await statusOf(revisited.id)).toBe('revisited');

      const received = await fileIncident();
      await expectProblem(await step('operator.village', received.id, { action: 'dispatch' }), 400, PROBLEM('invalid-params'));
      await expectProblem(await step('operator.village', received.id, { action: 'dispatch', assignee: { kind: 'staff' } }), 400, PROBLEM('invalid-params'));
      await expectProblem(await step('operator.village', received.id, { action: 'fly' }), 400, PROBLEM('invalid-params'));
      await expectProblem(await step('operator.village', received.id, { action: 'note', note: '  ' }), 400, PROBLEM('invalid-params'));
      await expectProblem(await step('operator.village', received.id, { action: 'note', note: 'x', extra: 1 }), 400, PROBLEM('invalid-params'));
      // Someone outside the jurisdiction or no one at all.
      for (const assignee of [{ kind: 'staff', id: 999_999_999 }, { kind: 'patrol_unit', id: 999_999_999 }]) {
        await expectProblem(await step('operator.village', received.id, { action: 'dispatch', assignee }), 422, PROBLEM('invalid-params'));
      }
      expect(await eventsOf(received.id)).toHaveLength(1);
      const feedback = await incidentAt('handling');
      await expectProblem(await step('operator.village', feedback.id, { action: 'feedback' }), 400, PROBLEM('invalid-params'));
      expect(await statusOf(feedback.id)).toBe('handling');
    });
  });

  describe('overdue (督办)', () => {
    it('when an open incident is past its deadline, then the sweep flags it once with a supervise step by 系统督办 and a live event; closed ones never', async () => {
      const late = await fileIncident({ title: '逾期未办' });
      const closedLate = await incidentAt('closed');
      await server.db.query("UPDATE incidents SET due_at = now() - interval '1 hour' WHERE id = ANY($1::bigint[])", [[late.id, closedLate.id]]);

      // Other open incidents past their deadline (the demo's) are flagged too: sweep until none is left.
      const flagged: number[] = [];
      for (let run = 0; run < 100; run++) {
        const { rows } = await server.db.query<{ incident_id: number }>('SELECT * FROM pingan_flag_overdue(now(), 100)');
        if (rows.length === 0) break;
        flagged.push(...rows.map((r) => r.incident_id));
      }
      expect(flagged.filter((id) => id === late.id)).toHaveLength(1);
      expect(flagged).not.toContain(closedLate.id);
      expect(new Set(flagged).size).toBe(flagged.length);
      const again = await server.db.query('SELECT * FROM pingan_flag_overdue(now(), 100)');
      expect(again.rows).toEqual([]);

      const supervise = (await eventsOf(late.id)).filter((e) => e.action === 'supervise');
      expect(supervise).toEqual([
        expect.objectContaining({ from_status: 'received', to_status: 'received', actor_name: '系统督办', actor_user_id: null, center_id: world.village }),
      ]);
      const live = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM live_events WHERE kind = 'overdue' AND incident_id = $1", [late.id]);
      expect(live.rows[0]!.n).toBe(1);
      expect((await detail('operator.village', late.id)).overdueAt).toEqual(expect.any(String));

      const closedAfter = await server.db.query<{ overdue_at: Date | null }>('SELECT overdue_at FROM incidents WHERE id = $1', [closedLate.id]);
      expect(closedAfter.rows[0]!.overdue_at).toBeNull();
      expect((await eventsOf(closedLate.id)).map((e) => e.action)).not.toContain('supervise');

      const response = await as('operator.village').get('/api/incidents?overdue=true&limit=500');
      expect(response.status).toBe(200);
      const listed = ((await response.json()) as { incidents: IncidentSummary[] }).incidents;
      expect(listed.map((i) => i.id)).toContain(late.id);
      expect(listed.map((i) => i.id)).not.toContain(closedLate.id);
      expect(listed.every((i) => i.overdueAt !== null && i.status !== 'closed')).toBe(true);
    });
  });
});
