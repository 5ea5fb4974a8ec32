import { geoJSONToTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { GeoJSONVTTile } from '@maplibre/geojson-vt';
import type { Feature } from 'geojson';
import { BUFFER, EXTENT } from './compose.js';

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/**
 * Cuts and encodes one vector tile in Node from the features PostGIS selected for it (the
 * embedded database's path; see compose.ts). geojson-vt clips to the same buffer and
 * quantises to the same extent as ST_AsMVTGeom; the selections already simplified the
 * geometry to one tile unit, so it does not simplify again.
 */
export function encodeTile(layers: Record<string, Feature[]>, { z, x, y }: TileAddress): Uint8Array {
  const tiles: Record<string, GeoJSONVTTile> = {};
  for (const [name, features] of Object.entries(layers)) {
    if (features.length === 0) continue;
    const tile = geoJSONToTile({ type: 'FeatureCollection', features }, z, x, y, {
      extent: EXTENT,
      buffer: BUFFER,
      tolerance: 0,
      clip: true,
      wrap: false,
    }) as GeoJSONVTTile | null;
    if (tile && tile.features.length > 0) tiles[name] = tile;
  }
  if (Object.keys(tiles).length === 0) return new Uint8Array(0);
  return fromGeojsonVt(tiles, { version: 2, extent: EXTENT });
}
