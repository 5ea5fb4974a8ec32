import { Router } from 'express';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { HttpProblem } from '../http/problem.js';
import { BASEMAP_LAYERS, basemapLayerGeoJson, findMapExtent, isBasemapLayer } from './repository.js';

/** `/api/map/extent` and the offline base map `/api/basemap/:layer.geojson`. */
export function mapRouter(db: Database): Router {
  const router = Router();

  router.get('/map/extent', async (_req, res) => {
    const extent = await findMapExtent(db);
    if (!extent) throw HttpProblem.notFound('no district is loaded yet: the database has no district center or no level-1 grids');
    res.json(extent);
  });

  router.get('/basemap/:layer.geojson', async (req, res) => {
    const { layer } = req.params;
    if (!isBasemapLayer(layer)) {
      throw HttpProblem.notFound(`there is no base-map layer '${layer}'; layers are ${BASEMAP_LAYERS.join(', ')}`);
    }
    // The base map changes only when a data set is loaded; five minutes keeps a wall of screens off the database.
    sendGeoJson(res, await basemapLayerGeoJson(db, layer), 'public, max-age=300');
  });

  return router;
}
