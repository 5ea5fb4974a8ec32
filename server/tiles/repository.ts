import type { Feature } from 'geojson';
import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import { geoJsonStatement, nativeStatement } from './compose.js';
import { encodeTile, type TileAddress } from './encode.js';
import { TILE_LAYERS, type DataName, type TileLayer } from './layers.js';

export type Encoder = 'native' | 'node';

const sql = loadSql(import.meta.url, ['data-versions']);

/** Each layer's two statements, composed once at start-up. */
const STATEMENTS = new Map(
  TILE_LAYERS.map((l) => [l.name, { native: nativeStatement(l.sourceLayers), node: geoJsonStatement(l.sourceLayers) }]),
);

/**
 * One vector tile of `layer`, empty (length 0) when nothing is in it. `native` has PostGIS
 * encode it (ST_AsMVT); `node` has PostGIS select and Node cut and encode (encode.ts).
 * Both decode to the same features (test/integration/tiles.test.ts compares them).
 */
export async function buildTile(
  db: Queryable,
  encoder: Encoder,
  layer: TileLayer,
  tile: TileAddress,
  scope: number | null,
  args: readonly unknown[],
): Promise<Uint8Array> {
  const statements = STATEMENTS.get(layer.name)!;
  const params = [tile.z, tile.x, tile.y, scope, ...args];
  if (encoder === 'native') {
    const { rows } = await db.query<{ mvt: Buffer }>(statements.native, params);
    return new Uint8Array(rows[0]!.mvt);
  }
  const { rows } = await db.query<{ layers: string }>(statements.node, params);
  return encodeTile(JSON.parse(rows[0]!.layers) as Record<string, Feature[]>, tile);
}

/** The change counters `names` as one string, read before a tile is built (see cache.ts). */
export async function readVersions(db: Queryable, names: readonly DataName[]): Promise<string> {
  const { rows } = await db.query<{ versions: string }>(sql['data-versions'], [names]);
  return rows[0]!.versions;
}
