import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { HttpProblem } from '../http/problem.js';
import { dispatchOptions } from './repository.js';
import { DispatchOptionsQuery, IncidentIdParams } from './schema.js';

/** The dispatch helper (指挥调度): who and what could respond to an incident. */
export function dispatchRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/incidents/:id/dispatch-options',
      summary: "Nearest patrol units (by last reported position), the incident grid's staff and leaders above, and cameras that see the spot",
      access: 'incidents:read',
      schemas: { params: IncidentIdParams, query: DispatchOptionsQuery },
      async handler({ res, caller, input }) {
        const options = await dispatchOptions(db, scopeOf(caller), input.params.id, input.query);
        if (!options) throw HttpProblem.notFound(`there is no incident ${input.params.id}`);
        // Units move every few seconds: never reuse an old answer.
        res.set('Cache-Control', 'private, no-store').json(options);
      },
    }),
  ];
}
