import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import { cellX, cellY } from '../../server/incidents/cells';
import { CATEGORIES } from '../../server/incidents/enums';
import { decodePoints, type DecodedPoints } from '../../server/incidents/points-format';
import { apiFetch, isApiError } from '../http/get-json';
import type { BBox } from '../http/api-types';
import { heatRamp, rgbOf } from './theme';
import type { TimeWindow } from './time-window';

/** Heat-map cells are map tiles of zoom + CELL_ZOOM_OFFSET: 16 px squares on the 512-px tiles of MapLibre. */
const CELL_ZOOM_OFFSET = 5;
/** deck.gl's kernel is narrow (it falls to a fifth at 15 % of the radius): 60 px smooths 16-px cells into a surface. */
export const HEAT_RADIUS_PX = 60;

/**
 * Incidents for the heat map: every point of the window in the binary form (sorted by
 * time, so a playback frame is a contiguous slice), or — when the server refuses that
 * many (422) — its pre-aggregated cells, fetched per view.
 */
export type LoadedHeat = { mode: 'points'; points: DecodedPoints } | { mode: 'cells' };
/** What was loaded, and for which window. */
export type HeatData = LoadedHeat & { window: string };

export async function loadHeatPoints(bbox: BBox, window: TimeWindow, signal: AbortSignal): Promise<LoadedHeat> {
  const query = new URLSearchParams({
    bbox: bbox.join(','),
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
  });
  try {
    const response = await apiFetch(`/api/incidents/points?${query}`, { headers: { Accept: 'application/vnd.pingan.points' } }, { signal });
    return { mode: 'points', points: decodePoints(await response.arrayBuffer()) };
  } catch (error) {
    if (isApiError(error, 422)) return { mode: 'cells' };
    throw error;
  }
}

export interface ServerHeatmap {
  level: number;
  max: number;
  total: number;
  cells: [number, number, number][];
}

export async function loadHeatCells(bbox: BBox, zoom: number, window: TimeWindow, signal: AbortSignal): Promise<ServerHeatmap> {
  const query = new URLSearchParams({
    bbox: bbox.map((v) => v.toFixed(6)).join(','),
    zoom: String(Math.max(0, Math.min(17, Math.floor(zoom)))),
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
  });
  const response = await apiFetch(`/api/incidents/heatmap?${query}`, { headers: { Accept: 'application/json' } }, { signal });
  return (await response.json()) as ServerHeatmap;
}

/** Counted cells ready for the GPU: centre positions and counts. */
export interface HeatCells {
  positions: Float32Array;
  counts: Float32Array;
  length: number;
  /** Largest count of one cell. */
  max: number;
  /** Blur radius that turns these cells into a surface. */
  radiusPixels: number;
}

/**
 * The blur for cells of zoom `level` seen at map zoom `zoom`: HEAT_RADIUS_PX for the usual
 * 16-px cells, wider when the server counted coarser cells (long windows at street zooms),
 * so they still join up instead of showing as separate blobs.
 */
export function heatRadius(level: number, zoom: number): number {
  const cellPx = 512 * 2 ** (zoom - level);
  return Math.max(HEAT_RADIUS_PX, Math.round(1.25 * cellPx));
}

