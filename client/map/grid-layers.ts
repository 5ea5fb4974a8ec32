import type { GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import type { GridCollection, GridFeature, LngLat } from '../http/api-types';
import { gridLabelPoint } from './label-point';
import { basemapColors, fontStacks, gridColor, gridPalette } from './theme';
import { BEFORE_LABELS, BEFORE_ROADS } from './basemap-style';

export interface GridSummary {
  id: string | number;
  code: string;
  name: string;
  color: string;
}

export interface PreparedGrids {
  level: number;
  summaries: GridSummary[];
  polygons: { type: 'FeatureCollection'; features: Array<GridFeature & { properties: { color: string } }> };
  labels: {
    type: 'FeatureCollection';
    features: Array<{
      type: 'Feature';
      geometry: { type: 'Point'; coordinates: LngLat };
      properties: { id: string | number; code: string; name: string; color: string };
    }>;
  };
}

/** Vertices of a grid's rings, rounded to ~0.1 m, as keys. */
function vertexKeys(feature: GridFeature): Set<string> {
  const polygons = feature.geometry.type === 'MultiPolygon' ? feature.geometry.coordinates : [feature.geometry.coordinates];
  const keys = new Set<string>();
  for (const polygon of polygons) for (const ring of polygon) for (const p of ring) keys.add(`${p[0]!.toFixed(6)},${p[1]!.toFixed(6)}`);
  return keys;
}

/**
 * Palette index per grid (in the given order) such that grids sharing a boundary never
 * share a colour while the palette has one left. Sibling grids partition their parent
 * exactly, so neighbours share boundary vertices. Each grid starts from its own index
 * in code order and moves on only when a neighbour already took that colour.
 */
export function gridColorIndices(features: readonly GridFeature[], paletteSize: number): number[] {
  const owners = new Map<string, number[]>();
  features.forEach((feature, index) => {
    for (const key of vertexKeys(feature)) owners.set(key, [...(owners.get(key) ?? []), index]);
  });
  const neighbours = features.map(() => new Set<number>());
  for (const indices of owners.values()) {
    for (const a of indices) for (const b of indices) if (a !== b) neighbours[a]!.add(b);
  }
  const colours: number[] = [];
  features.forEach((_, index) => {
    const taken = new Set([...neighbours[index]!].filter((n) => n < index).map((n) => colours[n]!));
    let colour = index % paletteSize;
    for (let step = 0; step < paletteSize && taken.has(colour); step++) colour = (colour + 1) % paletteSize;
    colours.push(colour);
  });
  return colours;
}

/**
 * Colours are bound to code order (and to the neighbours of a grid), so a grid keeps
 * its colour across reloads and screens.
 */
export function prepareGrids(collection: GridCollection, level: number): PreparedGrids {
  const sorted = [...collection.features].sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  const colourIndices = gridColorIndices(sorted, gridPalette.length);
  const polygons = sorted.map((feature, index) => ({
    ...feature,
    properties: { ...feature.properties, color: gridColor(colourIndices[index]!) },
  }));
  const labels = polygons.flatMap((feature) => {
    const point = gridLabelPoint(feature);
    if (!point) return [];
    const { id, code, name, color } = feature.properties;
    return [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: point }, properties: { id, code, name, color } }];
  });
  return {
    level,
    summaries: polygons.map(({ properties: { id, code, name, color } }) => ({ id, code, name, color })),
    polygons: { type: 'FeatureCollection', features: polygons },
    labels: { type: 'FeatureCollection', features: labels },
  };
}

export function gridLayerIds(level: number) {
  const prefix = `grids-l${level}`;
  return {
    source: prefix,
    labelSource: `${prefix}-labels`,
    fill: `${prefix}-fill`,
    glow: `${prefix}-glow`,
    outline: `${prefix}-outline`,
    label: `${prefix}-label`,
  };
}

/**
 * Adds (or refreshes) one grid level. Fills sit under the roads so the network stays
 * crisp through the tint; outlines and labels go above the base map's labels.
 */
export function showGrids(map: MaplibreMap, grids: PreparedGrids, textScale = 1): void {
  const ids = gridLayerIds(grids.level);
  const polygonSource = map.getSource<GeoJSONSource>(ids.source);
  const labelSource = map.getSource<GeoJSONSource>(ids.labelSource);
  if (polygonSource && labelSource) {
    polygonSource.setData(grids.polygons);
    labelSource.setData(grids.labels);
    return;
  }

  // promoteId lets later feature-state (hover, selection) address a grid by its id.
  map.addSource(ids.source, { type: 'geojson', data: grids.polygons, promoteId: 'id' });
  map.addSource(ids.labelSource, { type: 'geojson', data: grids.labels });

  const before = (id: string) => (map.getLayer(id) ? id : undefined);

  map.addLayer(
    {
      id: ids.fill,
      type: 'fill',
      source: ids.source,
      paint: {
        'fill-color': ['get', 'color'],
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.16, 14, 0.08],
      },
    },
    before(BEFORE_ROADS),
  );
  // A wide, blurred, faint copy under the outline gives the "lit border" look of a
  // command wall and keeps boundaries visible over bright built-up areas.
  map.addLayer(
    {
      id: ids.glow,
      type: 'line',
      source: ids.source,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['get', 'color'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 6, 15, 12],
        'line-blur': ['interpolate', ['linear'], ['zoom'], 9, 4, 15, 8],
        'line-opacity': 0.35,
      },
    },
    before(BEFORE_LABELS),
  );
  map.addLayer(
    {
      id: ids.outline,
      type: 'line',
      source: ids.source,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['get', 'color'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.5, 15, 3],
      },
    },
    before(BEFORE_LABELS),
  );
  // Last layer = placed first by the collision pass, so grid names win over place names.
  map.addLayer({
    id: ids.label,
    type: 'symbol',
    source: ids.labelSource,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': fontStacks.bold,
      'text-size': ['interpolate', ['linear'], ['zoom'], 9, 14 * textScale, 14, 20 * textScale],
      'text-letter-spacing': 0.1,
      'text-max-width': 8,
      'text-padding': 8,
    },
    paint: {
      'text-color': ['get', 'color'],
      'text-halo-color': basemapColors.labelHalo,
      'text-halo-width': 2 * Math.sqrt(textScale),
      'text-halo-blur': 0.5,
    },
  });
}
