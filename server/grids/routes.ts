import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { HttpProblem } from '../http/problem.js';
import { gridFeature, gridsGeoJson } from './repository.js';
import { GridDetailQuery, GridIdParams, GridsQuery } from './schema.js';

/** `/api/grids`: general and specialist grids of the caller's jurisdiction as GeoJSON. */
export function gridRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/grids',
      summary: 'Grids of the jurisdiction as GeoJSON, filtered by level, kind, department, parent, bbox and text',
      access: 'grids:read',
      schemas: { query: GridsQuery },
      async handler({ res, caller, input }) {
        // Grids change when a planner publishes a version: revalidate every time (ETag → 304).
        sendGeoJson(res, await gridsGeoJson(db, scopeOf(caller), input.query));
      },
    }),

    guarded({
      method: 'get',
      path: '/grids/:id',
      summary: 'One grid with its parents, staff, and counts of cameras, open incidents and incidents reported in a window (from, to) inside',
      access: 'grids:read',
      schemas: { params: GridIdParams, query: GridDetailQuery },
      async handler({ res, caller, input }) {
        const body = await gridFeature(db, scopeOf(caller), input.params.id, input.query, new Date());
        if (!body) throw HttpProblem.notFound(`there is no grid ${input.params.id}`);
        sendGeoJson(res, body);
      },
    }),
  ];
}
