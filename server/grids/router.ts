import { Router } from 'express';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { validate } from '../http/validate.js';
import { gridsGeoJson } from './repository.js';
import { GridsQuery } from './schema.js';

/** `/api/grids`: general and specialist grids as GeoJSON. */
export function gridsRouter(db: Database): Router {
  const router = Router();

  const listGrids = validate({ query: GridsQuery });
  router.get('/grids', listGrids, async (_req, res) => {
    const { query } = listGrids.read(res);
    // Grids change when a planner publishes a version: revalidate every time (ETag → 304).
    sendGeoJson(res, await gridsGeoJson(db, query));
  });

  return router;
}
