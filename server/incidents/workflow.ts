import type { Role } from '../auth/permissions.js';
import type { STATUSES } from './enums.js';

/**
 * The workflow of an incident, in one table: "一门受理、一体派发、分类处置、协调联动、
 * 复核回访、督办问效、办结归档". Each step names the statuses it may start from, the status
 * it leads to (`stay`: unchanged), who may take it, and what it needs. transitions.ts
 * applies it in the database; the UI asks `allowedSteps` which buttons to show. Pure: the
 * client imports it.
 */

export type Status = (typeof STATUSES)[number];

export const STEPS = ['dispatch', 'accept', 'feedback', 'review', 'revisit', 'close', 'return', 'escalate', 'transfer', 'supervise', 'reassign', 'merge', 'note'] as const;
export type Step = (typeof STEPS)[number];

export const OUTCOMES = ['resolved', 'unresolved', 'referred', 'withdrawn'] as const;
export const ASSIGNEE_KINDS = ['patrol_unit', 'staff', 'department'] as const;
export const DEPARTMENTS = ['police', 'judicial', 'civil_affairs', 'health', 'market_supervision', 'urban_management'] as const;

const OPEN: readonly Status[] = ['received', 'dispatched', 'handling', 'feedback', 'reviewed', 'revisited'];
/** Before the work is done: where escalation, transfer and merging still make sense. */
const UNDONE: readonly Status[] = ['received', 'dispatched', 'handling'];

export interface StepRule {
  from: readonly Status[];
  /** The status after the step; 'stay' keeps the current one. */
  to: Status | 'stay';
  roles: readonly Role[];
  /** A grid worker may take it only on an incident assigned to them. */
  assignedWorkerOnly: boolean;
  needs: readonly ('note' | 'assignee' | 'department' | 'outcome' | 'grid' | 'target')[];
}

const rule = (from: readonly Status[], to: Status | 'stay', roles: readonly Role[], needs: StepRule['needs'] = []): StepRule => ({
  from,
  to,
  roles,
  assignedWorkerOnly: roles.includes('grid_worker'),
  needs,
});

export const WORKFLOW: Readonly<Record<Step, StepRule>> = {
  // 派发: to a patrol unit, a grid worker or a department; again to change who handles it.
  dispatch: rule(['received', 'dispatched'], 'dispatched', ['operator'], ['assignee']),
  // 处置: the assignee takes it on.
  accept: rule(['dispatched'], 'handling', ['operator', 'grid_worker']),
  // 反馈: what was done.
  feedback: rule(['handling'], 'feedback', ['operator', 'grid_worker'], ['note']),
  // 复核.
  review: rule(['feedback'], 'reviewed', ['operator', 'leader']),
  // 回访: the reporter was called back or visited.
  revisit: rule(['reviewed'], 'revisited', ['operator', 'grid_worker'], ['note']),
  // 办结归档, with how it ended.
  close: rule(['revisited'], 'closed', ['operator', 'leader'], ['outcome']),
  // Sent back for rework.
  return: rule(['feedback', 'reviewed'], 'handling', ['operator', 'leader'], ['note']),
  // 上报: to the parent center, which receives it afresh.
  escalate: rule(UNDONE, 'received', ['operator'], ['note']),
  // 转办: to a department (协调联动).
  transfer: rule(UNDONE, 'dispatched', ['operator'], ['department']),
  // 督办.
  supervise: rule(OPEN, 'stay', ['operator', 'leader'], ['note']),
  // Another grid (boundary cases): the center follows the grid.
  reassign: rule(OPEN, 'stay', ['operator'], ['grid']),
  // A duplicate closed into another incident; both keep their history.
  merge: rule(UNDONE, 'closed', ['operator'], ['target']),
  note: rule([...OPEN, 'closed'], 'stay', ['operator', 'leader', 'grid_worker'], ['note']),
};

export interface StepContext {
  status: Status;
  role: Role;
  /** The incident is assigned to the caller's own staff record. */
  assignedToCaller: boolean;
}

/** Why a step cannot be taken now, or null when it can. */
export function refusal(step: Step, ctx: StepContext): 'status' | 'role' | 'not-assigned' | null {
  const r = WORKFLOW[step];
  if (!r.roles.includes(ctx.role)) return 'role';
  if (r.assignedWorkerOnly && ctx.role === 'grid_worker' && !ctx.assignedToCaller) return 'not-assigned';
  if (!r.from.includes(ctx.status)) return 'status';
  return null;
}

/** The steps the caller may take now, in workflow order. */
export function allowedSteps(ctx: StepContext): Step[] {
  return STEPS.filter((step) => refusal(step, ctx) === null);
}

export function nextStatus(step: Step, current: Status): Status {
  const to = WORKFLOW[step].to;
  return to === 'stay' ? current : to;
}
