import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { HttpProblem } from '../http/problem.js';
import { cameraFeature, camerasGeoJson } from './repository.js';
import { CameraIdParams, CamerasQuery } from './schema.js';

/** `/api/cameras`: 雪亮, 天网 and social cameras of the caller's jurisdiction. */
export function cameraRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/cameras',
      summary: 'Cameras of the jurisdiction as GeoJSON pages, filtered by bbox, source, status and grid',
      access: 'resources:read',
      schemas: { query: CamerasQuery },
      async handler({ res, caller, input }) {
        sendGeoJson(res, await camerasGeoJson(db, scopeOf(caller), input.query));
      },
    }),

    guarded({
      method: 'get',
      path: '/cameras/:id',
      summary: 'One camera with its field of view, stream link and grid',
      access: 'resources:read',
      schemas: { params: CameraIdParams },
      async handler({ res, caller, input }) {
        const body = await cameraFeature(db, scopeOf(caller), input.params.id);
        if (!body) throw HttpProblem.notFound(`there is no camera ${input.params.id}`);
        sendGeoJson(res, body);
      },
    }),
  ];
}
