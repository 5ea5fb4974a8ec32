import { basemapColors, fontStacks, gridLevelColors } from '../theme';
import { tileTemplate } from '../tiles';
import { byZoom, datumQuery, vectorSource, type OverlayContext, type OverlayLayer, type StyleOverlay } from './overlay';

type Level = 1 | 2 | 3;

// Level 1 reads at district zoom, level 3 only once streets are visible; the tiles
// carry level 2 from zoom 8 and level 3 from 10, labels from 8 / 11 / 13.
const LINE_WIDTH: Record<Level, Array<[number, number]>> = {
  1: [[9, 2.2], [15, 4.5]],
  2: [[9, 1], [15, 2.6]],
  3: [[11, 0.6], [16, 1.6]],
};
const LABEL_SIZE: Record<Level, Array<[number, number]>> = {
  1: [[8, 13], [14, 19]],
  2: [[11, 11.5], [16, 15]],
  3: [[13, 11], [17, 13.5]],
};
const MIN_ZOOM: Record<Level, number> = { 1: 0, 2: 8, 3: 10 };

export const GRID_SOURCE = 'grids';

export function gridLayerIds(level: Level) {
  return { fill: `grids-${level}-fill`, line: `grids-${level}-line`, label: `grids-${level}-label` };
}

function gridOverlay(level: Level): StyleOverlay {
  const ids = gridLayerIds(level);
  const color = gridLevelColors[level];
  const isLevel = ['==', ['get', 'level'], level] as ['==', ['get', string], number];
  return {
    id: `grids-${level}`,
    sources: (ctx: OverlayContext) => ({ [GRID_SOURCE]: vectorSource(tileTemplate('grids', datumQuery(ctx))) }),
    layers: (ctx: OverlayContext): OverlayLayer[] => [
      {
        id: ids.fill,
        slot: 'under-roads',
        type: 'fill',
        source: GRID_SOURCE,
        'source-layer': 'grids',
        minzoom: MIN_ZOOM[level],
        filter: isLevel,
        // Faint: three levels stack, and the fill mostly exists to be clicked.
        paint: { 'fill-color': color, 'fill-opacity': 0.05 },
      },
      {
        id: ids.line,
        slot: 'under-labels',
        type: 'line',
        source: GRID_SOURCE,
        'source-layer': 'grids',
        minzoom: MIN_ZOOM[level],
        filter: isLevel,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': color,
          'line-width': byZoom(LINE_WIDTH[level]),
          'line-opacity': level === 1 ? 0.95 : 0.85,
          ...(level === 3 ? { 'line-dasharray': [3, 2] } : {}),
        },
      },
      {
        id: ids.label,
        slot: 'labels',
        type: 'symbol',
        source: GRID_SOURCE,
        'source-layer': 'grid_labels',
        filter: isLevel,
        layout: {
          'text-field': ['get', 'name'],
          'text-font': level === 3 ? fontStacks.regular : fontStacks.bold,
          'text-size': byZoom(LABEL_SIZE[level].map(([z, px]) => [z, px * ctx.textScale])),
          'text-letter-spacing': 0.08,
          'text-max-width': 8,
          'text-padding': 6,
          // Upper levels win the collision pass.
          'symbol-sort-key': level,
        },
        paint: {
          'text-color': color,
          'text-halo-color': basemapColors.labelHalo,
          'text-halo-width': 2 * Math.sqrt(ctx.textScale),
          'text-halo-blur': 0.5,
          'text-opacity': 1,
        },
      },
    ],
    clickable: { [ids.fill]: 'grid' },
  };
}

/** Drawing order: level 1 last, so its lines lie on the finer levels' shared boundaries and its names win. */
export const gridOverlays: StyleOverlay[] = [gridOverlay(3), gridOverlay(2), gridOverlay(1)];
