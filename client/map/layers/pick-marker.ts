import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import { pickColor } from '../theme';

// The spot a form has picked (stores/map-pick.ts), drawn above everything else: a ring
// around a dot, so the incident point it will become stays visible beneath it.

const SOURCE = 'pick-marker';
const LAYERS = ['pick-marker-halo', 'pick-marker-dot'] as const;

function pointData(position: [number, number] | null): FeatureCollection {
  return { type: 'FeatureCollection', features: position ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: position } }] : [] };
}

export function addPickMarkerLayers(map: MaplibreMap): void {
  map.addSource(SOURCE, { type: 'geojson', data: pointData(null) });
  map.addLayer({
    id: LAYERS[0],
    type: 'circle',
    source: SOURCE,
    paint: { 'circle-radius': 16, 'circle-color': pickColor, 'circle-opacity': 0.18, 'circle-stroke-color': pickColor, 'circle-stroke-width': 2 },
  });
  map.addLayer({
    id: LAYERS[1],
    type: 'circle',
    source: SOURCE,
    paint: { 'circle-radius': 5, 'circle-color': pickColor, 'circle-stroke-color': '#04121f', 'circle-stroke-width': 1.5 },
  });
}

/** Moves the marker to `position` (in the base map's datum), or removes it. */
export function showPickMarker(map: MaplibreMap, position: [number, number] | null): void {
  map.getSource<GeoJSONSource>(SOURCE)?.setData(pointData(position));
}
