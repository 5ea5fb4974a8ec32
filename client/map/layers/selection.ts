import type { FilterSpecification, Map as MaplibreMap } from 'maplibre-gl';
import type { Selection } from '../map-url';
import { selectionColor } from '../theme';
import { GRID_SOURCE } from './grids';
import { INCIDENT_SOURCE } from './incidents';

/** Outline of the selected object, drawn above everything from the same tiles. */
const HIGHLIGHTS = {
  grid: { id: 'selected-grid', source: GRID_SOURCE, sourceLayer: 'grids' },
  camera: { id: 'selected-camera', source: 'cameras', sourceLayer: 'cameras' },
  incident: { id: 'selected-incident', source: INCIDENT_SOURCE, sourceLayer: 'incidents' },
} as const;

const NOTHING: FilterSpecification = ['==', ['id'], -1];

export function addSelectionLayers(map: MaplibreMap): void {
  const grid = HIGHLIGHTS.grid;
  map.addLayer({
    id: grid.id,
    type: 'line',
    source: grid.source,
    'source-layer': grid.sourceLayer,
    filter: NOTHING,
    layout: { 'line-join': 'round' },
    paint: { 'line-color': selectionColor, 'line-width': 4, 'line-blur': 1 },
  });
  for (const point of [HIGHLIGHTS.camera, HIGHLIGHTS.incident]) {
    map.addLayer({
      id: point.id,
      type: 'circle',
      source: point.source,
      'source-layer': point.sourceLayer,
      filter: NOTHING,
      paint: { 'circle-radius': 14, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': selectionColor, 'circle-stroke-width': 3 },
    });
  }
}

export function showSelection(map: MaplibreMap, selection: Selection | null): void {
  for (const [kind, layer] of Object.entries(HIGHLIGHTS)) {
    if (!map.getLayer(layer.id)) continue;
    map.setFilter(layer.id, selection?.kind === kind ? ['==', ['id'], selection.id] : NOTHING);
  }
}
