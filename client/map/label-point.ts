import polylabel from 'polylabel';
import type { GridFeature, LngLat, Position } from '../http/api-types';

// Grid labels go on the pole of inaccessibility of the grid's largest part (Mapbox's
// polylabel): a centroid can fall outside a crescent-shaped town, and MapLibre's own
// polygon label placement repeats a label in every tile a polygon spans. Computed once
// per grid on the client; grids are few at one level.

type Polygon = Position[][];

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return Math.abs(sum / 2);
}

const polygonArea = ([outer, ...holes]: Polygon) => (outer ? ringArea(outer) - holes.reduce((s, h) => s + ringArea(h), 0) : 0);

/**
 * Label anchor of a grid in WGS84. Longitudes are shrunk by cos(latitude) first so
 * "farthest from the edge" is measured in ground distance, not in degrees.
 */
export function gridLabelPoint(feature: GridFeature): LngLat | null {
  const polygons: Polygon[] =
    feature.geometry.type === 'MultiPolygon' ? feature.geometry.coordinates : [feature.geometry.coordinates];
  const largest = polygons.reduce<Polygon | undefined>((best, p) => (!best || polygonArea(p) > polygonArea(best) ? p : best), undefined);
  const firstPoint = largest?.[0]?.[0];
  if (!largest || !firstPoint) return null;

  const kx = Math.cos((firstPoint[1]! * Math.PI) / 180);
  const planar = largest.map((ring) => ring.map((p): [number, number] => [p[0]! * kx, p[1]!]));
  // ~50 m: far below what anyone can see at the zooms where grid labels show.
  const [x, y] = polylabel(planar, 0.0005);
  return [x / kx, y];
}
