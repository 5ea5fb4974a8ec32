import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { gridsGeoJson } from './repository.js';
import { GridsQuery } from './schema.js';

/** `/api/grids`: general and specialist grids of the caller's jurisdiction as GeoJSON. */
export function gridRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/grids',
      access: 'grids:read',
      schemas: { query: GridsQuery },
      async handler({ res, caller, input }) {
        // Grids change when a planner publishes a version: revalidate every time (ETag → 304).
        sendGeoJson(res, await gridsGeoJson(db, scopeOf(caller), input.query));
      },
    }),
  ];
}
