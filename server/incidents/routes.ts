import type { Request } from 'express';
import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { incidentHeatmap, incidentPoints } from './heatmap.js';
import { listDeadlines, setDeadlines } from './deadlines.js';
import { fileIncident, type IntakeOptions } from './intake.js';
import { POINTS_CONTENT_TYPE } from './points-format.js';
import { findIncidentDetail, findReporterData, listIncidents } from './repository.js';
import { DeadlinesBody, HeatmapQuery, IdempotencyKey, IncidentIdParams, IncidentsQuery, IntakeBody, PointsQuery, StepBody, UnmaskBody } from './schema.js';
import { stepsAllowed, takeStep } from './transitions.js';

export type IntakeConfig = Pick<Config, 'INTAKE_OUTSIDE' | 'INTAKE_BOUNDARY_M'>;

export const intakeOptions = (config: IntakeConfig): IntakeOptions => ({
  nearestWhenOutside: config.INTAKE_OUTSIDE === 'nearest',
  boundaryMetres: config.INTAKE_BOUNDARY_M,
});

/** The request's `Idempotency-Key` header, checked (400 when malformed); null when it is optional and not sent. */
export function idempotencyKeyOf(req: Request, required: boolean): string | null {
  const sent = req.get('idempotency-key');
  if (sent === undefined && !required) return null;
  const parsed = IdempotencyKey.safeParse(sent);
  if (!parsed.success) throw HttpProblem.invalidParams([{ name: 'Idempotency-Key', reason: parsed.error.issues[0]!.message }]);
  return parsed.data;
}

/**
 * `/api/incidents`: incidents of the caller's jurisdiction, personal data masked; explicit,
 * audited unmasking; intake with idempotency keys and the workflow's steps
 * (docs/live-and-dispatch.md).
 */
