import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { listCenters } from './repository.js';

/** `/api/centers`: the governance centers of the caller's jurisdiction. */
export function centerRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/centers',
      summary: 'Governance centers of the jurisdiction',
      access: 'map:read',
      async handler({ res, caller }) {
        res.set('Cache-Control', 'private, no-cache').json({ centers: await listCenters(db, scopeOf(caller)) });
      },
    }),
  ];
}
