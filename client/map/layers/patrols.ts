import { patrolColor } from '../theme';
import { tileTemplate } from '../tiles';
import { byZoom, datumQuery, vectorSource, type StyleOverlay } from './overlay';

const SOURCE = 'patrol-routes';

/** Planned patrol routes; the units' live positions are a deck.gl layer (patrol-units.ts). */
export const patrolOverlay: StyleOverlay = {
  id: 'patrols',
  sources: (ctx) => ({ [SOURCE]: vectorSource(tileTemplate('patrol-routes', datumQuery(ctx))) }),
  layers: () => [
    {
      id: 'patrol-routes',
      slot: 'under-labels',
      type: 'line',
      source: SOURCE,
      'source-layer': 'patrol_routes',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': patrolColor, 'line-width': byZoom([[10, 1.2], [16, 3]]), 'line-dasharray': [2, 1.5], 'line-opacity': 0.75 },
    },
  ],
};