export function incidentRoutes(db: Database, config: IntakeConfig): Route[] {
  const intake = intakeOptions(config);
  return [
    guarded({
      method: 'get',
      path: '/incidents',
      summary: 'Incidents of the jurisdiction, newest report first, filtered and paged; personal data masked',
      access: 'incidents:read',
      schemas: { query: IncidentsQuery },
      async handler({ res, caller, input }) {
        const incidents = await listIncidents(db, scopeOf(caller), input.query, caller.userId);
        const next = incidents.length === input.query.limit ? String(incidents.at(-1)!.id) : null;
        res.set('Cache-Control', 'private, no-cache').json({ incidents, next });
      },
    }),

    guarded({
      method: 'post',
      path: '/incidents',
      summary: 'File an incident (header Idempotency-Key): attributed to its grid and center in the database; a retry with the same key answers the first result',
      access: 'incidents:report',
      audit: 'incident.report',
      status: 201,
      schemas: { body: IntakeBody },
      async handler({ req, res, caller, input }) {
        const key = idempotencyKeyOf(req, true);
        const { incident, replayed } = await fileIncident(db, { caller, source: input.body.source }, input.body, key, intake);
        res
          .status(replayed ? 200 : 201)
          .set({ 'Cache-Control': 'no-store', Location: `/api/incidents/${incident.id}`, ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) })
          .json({ incident, replayed });
      },
    }),

    guarded({
      method: 'get',
      path: '/incidents/:id/actions',
      summary: 'The workflow steps the caller may take on an incident now',
      access: 'incidents:read',
      schemas: { params: IncidentIdParams },
      async handler({ res, caller, input }) {
        const allowed = await stepsAllowed(db, caller, input.params.id);
        if (!allowed) throw HttpProblem.notFound(`there is no incident ${input.params.id}`);
        res.set('Cache-Control', 'private, no-cache').json(allowed);
      },
    }),

    guarded({
      method: 'post',
      path: '/incidents/:id/actions',
      summary: 'Take a workflow step (dispatch, accept, feedback, review, revisit, close, return, escalate, transfer, supervise, reassign, merge, note); 409 when not allowed now',
      access: 'incidents:handle',
      audit: 'incident.step',
      schemas: { params: IncidentIdParams, body: StepBody },
      async handler({ res, caller, input }) {
        res.set('Cache-Control', 'no-store').json(await takeStep(db, caller, input.params.id, input.body));
      },
    }),

    guarded({
      method: 'get',
      path: '/incident-deadlines',
      summary: 'Deadlines per category and severity, in hours from the report',
      access: 'incidents:read',
      async handler({ res }) {
        res.set('Cache-Control', 'private, no-cache').json({ deadlines: await listDeadlines(db) });
      },
    }),

    guarded({
      method: 'patch',
      path: '/incident-deadlines',
      summary: 'Change deadlines (new incidents take them; filed ones keep theirs)',
      access: 'workflow:configure',
      audit: 'workflow.deadlines',
      schemas: { body: DeadlinesBody },
      async handler({ res, input, audit }) {
        const deadlines = await db.tx(async (q) => {
          const changed = await setDeadlines(q, input.body);
          await audit(q, { action: 'workflow.deadlines', outcome: 'success', detail: { changed: input.body.deadlines } });
          return changed;
        });
        res.set('Cache-Control', 'no-store').json({ deadlines });
      },
    }),

    guarded({
      method: 'get',
      path: '/incidents/heatmap',
      summary: 'Incidents of a box and time window counted per map cell (zoom + 5; at most zoom 17 beyond two days), exact, for heat maps at any scale',
      access: 'incidents:read',
      schemas: { query: HeatmapQuery },
      async handler({ res, caller, input }) {
        res.set('Cache-Control', 'private, no-cache').json(await incidentHeatmap(db, scopeOf(caller), input.query, new Date()));
      },
    }),

    guarded({
      method: 'get',
      path: '/incidents/points',
      summary: `Incidents of a box and time window as binary points (${POINTS_CONTENT_TYPE}, see server/incidents/points-format.ts); 422 beyond limit`,
      access: 'incidents:read',
      schemas: { query: PointsQuery },
      async handler({ res, caller, input }) {
        const points = await incidentPoints(db, scopeOf(caller), input.query, new Date());
        if (!points) {
          throw new HttpProblem(422, {
            type: ProblemType.tooManyPoints,
            detail: `more than ${input.query.limit} incidents match; ask /api/incidents/heatmap for cell counts, or narrow the box or window`,
            extra: { limit: input.query.limit },
          });
        }
        res.set('Cache-Control', 'private, no-cache').type(POINTS_CONTENT_TYPE).send(Buffer.from(points.buffer, points.byteOffset, points.byteLength));
      },
    }),

    guarded({
      method: 'get',
      path: '/incidents/:id',
      summary: 'One incident with its grid, its center and its workflow so far (oldest step first); personal data masked',
      access: 'incidents:read',
      schemas: { params: IncidentIdParams },
      async handler({ res, caller, input }) {
        const incident = await findIncidentDetail(db, scopeOf(caller), input.params.id);
        if (!incident) throw HttpProblem.notFound(`there is no incident ${input.params.id}`);
        res.set('Cache-Control', 'private, no-cache').json(incident);
      },
    }),

    guarded({
      method: 'post',
      path: '/incidents/:id/personal-data',
      summary: "Reveal one incident's reporter name, phone and ID number, with a reason (audited)",
      access: 'personal:unmask',
      audit: 'incident.unmask',
      schemas: { params: IncidentIdParams, body: UnmaskBody },
      async handler({ res, caller, input, audit }) {
        const { id } = input.params;
        const data = await db.tx(async (q) => {
          const found = await findReporterData(q, scopeOf(caller), id);
          if (!found) throw HttpProblem.notFound(`there is no incident ${id}`);
          await audit(q, {
            action: 'incident.unmask',
            outcome: 'success',
            objectType: 'incident',
            objectId: id,
            detail: { number: found.number, reason: input.body.reason },
          });
          return found;
        });
        res.set('Cache-Control', 'no-store').json({
          reporterName: data.reporterName,
          reporterPhone: data.reporterPhone,
          reporterIdNumber: data.reporterIdNumber,
        });
      },
    }),
  ];
}
