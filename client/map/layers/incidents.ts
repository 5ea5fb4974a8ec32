import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import { basemapColors, categoryColors, fontStacks, overdueColor } from '../theme';
import { tileTemplate } from '../tiles';
import { byZoom, datumQuery, matchColor, vectorSource, type OverlayContext, type StyleOverlay } from './overlay';

const SEVERITY_SCALE: ExpressionSpecification = ['match', ['get', 'severity'], 'critical', 1.6, 'high', 1.3, 'medium', 1.1, 1];

export const INCIDENT_SOURCE = 'incidents';
export const OVERDUE_LAYER = 'incident-overdue';

export function incidentTiles(ctx: OverlayContext): string {
  return tileTemplate('incidents', {
    from: new Date(ctx.window.from).toISOString(),
    to: new Date(ctx.window.to).toISOString(),
    ...datumQuery(ctx),
  });
}

/** Open incidents past their deadline; `due` is in the tile so a cached tile stays right. */
export function overdueFilter(nowSeconds: number): FilterSpecification {
  return ['all', ['!=', ['get', 'status'], 'closed'], ['has', 'due'], ['<', ['get', 'due'], nowSeconds]];
}

/**
 * Incidents of the time window: counts per small cell below zoom 13, points from 13
 * coloured by category and sized by severity; closed ones hollow, overdue ones ringed red.
 */
export const incidentOverlay: StyleOverlay = {
  id: 'incidents',
  sources: (ctx) => ({ [INCIDENT_SOURCE]: vectorSource(incidentTiles(ctx)) }),
  layers: (ctx) => [
    {
      id: 'incident-clusters',
      type: 'circle',
      source: INCIDENT_SOURCE,
      'source-layer': 'incident_clusters',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 4, 5, 9, 20, 20],
        'circle-color': ['interpolate', ['linear'], ['get', 'count'], 1, '#fb923c', 10, '#ef4444', 50, '#b91c1c'],
        'circle-opacity': 0.75,
        'circle-stroke-color': '#fed7aa',
        'circle-stroke-width': 1,
        'circle-stroke-opacity': 0.8,
      },
    },
    {
      id: 'incident-cluster-counts',
      type: 'symbol',
      source: INCIDENT_SOURCE,
      'source-layer': 'incident_clusters',
      filter: ['>=', ['get', 'count'], 3],
      layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': fontStacks.bold, 'text-size': 10 * ctx.textScale, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff7ed', 'text-halo-color': basemapColors.labelHalo, 'text-halo-width': 1, 'text-opacity': 1 },
    },
    {
      id: OVERDUE_LAYER,
      type: 'circle',
      source: INCIDENT_SOURCE,
      'source-layer': 'incidents',
      filter: overdueFilter(ctx.nowSeconds),
      paint: {
        'circle-radius': byZoom([[13, 8], [18, 14]]),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': overdueColor,
        'circle-stroke-width': 2,
        'circle-opacity': 1,
        'circle-stroke-opacity': 1,
      },
    },
    {
      id: 'incident-points',
      type: 'circle',
      source: INCIDENT_SOURCE,
      'source-layer': 'incidents',
      layout: { 'circle-sort-key': ['match', ['get', 'severity'], 'critical', 4, 'high', 3, 'medium', 2, 1] },
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, ['*', 4, SEVERITY_SCALE], 18, ['*', 8, SEVERITY_SCALE]],
        'circle-color': ['case', ['==', ['get', 'status'], 'closed'], 'rgba(0,0,0,0)', matchColor('category', categoryColors, '#94a3b8')],
        'circle-stroke-color': ['case', ['==', ['get', 'status'], 'closed'], matchColor('category', categoryColors, '#94a3b8'), '#0b1526'],
        'circle-stroke-width': 1.5,
        'circle-opacity': 1,
        'circle-stroke-opacity': 1,
      },
    },
  ],
  clickable: { 'incident-points': 'incident', [OVERDUE_LAYER]: 'incident' },
};
