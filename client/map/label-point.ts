import type { GridFeature, LngLat, Position } from '../http/api-types';

// Grid labels go on the pole of inaccessibility of the grid's largest part (the
// "polylabel" algorithm): a centroid can fall outside a crescent-shaped town, and
// MapLibre's own polygon label placement repeats a label in every tile a polygon
// spans. Computed once per grid on the client; grids are few at one level.

type Ring = Position[];
type Polygon = Ring[];

interface Cell {
  x: number;
  y: number;
  half: number;
  distance: number;
  max: number;
}

function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    sum += (b[0]! - a[0]!) * (b[1]! + a[1]!);
  }
  return sum / 2;
}

function polygonArea(polygon: Polygon): number {
  const [outer, ...holes] = polygon;
  if (!outer) return 0;
  return Math.abs(signedArea(outer)) - holes.reduce((acc, hole) => acc + Math.abs(signedArea(hole)), 0);
}

/** Signed distance from a point to the polygon outline: positive inside, negative outside. */
function pointToPolygonDistance(x: number, y: number, polygon: Polygon): number {
  let inside = false;
  let minDistSq = Infinity;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]!;
      const b = ring[j]!;
      const ax = a[0]!, ay = a[1]!, bx = b[0]!, by = b[1]!;
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      minDistSq = Math.min(minDistSq, segmentDistanceSq(x, y, ax, ay, bx, by));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(minDistSq);
}

function segmentDistanceSq(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let x = ax;
  let y = ay;
  let dx = bx - x;
  let dy = by - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

function makeCell(x: number, y: number, half: number, polygon: Polygon): Cell {
  const distance = pointToPolygonDistance(x, y, polygon);
  return { x, y, half, distance, max: distance + half * Math.SQRT2 };
}

function ringCentroidCell(polygon: Polygon): Cell {
  const ring = polygon[0]!;
  let area = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    const f = a[0]! * b[1]! - b[0]! * a[1]!;
    x += (a[0]! + b[0]!) * f;
    y += (a[1]! + b[1]!) * f;
    area += f * 3;
  }
  const first = ring[0]!;
  return area === 0 ? makeCell(first[0]!, first[1]!, 0, polygon) : makeCell(x / area, y / area, 0, polygon);
}

/** Pole of inaccessibility of a planar polygon, to within `precision` units. */
export function poleOfInaccessibility(polygon: Polygon, precision: number): [number, number] {
  const outer = polygon[0];
  if (!outer || outer.length === 0) throw new Error('empty polygon');
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of outer) {
    minX = Math.min(minX, p[0]!);
    minY = Math.min(minY, p[1]!);
    maxX = Math.max(maxX, p[0]!);
    maxY = Math.max(maxY, p[1]!);
  }
  const width = maxX - minX;
  const height = maxY - minY;
  const cellSize = Math.min(width, height);
  if (cellSize === 0) return [minX, minY];

  const queue: Cell[] = [];
  const half = cellSize / 2;
  for (let x = minX; x < maxX; x += cellSize) {
    for (let y = minY; y < maxY; y += cellSize) queue.push(makeCell(x + half, y + half, half, polygon));
  }

  let best = ringCentroidCell(polygon);
  const bboxCenter = makeCell(minX + width / 2, minY + height / 2, 0, polygon);
  if (bboxCenter.distance > best.distance) best = bboxCenter;

  // A sorted array stands in for a priority queue: a few hundred cells at most here.
  while (queue.length > 0) {
    queue.sort((a, b) => a.max - b.max);
    const cell = queue.pop()!;
    if (cell.distance > best.distance) best = cell;
    if (cell.max - best.distance <= precision) continue;
    const h = cell.half / 2;
    queue.push(
      makeCell(cell.x - h, cell.y - h, h, polygon),
      makeCell(cell.x + h, cell.y - h, h, polygon),
      makeCell(cell.x - h, cell.y + h, h, polygon),
      makeCell(cell.x + h, cell.y + h, h, polygon),
    );
  }
  return [best.x, best.y];
}

/**
 * Label anchor of a grid in WGS84. Longitudes are shrunk by cos(latitude) first so
 * "farthest from the edge" is measured in ground distance, not in degrees.
 */
export function gridLabelPoint(feature: GridFeature): LngLat | null {
  const polygons: Polygon[] =
    feature.geometry.type === 'MultiPolygon' ? feature.geometry.coordinates : [feature.geometry.coordinates];
  let largest: Polygon | undefined;
  let largestArea = -Infinity;
  for (const polygon of polygons) {
    const area = polygonArea(polygon);
    if (area > largestArea) {
      largest = polygon;
      largestArea = area;
    }
  }
  const firstPoint = largest?.[0]?.[0];
  if (!largest || !firstPoint) return null;

  const kx = Math.cos((firstPoint[1]! * Math.PI) / 180);
  const planar = largest.map((ring) => ring.map((p) => [p[0]! * kx, p[1]!]));
  // ~50 m: far below what anyone can see at the zooms where grid labels show.
  const [x, y] = poleOfInaccessibility(planar, 0.0005);
  return [x / kx, y];
}
