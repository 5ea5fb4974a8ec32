import { basemapColors, centerColors, fontStacks } from '../theme';
import { tileTemplate } from '../tiles';
import { datumQuery, matchColor, vectorSource, type StyleOverlay } from './overlay';

const SOURCE = 'centers';

/** Governance centers (综治中心) at their three levels: a ringed dot sized by level, and the name. */
export const centerOverlay: StyleOverlay = {
  id: 'centers',
  sources: (ctx) => ({ [SOURCE]: vectorSource(tileTemplate('centers', datumQuery(ctx))) }),
  layers: (ctx) => [
    {
      id: 'center-dots',
      type: 'circle',
      source: SOURCE,
      'source-layer': 'centers',
      paint: {
        'circle-radius': ['match', ['get', 'level'], 'district', 8, 'town', 6, 4.5],
        'circle-color': matchColor('level', centerColors, '#e2e8f0'),
        'circle-stroke-color': '#dc2626',
        'circle-stroke-width': ['match', ['get', 'level'], 'district', 3, 2],
        'circle-opacity': 1,
        'circle-stroke-opacity': 1,
      },
    },
    {
      id: 'center-labels',
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'centers',
      minzoom: 10,
      // Town centers from 10, village centers only once villages have room (13).
      filter: ['any', ['!=', ['get', 'level'], 'village'], ['>=', ['zoom'], 13]],
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fontStacks.regular,
        'text-size': 11 * ctx.textScale,
        'text-anchor': 'top',
        'text-offset': [0, 0.9],
        'text-max-width': 10,
        'text-optional': true,
      },
      paint: { 'text-color': '#fecaca', 'text-halo-color': basemapColors.labelHalo, 'text-halo-width': 1.5, 'text-opacity': 1 },
    },
  ],
};
