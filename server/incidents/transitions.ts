import type { Caller } from '../auth/caller.js';
import type { Database, Queryable } from '../db/database.js';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { loadSql } from '../sql-files.js';
import { findIncidentDetail, type IncidentDetail } from './repository.js';
import type { StepInput } from './schema.js';
import { allowedSteps, nextStatus, refusal, type Status, type Step, type StepContext } from './workflow.js';

const sql = loadSql(import.meta.url, ['step-target', 'step-update', 'step-insert', 'step-assignee', 'step-grid', 'step-merge-target']);

interface TargetRow {
  id: number;
  number: string;
  status: Status;
  center_id: number;
  grid_id: number | null;
  boundary_flag: boolean;
  outside_flag: boolean;
  merged_into: number | null;
  assignee_kind: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  outcome: string | null;
  caller_staff_id: number | null;
  parent_center_id: number | null;
  parent_center_name: string | null;
}

/** The incident's columns a step may change (step-update.sql). */
interface Change {
  status: Status;
  centerId: number;
  gridId: number | null;
  boundaryFlag: boolean;
  outsideFlag: boolean;
  assignee: { kind: string | null; id: number | null; name: string | null };
  outcome: string | null;
  mergedInto: number | null;
  attribution: unknown;
}

const contextOf = (row: TargetRow, caller: Caller): StepContext => ({
  status: row.status,
  role: caller.role,
  assignedToCaller: row.assignee_kind === 'staff' && row.caller_staff_id !== null && row.assignee_id === row.caller_staff_id,
});

/** The steps the caller may take on an incident now; undefined outside the jurisdiction. */
export async function stepsAllowed(db: Database, caller: Caller, id: number): Promise<{ status: Status; steps: Step[] } | undefined> {
  const row = await readTarget(db, caller, id, '');
  return row && { status: row.status, steps: allowedSteps(contextOf(row, caller)) };
}

/**
 * Takes one workflow step (workflow.ts decides whether it may be taken) and records it
 * in incident_events, in one transaction that holds the live-outbox lock and the
 * incident's row. Answers the incident as its detail panel shows it.
 */
export async function takeStep(db: Database, caller: Caller, id: number, input: StepInput): Promise<IncidentDetail> {
  const scope = caller.center.id;
  const landedAt = await db.tx(async (q) => {
    await q.query('SELECT pingan_live_lock()');
    const row = await readTarget(q, caller, id, ' FOR UPDATE OF i');
    if (!row) throw HttpProblem.notFound(`there is no incident ${id}`);
    if (input.expectedStatus && input.expectedStatus !== row.status) {
      throw new HttpProblem(409, {
        type: ProblemType.statusChanged,
        title: 'Status changed meanwhile',
        detail: `incident ${row.number} is now ${row.status}, not ${input.expectedStatus}; reload it and decide again`,
        extra: { currentStatus: row.status },
      });
    }
    refuseUnlessAllowed(input.action, row, caller);

    const change: Change = {
      status: nextStatus(input.action, row.status),
      centerId: row.center_id,
      gridId: row.grid_id,
      boundaryFlag: row.boundary_flag,
      outsideFlag: row.outside_flag,
      assignee: { kind: row.assignee_kind, id: row.assignee_id, name: row.assignee_name },
      outcome: row.outcome,
      mergedInto: row.merged_into,
      attribution: null,
    };
    const stepAssignee = await applyStep(q, caller, input, row, change);
    await q.query(sql['step-update'], [
      id,
      change.status,
      change.centerId,
      change.gridId,
      change.boundaryFlag,
      change.outsideFlag,
      change.assignee.kind,
      change.assignee.id,
      change.assignee.name,
      change.outcome,
      change.mergedInto,
      change.attribution === null ? null : JSON.stringify(change.attribution),
    ]);
    await recordStep(q, caller, id, input.action, row.status, change.status, stepAssignee, input.note ?? null);
    return change.centerId;
  });
  // An escalation moves the incident above the caller's jurisdiction: answer it as its new center sees it.
  const incident = (await findIncidentDetail(db, scope, id)) ?? (await findIncidentDetail(db, landedAt, id));
  if (!incident) throw HttpProblem.notFound(`there is no incident ${id}`);
  return incident;
}

/** The incident a step is taken on; `lock` is '' (a read) or the row lock a step holds until it commits. */
async function readTarget(q: Queryable, caller: Caller, id: number, lock: '' | ' FOR UPDATE OF i'): Promise<TargetRow | undefined> {
  const { rows } = await q.query<TargetRow>(sql['step-target'] + lock, [id, caller.center.id, caller.userId]);
  return rows[0];
}

