import { basemapColors, cameraSourceColors, fontStacks } from '../theme';
import { tileTemplate } from '../tiles';
import { byZoom, datumQuery, matchColor, vectorSource, type StyleOverlay } from './overlay';

const SOURCE = 'cameras';
const sourceColor = matchColor('source', cameraSourceColors, '#94a3b8');

/**
 * Cameras: counted groups below zoom 12, one badge per camera from 12 (icon per network,
 * offline ones grey and slashed), and each camera's field of view from zoom 16.
 */
export const cameraOverlay: StyleOverlay = {
  id: 'cameras',
  sources: (ctx) => ({ [SOURCE]: vectorSource(tileTemplate('cameras', datumQuery(ctx))) }),
  layers: (ctx) => [
    {
      id: 'camera-views',
      slot: 'under-labels',
      type: 'fill',
      source: SOURCE,
      'source-layer': 'camera_views',
      minzoom: 16,
      paint: {
        'fill-color': ['case', ['==', ['get', 'status'], 'online'], sourceColor, '#64748b'],
        'fill-opacity': 0.16,
        'fill-outline-color': sourceColor,
      },
    },
    {
      id: 'camera-clusters',
      type: 'circle',
      source: SOURCE,
      'source-layer': 'camera_clusters',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 5, 10, 14, 40, 26],
        'circle-color': '#0ea5e9',
        'circle-opacity': 0.55,
        'circle-stroke-color': '#7dd3fc',
        'circle-stroke-width': 1,
        'circle-stroke-opacity': 0.9,
      },
    },
    {
      id: 'camera-cluster-counts',
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'camera_clusters',
      filter: ['>=', ['get', 'count'], 5],
      layout: {
        'text-field': ['to-string', ['get', 'count']],
        'text-font': fontStacks.bold,
        'text-size': 10.5 * ctx.textScale,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#e0f2fe', 'text-halo-color': basemapColors.labelHalo, 'text-halo-width': 1, 'text-opacity': 1 },
    },
    {
      id: 'camera-icons',
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'cameras',
      layout: {
        'icon-image': ['concat', 'camera-', ['get', 'source'], '-', ['get', 'status']],
        'icon-size': byZoom([[12, 0.65], [16, 1]]),
        'icon-allow-overlap': ['step', ['zoom'], false, 15, true],
        'icon-ignore-placement': true,
        // Offline and faulty cameras on top: they are what an operator looks for.
        'symbol-sort-key': ['match', ['get', 'status'], 'online', 2, 1],
      },
      paint: { 'icon-opacity': 1 },
    },
  ],
  clickable: { 'camera-icons': 'camera' },
};
