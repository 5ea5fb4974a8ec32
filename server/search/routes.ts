import { scopeOf } from '../auth/caller.js';
import { can } from '../auth/permissions.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { search } from './repository.js';
import { SearchQuery } from './schema.js';

/** `/api/search`: the command map's search box. */
export function searchRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/search',
      summary:
        'Grids (code prefix, name), cameras (code prefix), incidents (number prefix) of the jurisdiction and place names near it, exact matches first; only the kinds the role may read',
      // Place names are base map; grids, cameras and incidents join in as the role table allows.
      access: 'map:read',
      schemas: { query: SearchQuery },
      async handler({ res, caller, input }) {
        const hits = await search(db, scopeOf(caller), input.query, {
          grids: can(caller.role, 'grids:read'),
          cameras: can(caller.role, 'resources:read'),
          incidents: can(caller.role, 'incidents:read'),
        });
        res.set('Cache-Control', 'private, no-cache').json({ hits });
      },
    }),
  ];
}