function refuseUnlessAllowed(step: Step, row: TargetRow, caller: Caller): void {
  const ctx = contextOf(row, caller);
  const why = refusal(step, ctx);
  if (why === 'role' || why === 'not-assigned') {
    throw new HttpProblem(403, {
      type: ProblemType.forbidden,
      detail: why === 'role' ? `a ${caller.role} cannot take the ${step} step` : `incident ${row.number} is not assigned to you`,
    });
  }
  if (why === 'status') {
    const allowed = allowedSteps(ctx);
    throw new HttpProblem(409, {
      type: ProblemType.illegalTransition,
      title: 'Step not allowed now',
      detail: `incident ${row.number} is ${row.status}: ${step} is not possible now${allowed.length ? `; possible: ${allowed.join(', ')}` : ''}`,
      extra: { currentStatus: row.status, allowed },
    });
  }
}

type StepAssignee = { kind: string; id: number | null; name: string } | null;

/** Fills `change` with what the step does beyond the status; returns whom the step names. */
async function applyStep(q: Queryable, caller: Caller, input: StepInput, row: TargetRow, change: Change): Promise<StepAssignee> {
  const scope = caller.center.id;
  switch (input.action) {
    case 'dispatch': {
      const a = input.assignee!;
      const name = a.kind === 'department' ? a.department! : await assigneeName(q, a.kind, a.id!, scope);
      change.assignee = { kind: a.kind, id: a.kind === 'department' ? null : a.id!, name };
      return { kind: a.kind, id: change.assignee.id, name };
    }
    case 'transfer':
      change.assignee = { kind: 'department', id: null, name: input.department! };
      return { kind: 'department', id: null, name: input.department! };
    case 'close':
      change.outcome = input.outcome!;
      return null;
    case 'escalate': {
      if (row.parent_center_id === null) {
        throw new HttpProblem(409, {
          type: ProblemType.illegalTransition,
          detail: `incident ${row.number} is already at the top-level center; there is no center above to escalate to`,
        });
      }
      change.centerId = row.parent_center_id;
      change.assignee = { kind: null, id: null, name: null };
      return { kind: 'center', id: row.parent_center_id, name: row.parent_center_name! };
    }
    case 'reassign': {
      const { rows } = await q.query<{ id: number; name: string; center_id: number; attribution: { grids: unknown; leaders: unknown } }>(sql['step-grid'], [
        input.gridId,
        scope,
      ]);
      const grid = rows[0];
      if (!grid) {
        throw new HttpProblem(422, { type: ProblemType.invalidParams, detail: `grid ${input.gridId} is not a level-3 grid of your jurisdiction` });
      }
      change.gridId = grid.id;
      change.centerId = grid.center_id;
      change.boundaryFlag = false;
      change.outsideFlag = false;
      change.attribution = { grids: grid.attribution.grids, leaders: grid.attribution.leaders };
      return null;
    }
    case 'merge':
      await mergeInto(q, caller, input, row);
      change.mergedInto = input.into!;
      change.outcome = null;
      return null;
    default:
      return null;
  }
}

async function assigneeName(q: Queryable, kind: 'patrol_unit' | 'staff', id: number, scope: number): Promise<string> {
  const { rows } = await q.query<{ name: string }>(sql['step-assignee'], [kind, id, scope]);
  const found = rows[0];
  if (!found) {
    throw new HttpProblem(422, {
      type: ProblemType.invalidParams,
      detail: `there is no ${kind === 'patrol_unit' ? 'patrol unit' : 'active staff member'} ${id} in your jurisdiction`,
    });
  }
  return found.name;
}

/** Checks the incident a duplicate goes into and records the merge on it too. */
async function mergeInto(q: Queryable, caller: Caller, input: StepInput, row: TargetRow): Promise<void> {
  if (input.into === row.id) throw new HttpProblem(422, { type: ProblemType.invalidParams, detail: 'an incident cannot be merged into itself' });
  const { rows } = await q.query<{ id: number; number: string; status: Status; merged_into: number | null; center_id: number }>(sql['step-merge-target'], [
    input.into,
    caller.center.id,
  ]);
  const target = rows[0];
  if (!target) throw new HttpProblem(422, { type: ProblemType.invalidParams, detail: `there is no incident ${input.into} in your jurisdiction to merge into` });
  if (target.status === 'closed' || target.merged_into !== null) {
    throw new HttpProblem(409, {
      type: ProblemType.illegalTransition,
      detail: `incident ${target.number} is ${target.merged_into !== null ? 'itself merged' : 'closed'}; merge into an open incident`,
    });
  }
  await recordStep(q, caller, target.id, 'merge', target.status, target.status, null, `merged duplicate ${row.number}${input.note ? `: ${input.note}` : ''}`);
}

async function recordStep(q: Queryable, caller: Caller, id: number, step: Step, from: Status, to: Status, assignee: StepAssignee, note: string | null): Promise<void> {
  await q.query(sql['step-insert'], [
    id,
    step,
    from,
    to,
    caller.userId,
    caller.displayName,
    caller.center.id,
    assignee?.kind ?? null,
    assignee?.id ?? null,
    assignee?.name ?? null,
    note,
  ]);
}
