import type { Feature, Point } from 'geojson';
import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import { geoJsonStatement, nativeStatement, type SourceLayer } from './compose.js';
import { geometryToDatum, tileDatumShift, type Datum } from './datum.js';
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
 *
 * In another datum than WGS84 (`datum`, datum.ts) the tile is always made the `node` way,
 * still in one statement: PostGIS selects for the tile moved back by the datum shift at its
 * centre (sql/tile.sql), and Node moves every vertex into the datum before cutting, the
 * one place the datum is applied.
 */
export async function buildTile(
  db: Queryable,
  encoder: Encoder,
  layer: TileLayer,
  tile: TileAddress,
  scope: number | null,
  args: readonly unknown[],
  datum: Datum = 'wgs84',
): Promise<Uint8Array> {
  const statements = STATEMENTS.get(layer.name)!;
  const shift = tileDatumShift(tile, datum);
  const params = [tile.z, tile.x, tile.y, scope, shift.dx, shift.dy, ...args];
  if (encoder === 'native' && datum === 'wgs84') {
    const { rows } = await db.query<{ mvt: Buffer }>(statements.native, params);
    return new Uint8Array(rows[0]!.mvt);
  }
  const { rows } = await db.query<{ layers: string }>(statements.node, params);
  const layers = JSON.parse(rows[0]!.layers) as Record<string, Feature[]>;
  return encodeTile(datum === 'wgs84' ? layers : toDatum(layers, layer.sourceLayers, tile, datum), tile);
}

/** The selected features moved into `datum`, vertex by vertex; groups only in the tile that holds them. */
function toDatum(layers: Record<string, Feature[]>, sourceLayers: readonly SourceLayer[], tile: TileAddress, datum: Datum): Record<string, Feature[]> {
  const out: Record<string, Feature[]> = {};
  for (const s of sourceLayers) {
    const moved = (layers[s.id] ?? []).map((f) => ({ ...f, geometry: geometryToDatum(f.geometry, datum) }));
    out[s.id] = s.ownTileOnly ? moved.filter((f) => f.geometry.type === 'Point' && inTile(f.geometry, tile)) : moved;
  }
  return out;
}

/** Whether a point lies in the tile itself (west and north edges in, east and south out, as the cells count). */
function inTile({ coordinates: [lon, lat] }: Point, { z, x, y }: TileAddress): boolean {
  const n = 2 ** z;
  const fx = ((lon! + 180) / 360) * n - x;
  const r = (lat! * Math.PI) / 180;
  const fy = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n - y;
  return fx >= 0 && fx < 1 && fy >= 0 && fy < 1;
}

/** The change counters `names` as one string, read before a tile is built (see cache.ts). */
export async function readVersions(db: Queryable, names: readonly DataName[]): Promise<string> {
  const { rows } = await db.query<{ versions: string }>(sql['data-versions'], [names]);
  return rows[0]!.versions;
}