/** Index of the first point at or after `time` (points are oldest first). */
export function pointIndexAt(points: DecodedPoints, time: number): number {
  const target = (time - points.origin) / 1000;
  let lo = 0;
  let hi = points.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points.seconds[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts the points of `window` per cell of the map's zoom, in one pass. `frameStep`
 * (ms) also returns the largest count any single frame puts in one cell, so playback
 * can hold its colour scale fixed across frames.
 */
export function countCells(
  points: DecodedPoints,
  window: TimeWindow,
  zoom: number,
  project: (lon: number, lat: number) => [number, number],
  frameStep?: number,
): HeatCells & { frameMax: number } {
  const level = Math.floor(zoom) + CELL_ZOOM_OFFSET;
  const i0 = pointIndexAt(points, window.from);
  const i1 = pointIndexAt(points, window.to);
  const counts = new Map<number, number>();
  const perFrame = new Map<string, number>();
  const side = 2 ** level;
  let frameMax = 0;
  for (let i = i0; i < i1; i++) {
    const key = cellY(points.positions[2 * i + 1]!, level) * side + cellX(points.positions[2 * i]!, level);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (frameStep) {
      const frame = Math.floor((points.origin + points.seconds[i]! * 1000 - window.from) / frameStep);
      const frameKey = `${frame}:${key}`;
      const n = (perFrame.get(frameKey) ?? 0) + 1;
      perFrame.set(frameKey, n);
      if (n > frameMax) frameMax = n;
    }
  }
  const positions = new Float32Array(counts.size * 2);
  const values = new Float32Array(counts.size);
  let max = 0;
  let j = 0;
  for (const [key, n] of counts) {
    const cx = key % side;
    const cy = Math.floor(key / side);
    const [x, y] = project(cellLon(cx + 0.5, level), cellLat(cy + 0.5, level));
    positions[2 * j] = x;
    positions[2 * j + 1] = y;
    values[j] = n;
    if (n > max) max = n;
    j++;
  }
  return { positions, counts: values, length: counts.size, max, frameMax, radiusPixels: HEAT_RADIUS_PX };
}

export function serverCells(heatmap: ServerHeatmap, zoom: number, project: (lon: number, lat: number) => [number, number]): HeatCells {
  const positions = new Float32Array(heatmap.cells.length * 2);
  const counts = new Float32Array(heatmap.cells.length);
  heatmap.cells.forEach(([lon, lat, n], i) => {
    const [x, y] = project(lon, lat);
    positions[2 * i] = x;
    positions[2 * i + 1] = y;
    counts[i] = n;
  });
  return { positions, counts, length: heatmap.cells.length, max: heatmap.max, radiusPixels: heatRadius(heatmap.level, zoom) };
}

const cellLon = (x: number, level: number) => (x / 2 ** level) * 360 - 180;
const cellLat = (y: number, level: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** level))) * 180) / Math.PI;

let floatTargets: boolean | undefined;
/** deck.gl keeps weights in a float texture when it can, else in bytes scaled by 1/255. */
function weightsScale(): number {
  if (floatTargets === undefined) {
    const gl = document.createElement('canvas').getContext('webgl2');
    floatTargets = Boolean(gl?.getExtension('EXT_color_buffer_float'));
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  }
  return floatTargets ? 1 : 1 / 255;
}

/**
 * The GPU heat map. 'MEAN' makes each pixel the kernel-weighted mean of the nearby
 * cells' weights (deck.gl divides the weighted sum by the kernel sum), so with weights
 * fixed as √(count / scaleMax) in [0, 1] the colour domain is fixed too: a colour means
 * the same density in every frame of a playback and wherever the map moves, and only
 * the busiest cell (`scaleMax`) reaches the top. The square root keeps single incidents
 * visible next to a hot spot.
 */
export function heatmapLayer(cells: HeatCells, scaleMax: number, opacity: number, beforeId: string | undefined) {
  const scale = weightsScale();
  return new HeatmapLayer({
    id: 'incident-heatmap',
    beforeId,
    data: { length: cells.length, attributes: { getPosition: { value: cells.positions, size: 2 }, getWeight: { value: cells.counts.map((n) => Math.sqrt(n / Math.max(1, scaleMax))), size: 1 } } },
    aggregation: 'MEAN',
    radiusPixels: cells.radiusPixels,
    colorDomain: [0.03 * scale, 0.85 * scale],
    colorRange: heatRamp,
    opacity,
    // Frames change several times a second during playback: no debounce.
    debounceTimeout: 0,
  });
}

/** During playback the frame's incidents as dots (the tiles show the whole window, not a frame). */
export function framePointsLayer(points: DecodedPoints, positions: Float32Array, frame: TimeWindow, categoryColor: (category: string) => string) {
  const i0 = pointIndexAt(points, frame.from);
  const i1 = pointIndexAt(points, frame.to);
  const colors = new Uint8Array((i1 - i0) * 3);
  for (let i = i0; i < i1; i++) colors.set(rgbOf(categoryColor(CATEGORIES[points.categories[i]!] ?? 'other')), (i - i0) * 3);
  return new ScatterplotLayer({
    id: 'incident-frame-points',
    data: { length: i1 - i0, attributes: { getPosition: { value: positions.subarray(2 * i0, 2 * i1), size: 2 }, getFillColor: { value: colors, size: 3 } } },
    radiusUnits: 'pixels',
    getRadius: 5,
    stroked: true,
    getLineColor: [11, 21, 38],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
  });
}
