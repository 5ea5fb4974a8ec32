import type { Map as MaplibreMap, VectorTileSource } from 'maplibre-gl';
import { BEFORE_LABELS, BEFORE_ROADS } from '../basemap-style';
import { cameraOverlay } from './cameras';
import { centerOverlay } from './centers';
import { geofenceOverlay } from './geofences';
import { gridOverlays } from './grids';
import { INCIDENT_SOURCE, incidentOverlay, incidentTiles, OVERDUE_LAYER, overdueFilter } from './incidents';
import type { OverlayContext, OverlayId, OverlayLayer, StyleOverlay } from './overlay';
import { patrolOverlay } from './patrols';
import { specialistGridOverlay } from './specialist-grids';

/** Drawn in this order (later on top); the heat map and patrol units are deck.gl layers. */
export const STYLE_OVERLAYS: readonly StyleOverlay[] = [
  ...gridOverlays,
  specialistGridOverlay,
  geofenceOverlay,
  patrolOverlay,
  cameraOverlay,
  incidentOverlay,
  centerOverlay,
];

/** The layer the heat map is drawn under: it sits over areas and lines, under every point. */
export const HEATMAP_BEFORE = 'incident-clusters';

const OPACITY_PAINT: Record<string, readonly string[]> = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity', 'icon-opacity'],
};

/** Each style layer's own opacities, which the panel's opacity slider scales. */
const baseOpacity = new Map<string, Record<string, number>>();

function slotBefore(map: MaplibreMap, layer: OverlayLayer): string | undefined {
  const id = layer.slot === 'under-roads' ? BEFORE_ROADS : layer.slot === 'under-labels' ? BEFORE_LABELS : undefined;
  // `labels` and unslotted layers go on top, in the order they are added.
  // An external base map has other layer ids: then overlays simply go on top.
  return id && map.getLayer(id) ? id : undefined;
}

export function addStyleOverlays(map: MaplibreMap, ctx: OverlayContext, visible: (id: OverlayId) => boolean): void {
  const layers = STYLE_OVERLAYS.flatMap((overlay) => overlay.layers(ctx).map((layer) => ({ overlay, layer })));
  const ordered = [...layers.filter(({ layer }) => layer.slot !== 'labels'), ...layers.filter(({ layer }) => layer.slot === 'labels')];
  for (const overlay of STYLE_OVERLAYS) {
    for (const [id, source] of Object.entries(overlay.sources(ctx))) if (!map.getSource(id)) map.addSource(id, source);
  }
  for (const { overlay, layer } of ordered) {
    const { slot: _slot, ...spec } = layer;
    const paint = (spec.paint ?? {}) as Record<string, unknown>;
    baseOpacity.set(
      spec.id,
      Object.fromEntries((OPACITY_PAINT[spec.type] ?? []).map((key) => [key, typeof paint[key] === 'number' ? (paint[key] as number) : 1])),
    );
    const layout = { ...(spec as { layout?: object }).layout, visibility: visible(overlay.id) ? 'visible' : 'none' };
    map.addLayer({ ...spec, layout } as typeof spec, slotBefore(map, layer));
  }
}

export function overlayLayerIds(id: OverlayId, ctx: OverlayContext): string[] {
  return STYLE_OVERLAYS.find((o) => o.id === id)?.layers(ctx).map((l) => l.id) ?? [];
}

export function setOverlayVisibility(map: MaplibreMap, ids: readonly string[], visible: boolean): void {
  for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

export function setOverlayOpacity(map: MaplibreMap, ids: readonly string[], opacity: number): void {
  for (const id of ids) {
    if (!map.getLayer(id)) continue;
    for (const [key, base] of Object.entries(baseOpacity.get(id) ?? {})) map.setPaintProperty(id, key, base * opacity);
  }
}

/** New time window: the incident tiles of the new URL replace the old ones. */
export function setIncidentWindow(map: MaplibreMap, ctx: OverlayContext): void {
  const source = map.getSource<VectorTileSource>(INCIDENT_SOURCE);
  if (!source) return;
  source.setTiles([incidentTiles(ctx)]);
  // A tile still loading when the URL changes (a live refresh, a pan) is finished from the old
  // URL's request: MapLibre 5.24 re-parses it instead of fetching anew, and the old window's
  // incidents stay on the map. Once everything has loaded, the tiles in view are fetched again.
  map.once('idle', () => map.refreshTiles(INCIDENT_SOURCE));
}

export function setOverdueClock(map: MaplibreMap, nowSeconds: number): void {
  if (map.getLayer(OVERDUE_LAYER)) map.setFilter(OVERDUE_LAYER, overdueFilter(nowSeconds));
}

/** Clickable layers, most specific first: a click on a camera over a grid picks the camera. */
export function clickableLayers(): Array<[layer: string, kind: 'grid' | 'camera' | 'incident']> {
  const entries = STYLE_OVERLAYS.flatMap((o) => Object.entries(o.clickable ?? {})) as Array<[string, 'grid' | 'camera' | 'incident']>;
  const rank = { incident: 0, camera: 1, grid: 2 } as const;
  // Level 3 grids before level 2 before level 1: the smallest grid under the cursor.
  return entries.sort((a, b) => rank[a[1]] - rank[b[1]] || b[0].localeCompare(a[0]));
}
