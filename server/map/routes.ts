import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { HttpProblem } from '../http/problem.js';
import { mapConfig, type BasemapSettings } from './basemap-config.js';
import { BASEMAP_LAYERS, basemapLayerGeoJson, findMapExtent, isBasemapLayer } from './repository.js';

/**
 * `/api/map/extent` (the caller's jurisdiction), `/api/map/config` (which base map to
 * draw) and the offline base map `/api/basemap/:layer.geojson`.
 */
export function mapRoutes(db: Database, basemap: BasemapSettings): Route[] {
  const config = mapConfig(basemap);
  return [
    guarded({
      method: 'get',
      path: '/map/extent',
      summary: "Name, bounding box and center of the caller's jurisdiction",
      access: 'map:read',
      async handler({ res, caller }) {
        const extent = await findMapExtent(db, scopeOf(caller));
        if (!extent) throw HttpProblem.notFound('your jurisdiction has no grids yet: no district is loaded');
        res.set('Cache-Control', 'private, no-cache').json(extent);
      },
    }),

    guarded({
      method: 'get',
      path: '/map/config',
      summary: 'Which base map the client draws: the built-in offline one or an external MapLibre style, and the datum of its tiles',
      access: 'map:read',
      async handler({ res }) {
        // The same for everyone; it changes only with a restart.
        res.set('Cache-Control', 'private, no-cache').json(config);
      },
    }),

    guarded({
      method: 'get',
      path: '/basemap/:layer.geojson',
      summary: 'One layer of the offline base map (landuse, water, waterways, roads, places) as GeoJSON',
      access: 'map:read',
      async handler({ req, res }) {
        const { layer } = req.params as { layer: string };
        if (!isBasemapLayer(layer)) {
          throw HttpProblem.notFound(`there is no base-map layer '${layer}'; layers are ${BASEMAP_LAYERS.join(', ')}`);
        }
        // The same for everyone (geography, not governance data) and it changes only when a
        // data set is loaded: five minutes keeps a wall of screens off the database.
        sendGeoJson(res, await basemapLayerGeoJson(db, layer), 'private, max-age=300');
      },
    }),
  ];
}
