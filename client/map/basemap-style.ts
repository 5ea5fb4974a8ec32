import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  LayerSpecification,
  Map as MaplibreMap,
  StyleSpecification,
} from 'maplibre-gl';
import { basemapColors as c, fontStacks } from './theme';
import { tileTemplate } from './tiles';

/** Our own base map: the vector tile set `basemap` (source layers landuse, water, waterways, roads, places). */
const BASEMAP = 'basemap';

/** First layer drawn above the base map's areas; grid fills are inserted before it. */
export const BEFORE_ROADS = 'roads-casing';
/** First label layer; grid outlines are inserted before it so labels stay on top. */
export const BEFORE_LABELS = 'waterway-labels';

const TOWN_LABELS = 'town-labels';
const TOWN_FILTER: ExpressionSpecification = ['==', ['get', 'kind'], 'town'];
const VILLAGE_LABELS = 'village-labels';
const VILLAGE_FILTER: ExpressionSpecification = [
  'all',
  ['==', ['get', 'kind'], 'village'],
  // Most important villages first, the rest once there is room for them.
  ['any', ['<=', ['get', 'rank'], 3], ['>=', ['zoom'], 13]],
];

/**
 * Level-1 grids are the towns and streets themselves, level-2 grids the villages and
 * communities: while their labels are on the map, the base map's label of the same
 * place only repeats it a few hundred metres away.
 */
export function shadowPlaceLabels(map: MaplibreMap, shadowed: { towns: boolean; villages: boolean }): void {
  for (const [layer, hide] of [
    [TOWN_LABELS, shadowed.towns],
    [VILLAGE_LABELS, shadowed.villages],
  ] as const) {
    if (map.getLayer(layer)) map.setLayoutProperty(layer, 'visibility', hide ? 'none' : 'visible');
  }
}

export interface BasemapStyleOptions {
  /**
   * Multiplier on text sizes. A 3840-px wall is read from the same distance as a
   * 1920-px one, so labels grow with the screen instead of shrinking to specks.
   */
  textScale?: number;
}

type Stops = Array<[zoom: number, value: number]>;

function byZoom(stops: Stops, base = 1.4): ExpressionSpecification {
  return ['interpolate', ['exponential', base], ['zoom'], ...stops.flat()] as ExpressionSpecification;
}

function roadClass(...classes: string[]): ExpressionSpecification {
  return ['in', ['get', 'class'], ['literal', classes]];
}

// Widths in px per class at zooms 9 / 12 / 15 / 18. Expressways read at district
// scale, streets and rural roads only once they can be told apart. The zoom curve
// must be the outermost expression (a MapLibre rule), so the class match sits
// inside each stop.
const ROAD_ZOOMS = [9, 12, 15, 18] as const;
const roadWidths: Record<'expressway' | 'primary' | 'secondary' | 'street' | 'rural', readonly number[]> = {
  expressway: [1.4, 3, 8, 22],
  primary: [0.9, 2.2, 6, 16],
  secondary: [0.5, 1.5, 4.5, 12],
  street: [0.2, 0.9, 3, 9],
  rural: [0.2, 0.8, 2.2, 6],
};

function roadWidth(extra: readonly number[] = [0, 0, 0, 0]): ExpressionSpecification {
  const stops = ROAD_ZOOMS.flatMap((zoom, i) => {
    const w = (name: keyof typeof roadWidths) => roadWidths[name][i]! + extra[i]!;
    return [
      zoom,
      ['match', ['get', 'class'],
        'expressway', w('expressway'),
        'primary', w('primary'),
        'secondary', w('secondary'),
        'street', w('street'),
        w('rural')],
    ];
  });
  return ['interpolate', ['exponential', 1.4], ['zoom'], ...stops] as unknown as ExpressionSpecification;
}

function size(px: number, scale: number): number {
  return Math.round(px * scale * 10) / 10;
}

