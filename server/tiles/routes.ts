import type { Request } from 'express';
import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { HttpProblem } from '../http/problem.js';
import { findMapExtent } from '../map/repository.js';
import { TileCache, tileKey } from './cache.js';
import { datumOf, TILE_LAYERS, type TileLayer } from './layers.js';
import { buildTile, readVersions } from './repository.js';
import { TileParams } from './schema.js';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

export interface TileOptions {
  /** Bytes of built tiles kept in memory; 0 builds every request. */
  cacheBytes: number;
}

/**
 * `/tiles/<layer>/{z}/{x}/{y}.mvt` and `/tiles/<layer>.json` (TileJSON 3.0) for every layer
 * of layers.ts. A tile's ETag is its cache key, so a client revalidating an unchanged
 * tile gets a 304 for the price of reading the change counters.
 */
export function tileRoutes(db: Database, options: TileOptions): Route[] {
  const cache = options.cacheBytes > 0 ? new TileCache(options.cacheBytes) : undefined;
  const encoder = db.info.capabilities.nativeMvt ? 'native' : 'node';
  return TILE_LAYERS.flatMap((layer) => [
    guarded({
      method: 'get',
      path: `/${layer.name}/:z/:x/:y.mvt`,
      summary: `Vector tile: ${layer.description}`,
      access: layer.access,
      schemas: { params: TileParams, query: layer.query },
      async handler({ req, res, caller, input }) {
        const tile = input.params;
        const scope = layer.scoped ? scopeOf(caller) : null;
        const args = layer.args(input.query, new Date());
        const datum = datumOf(layer, input.query);
        const versions = await readVersions(db, layer.versions);
        const key = tileKey([layer.name, versions, scope, tile.z, tile.x, tile.y, args, datum]);
        // `private`: what a tile holds depends on the caller's jurisdiction.
        res.set({ ETag: `"${key}"`, 'Cache-Control': 'private, no-cache' });
        if (req.fresh) {
          res.status(304).end();
          return;
        }
        const build = () => buildTile(db, encoder, layer, tile, scope, args, datum);
        const bytes = cache ? await cache.get(key, build) : await build();
        if (bytes.byteLength === 0) {
          res.status(204).end();
          return;
        }
        res.type(MVT_CONTENT_TYPE).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      },
    }),
    guarded({
      method: 'get',
      path: `/${layer.name}.json`,
      summary: `TileJSON of the ${layer.name} tiles`,
      access: layer.access,
      schemas: { query: layer.query },
      async handler({ req, res, caller, input }) {
        const extent = await findMapExtent(db, scopeOf(caller));
        if (!extent) throw HttpProblem.notFound('your jurisdiction has no grids yet: no district is loaded');
        res.set('Cache-Control', 'private, no-cache').json(tileJson(req, layer, extent, input.query as Record<string, unknown>));
      },
    }),
  ]);
}

function tileJson(req: Request, layer: TileLayer, extent: { bbox: number[]; center: number[] }, filters: Record<string, unknown>) {
  // The filters asked for the TileJSON, as validated (`datum` among them), carry over to every tile URL it lists.
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined) params.set(name, value instanceof Date ? value.toISOString() : String(value));
  }
  const query = params.size > 0 ? `?${params}` : '';
  return {
    tilejson: '3.0.0',
    name: layer.name,
    description: layer.description,
    scheme: 'xyz',
    tiles: [`${req.protocol}://${req.get('host')}/tiles/${layer.name}/{z}/{x}/{y}.mvt${query}`],
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    bounds: extent.bbox,
    center: [...extent.center, 11],
    vector_layers: layer.sourceLayers.map((s) => ({
      id: s.id,
      description: s.description,
      minzoom: s.minzoom,
      maxzoom: s.maxzoom,
      fields: s.fields,
    })),
  };
}
