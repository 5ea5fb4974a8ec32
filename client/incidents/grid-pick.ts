import type { Map as MaplibreMap } from 'maplibre-gl';
import { gridLayerIds } from '../map/layers/grids';
import type { PickedGrid } from '../stores/map-pick';

/** The level-3 grid drawn under a map click, within a few pixels; null when none is shown there. */
export function gridAt(map: MaplibreMap, point: { x: number; y: number }): PickedGrid | null {
  const layer = gridLayerIds(3).fill;
  if (!map.getLayer(layer) || map.getLayoutProperty(layer, 'visibility') === 'none') return null;
  const box: [[number, number], [number, number]] = [[point.x - 4, point.y - 4], [point.x + 4, point.y + 4]];
  const hit = map.queryRenderedFeatures(box, { layers: [layer] }).find((f) => f.id !== undefined);
  return hit ? { id: Number(hit.id), name: String(hit.properties.name ?? hit.id) } : null;
}