export function buildBasemapStyle(options: BasemapStyleOptions = {}): StyleSpecification {
  const s = options.textScale ?? 1;
  const textSize = (stops: Stops): DataDrivenPropertyValueSpecification<number> =>
    byZoom(stops.map(([z, px]) => [z, size(px, s)]), 1.2);
  const haloWidth = size(1.6, Math.sqrt(s));

  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': c.background } },

    {
      id: 'landuse',
      type: 'fill',
      source: BASEMAP,
      'source-layer': 'landuse',
      paint: {
        'fill-color': ['match', ['get', 'kind'], 'urban', c.landuse.urban, 'town', c.landuse.town, c.landuse.village],
        'fill-opacity': byZoom([[8, 0.7], [14, 1]]),
        'fill-antialias': true,
      },
    },

    {
      id: 'water',
      type: 'fill',
      source: BASEMAP,
      'source-layer': 'water',
      paint: { 'fill-color': c.water, 'fill-outline-color': c.waterOutline },
    },
    {
      id: 'waterways',
      type: 'line',
      source: BASEMAP,
      'source-layer': 'waterways',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], 'river', c.river, c.stream],
        'line-width': [
          'interpolate', ['exponential', 1.4], ['zoom'],
          9, ['match', ['get', 'class'], 'river', 1.2, 0.3],
          13, ['match', ['get', 'class'], 'river', 3, 1.2],
          17, ['match', ['get', 'class'], 'river', 10, 4],
        ],
      },
    },

    // A thin dark casing only under the main network: it separates crossing roads
    // without making the base map busier at district zoom.
    {
      id: BEFORE_ROADS,
      type: 'line',
      source: BASEMAP,
      'source-layer': 'roads',
      filter: roadClass('expressway', 'primary'),
      minzoom: 11,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': c.roadCasing,
        'line-width': roadWidth([1, 1, 2, 3]),
        'line-opacity': 0.8,
      },
    },
    {
      id: 'roads',
      type: 'line',
      source: BASEMAP,
      'source-layer': 'roads',
      layout: {
        'line-cap': 'round',
        'line-join': 'round',
        // Bigger roads drawn last so they stay continuous over minor ones.
        'line-sort-key': ['match', ['get', 'class'], 'expressway', 5, 'primary', 4, 'secondary', 3, 'street', 2, 1],
      },
      // Zoom in filters is evaluated per integer tile zoom, hence whole-number thresholds.
      filter: [
        'any',
        roadClass('expressway', 'primary'),
        ['all', roadClass('secondary'), ['>=', ['zoom'], 10]],
        ['all', roadClass('street', 'rural'), ['>=', ['zoom'], 11]],
      ],
      paint: {
        'line-color': [
          'match',
          ['get', 'class'],
          'expressway', c.road.expressway,
          'primary', c.road.primary,
          'secondary', c.road.secondary,
          'street', c.road.street,
          c.road.rural,
        ],
        'line-width': roadWidth(),
      },
    },

    // Labels, lowest priority first: MapLibre places symbols of upper layers first,
    // so what matters most (grids, towns) sits at the end of this list.
    {
      id: BEFORE_LABELS,
      type: 'symbol',
      source: BASEMAP,
      'source-layer': 'waterways',
      minzoom: 12,
      filter: ['==', ['get', 'class'], 'river'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': fontStacks.regular,
        'text-size': textSize([[12, 11], [16, 14]]),
        'text-letter-spacing': 0.2,
        'symbol-spacing': 400 * s,
      },
      paint: { 'text-color': c.label.water, 'text-halo-color': c.labelHalo, 'text-halo-width': haloWidth },
    },
    {
      id: 'road-labels',
      type: 'symbol',
      source: BASEMAP,
      'source-layer': 'roads',
      minzoom: 13,
      filter: roadClass('expressway', 'primary', 'secondary'),
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': fontStacks.regular,
        'text-size': textSize([[13, 10], [17, 13]]),
        'symbol-spacing': 400 * s,
      },
      paint: { 'text-color': c.label.road, 'text-halo-color': c.labelHalo, 'text-halo-width': haloWidth },
    },
    {
      id: 'poi-dots',
      type: 'circle',
      source: BASEMAP,
      'source-layer': 'places',
      minzoom: 14,
      filter: ['==', ['get', 'kind'], 'poi'],
      paint: {
        'circle-radius': byZoom([[14, 2], [18, 4]]),
        'circle-color': c.label.poi,
        'circle-stroke-color': c.labelHalo,
        'circle-stroke-width': 1,
      },
    },
    {
      id: 'poi-labels',
      type: 'symbol',
      source: BASEMAP,
      'source-layer': 'places',
      minzoom: 14,
      filter: ['==', ['get', 'kind'], 'poi'],
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fontStacks.regular,
        'text-size': textSize([[14, 10.5], [18, 13]]),
        'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
        'text-radial-offset': 0.6,
        'text-justify': 'auto',
        'symbol-sort-key': ['get', 'rank'],
        'text-max-width': 8,
      },
      paint: { 'text-color': c.label.poi, 'text-halo-color': c.labelHalo, 'text-halo-width': haloWidth },
    },
    {
      id: VILLAGE_LABELS,
      type: 'symbol',
      source: BASEMAP,
      'source-layer': 'places',
      minzoom: 11.5,
      filter: VILLAGE_FILTER,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fontStacks.regular,
        'text-size': textSize([[11.5, 10.5], [16, 13]]),
        'symbol-sort-key': ['get', 'rank'],
        'text-padding': 4,
      },
      paint: { 'text-color': c.label.village, 'text-halo-color': c.labelHalo, 'text-halo-width': haloWidth },
    },
    {
      id: TOWN_LABELS,
      type: 'symbol',
      source: BASEMAP,
      'source-layer': 'places',
      minzoom: 9,
      filter: TOWN_FILTER,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fontStacks.regular,
        'text-size': textSize([[9, 11.5], [14, 15]]),
        'symbol-sort-key': ['get', 'rank'],
        'text-padding': 6,
      },
      paint: { 'text-color': c.label.town, 'text-halo-color': c.labelHalo, 'text-halo-width': haloWidth },
    },
    {
      id: 'district-labels',
      type: 'symbol',
      source: BASEMAP,
      'source-layer': 'places',
      maxzoom: 13,
      filter: ['==', ['get', 'kind'], 'district'],
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fontStacks.bold,
        'text-size': textSize([[8, 14], [12, 18]]),
        'text-letter-spacing': 0.3,
        'symbol-sort-key': ['get', 'rank'],
      },
      paint: { 'text-color': c.label.district, 'text-halo-color': c.labelHalo, 'text-halo-width': haloWidth * 1.2 },
    },
  ];

  return {
    version: 8,
    name: 'Pingan Map dark',
    // No `glyphs`: MapLibre then draws every label itself from the text-font stack
    // with the browser's local fonts (TinySDF). Nothing is fetched from outside.
    // Vector tiles from our server (docs/architecture.md, "The spatial API"): the same
    // for every user, cached by the browser and the server between data loads.
    sources: { [BASEMAP]: { type: 'vector', tiles: [tileTemplate('basemap')], minzoom: 0, maxzoom: 18 } },
    layers,
  };
}
