import { departmentColors } from '../theme';
import { tileTemplate } from '../tiles';
import { byZoom, datumQuery, matchColor, vectorSource, type StyleOverlay } from './overlay';

const SOURCE = 'specialist-grids';
const color = matchColor('department', departmentColors, '#94a3b8');

/** Specialist grids (专属网格) of the departments: dashed, so they never read as general grids. */
export const specialistGridOverlay: StyleOverlay = {
  id: 'specialist-grids',
  sources: (ctx) => ({ [SOURCE]: vectorSource(tileTemplate('specialist-grids', datumQuery(ctx))) }),
  layers: () => [
    {
      id: 'specialist-grids-fill',
      slot: 'under-roads',
      type: 'fill',
      source: SOURCE,
      'source-layer': 'specialist_grids',
      paint: { 'fill-color': color, 'fill-opacity': 0.08 },
    },
    {
      id: 'specialist-grids-line',
      slot: 'under-labels',
      type: 'line',
      source: SOURCE,
      'source-layer': 'specialist_grids',
      paint: { 'line-color': color, 'line-width': byZoom([[9, 1], [16, 2.5]]), 'line-dasharray': [1.5, 1.5], 'line-opacity': 0.9 },
    },
  ],
};
