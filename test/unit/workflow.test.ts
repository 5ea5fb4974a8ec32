import { describe, expect, it } from 'vitest';
import { ROLES } from '../../server/auth/permissions.js';
import { STATUSES } from '../../server/incidents/enums.js';
import { allowedSteps, nextStatus, refusal, STEPS, WORKFLOW, type Status } from '../../server/incidents/workflow.js';

// The workflow table's own rules: the main path reaches 办结归档 from 受理, nothing but a
// note follows closing, and each role's steps are those of its duty.

const MAIN_PATH = [
  ['dispatch', 'dispatched'],
  ['accept', 'handling'],
  ['feedback', 'feedback'],
  ['review', 'reviewed'],
  ['revisit', 'revisited'],
  ['close', 'closed'],
] as const;

describe('WORKFLOW', () => {
  it('when the main path is walked from received, then each step leads to the next status and ends closed', () => {
    let status: Status = 'received';
    for (const [step, to] of MAIN_PATH) {
      expect(refusal(step, { status, role: 'operator', assignedToCaller: false }), `${step} from ${status}`).toBeNull();
      status = nextStatus(step, status);
      expect(status).toBe(to);
    }
  });

  it('when an incident is closed, then a note is the only step anyone may take', () => {
    for (const role of ROLES) {
      const steps = allowedSteps({ status: 'closed', role, assignedToCaller: true });
      expect(steps.every((s) => s === 'note'), role).toBe(true);
    }
  });

  it('when every status is looked at, then some step leads into it and, unless closed, some step leads out', () => {
    const into = new Set(STEPS.map((s) => WORKFLOW[s].to));
    for (const status of STATUSES) {
      if (status !== 'received') expect(into.has(status), status).toBe(true);
      if (status === 'closed') continue;
      const out = STEPS.filter((s) => WORKFLOW[s].from.includes(status) && WORKFLOW[s].to !== 'stay');
      expect(out.length, status).toBeGreaterThan(0);
    }
    // Escalation hands the incident to the center above, which receives it afresh.
    expect(WORKFLOW.escalate.to).toBe('received');
  });

  it('when roles without duties in the workflow ask, then they may take no step at all', () => {
    for (const role of ['district_admin', 'analyst', 'planner', 'auditor'] as const) {
      for (const status of STATUSES) expect(allowedSteps({ status, role, assignedToCaller: true }), `${role} ${status}`).toEqual([]);
    }
  });

  it('when a grid worker asks, then only incidents assigned to them can be worked on', () => {
    expect(allowedSteps({ status: 'dispatched', role: 'grid_worker', assignedToCaller: true })).toEqual(['accept', 'note']);
    expect(allowedSteps({ status: 'dispatched', role: 'grid_worker', assignedToCaller: false })).toEqual([]);
    expect(refusal('accept', { status: 'dispatched', role: 'grid_worker', assignedToCaller: false })).toBe('not-assigned');
    expect(refusal('dispatch', { status: 'received', role: 'grid_worker', assignedToCaller: true })).toBe('role');
  });

  it('when a leader asks, then review, close, return and supervise are theirs and dispatching is not', () => {
    expect(allowedSteps({ status: 'feedback', role: 'leader', assignedToCaller: false })).toEqual(['review', 'return', 'supervise', 'note']);
    expect(allowedSteps({ status: 'revisited', role: 'leader', assignedToCaller: false })).toEqual(['close', 'supervise', 'note']);
    expect(refusal('dispatch', { status: 'received', role: 'leader', assignedToCaller: false })).toBe('role');
  });

  it('when a step needs something, then the table says so', () => {
    expect(WORKFLOW.dispatch.needs).toEqual(['assignee']);
    expect(WORKFLOW.close.needs).toEqual(['outcome']);
    expect(WORKFLOW.merge.needs).toEqual(['target']);
    expect(WORKFLOW.reassign.needs).toEqual(['grid']);
    expect(WORKFLOW.transfer.needs).toEqual(['department']);
  });
});
