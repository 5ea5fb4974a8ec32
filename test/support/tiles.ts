import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { cellX, cellY } from '../../server/incidents/cells.js';

/** One feature of a decoded vector tile, in tile units (0 … 4096 across the tile). */
export interface DecodedFeature {
  id: number | undefined;
  type: 'Point' | 'LineString' | 'Polygon';
  properties: Record<string, unknown>;
  rings: { x: number; y: number }[][];
}

const TYPES = { 1: 'Point', 2: 'LineString', 3: 'Polygon' } as const;

/** Decodes a tile with @mapbox/vector-tile (the reader MapLibre's own is built on): source layer → features. */
export function decodeTile(bytes: Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const type = TYPES[f.type as 1 | 2 | 3];
      features.push({ id: f.id, type, properties: { ...f.properties }, rings: f.loadGeometry().map((r) => r.map((p) => ({ x: p.x, y: p.y }))) });
    }
    out[name] = features;
  }
  return out;
}

/** The XYZ tile of zoom `z` holding a WGS84 point. */
export const tileOf = (lon: number, lat: number, z: number): { z: number; x: number; y: number } => ({ z, x: cellX(lon, z), y: cellY(lat, z) });

/** Twice the signed area of a feature's rings (outer rings and holes with their signs), in tile units². */
export const ringArea = (rings: { x: number; y: number }[][]): number =>
  rings.reduce((sum, ring) => sum + ring.reduce((a, p, i) => { const q = ring[(i + 1) % ring.length]!; return a + p.x * q.y - q.x * p.y; }, 0), 0);
