import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { HttpProblem } from '../http/problem.js';
import { findIncident, findReporterData, listIncidents } from './repository.js';
import { IncidentIdParams, IncidentsQuery, UnmaskBody } from './schema.js';

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
      path: '/incidents/:id',
      summary: 'One incident, personal data masked',
      access: 'incidents:read',
      schemas: { params: IncidentIdParams },
      async handler({ res, caller, input }) {
        const incident = await findIncident(db, scopeOf(caller), input.params.id);
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
