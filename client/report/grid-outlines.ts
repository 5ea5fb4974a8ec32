import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Datum } from '../../server/tiles/datum';
import { BEFORE_LABELS } from '../map/basemap-style';
import { byZoom, vectorSource } from '../map/layers/overlay';
import { fontStacks, gridLevelColors } from '../map/theme';
import { tileTemplate } from '../map/tiles';

const SOURCE = 'report-grids';
const COLOR = gridLevelColors[3];

/**
 * The level-3 grids, outlined and named, on the report's small map: the worker sees
 * in whose grid the tapped place lies. The same cached tiles as the command map.
 */
export function addGridOutlines(map: MaplibreMap, datum: Datum): void {
  map.addSource(SOURCE, vectorSource(tileTemplate('grids', datum === 'wgs84' ? {} : { datum })));
  const before = map.getLayer(BEFORE_LABELS) ? BEFORE_LABELS : undefined;
  map.addLayer(
    {
      id: 'report-grid-lines',
      type: 'line',
      source: SOURCE,
      'source-layer': 'grids',
      minzoom: 10,
      filter: ['==', ['get', 'level'], 3],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLOR, 'line-width': byZoom([[11, 0.8], [17, 2]]), 'line-opacity': 0.8, 'line-dasharray': [3, 2] },
    },
    before,
  );
  map.addLayer({
    id: 'report-grid-labels',
    type: 'symbol',
    source: SOURCE,
    'source-layer': 'grid_labels',
    filter: ['==', ['get', 'level'], 3],
    layout: { 'text-field': ['get', 'name'], 'text-font': fontStacks.regular, 'text-size': byZoom([[13, 11], [17, 13.5]]), 'text-max-width': 8, 'text-padding': 6 },
    paint: { 'text-color': COLOR, 'text-halo-color': '#061021', 'text-halo-width': 1.4 },
  });
}
