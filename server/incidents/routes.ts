import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { HttpProblem, ProblemType } from '../http/problem.js';
import { incidentHeatmap, incidentPoints } from './heatmap.js';
import { POINTS_CONTENT_TYPE } from './points-format.js';
import { findIncidentDetail, findReporterData, listIncidents } from './repository.js';
import { HeatmapQuery, IncidentIdParams, IncidentsQuery, PointsQuery, UnmaskBody } from './schema.js';

/** `/api/incidents`: incidents of the caller's jurisdiction, personal data masked; explicit, audited unmasking. */
export function incidentRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/incidents',
      summary: 'Incidents of the jurisdiction, newest report first, filtered and paged; personal data masked',
      access: 'incidents:read',
      schemas: { query: IncidentsQuery },
      async handler({ res, caller, input }) {
        const incidents = await listIncidents(db, scopeOf(caller), input.query);
        const next = incidents.length === input.query.limit ? String(incidents.at(-1)!.id) : null;
        res.set('Cache-Control', 'private, no-cache').json({ incidents, next });
      },
    }),

    guarded({
      method: 'get',
      path: '/incidents/heatmap',
      summary: 'Incidents of a box and time window counted per map cell (zoom + 5), exact, for heat maps at any scale',
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
