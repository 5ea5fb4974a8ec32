import { CATEGORIES } from '../../server/incidents/enums';
import type { OverlayId } from './layers/overlay';
import { cameraIconUrl } from './layers/camera-icons';
import { basemapColors, cameraSourceColors, categoryColors, centerColors, departmentColors, geofenceColor, gridLevelColors, overdueColor, patrolColor } from './theme';

/** One row of a layer's legend: a swatch drawn from the map's own palette, and an i18n key. */
export interface LegendItem {
  key: string;
  shape: 'area' | 'line' | 'dashed' | 'dot' | 'ring' | 'icon' | 'ramp';
  color: string;
  icon?: string;
}

export function legendFor(id: OverlayId): LegendItem[] {
  switch (id) {
    case 'grids-1':
    case 'grids-2':
    case 'grids-3': {
      const level = Number(id.slice(-1)) as 1 | 2 | 3;
      return [{ key: `layers.${id}`, shape: level === 3 ? 'dashed' : 'line', color: gridLevelColors[level] }];
    }
    case 'specialist-grids':
      return Object.entries(departmentColors).map(([department, color]) => ({ key: `departments.${department}`, shape: 'dashed', color }));
    case 'geofences':
      return [
        { key: 'legend.geofenceActive', shape: 'area', color: geofenceColor },
        { key: 'legend.geofenceUpcoming', shape: 'dashed', color: geofenceColor },
      ];
    case 'patrols':
      return [
        { key: 'legend.patrolRoute', shape: 'dashed', color: patrolColor },
        { key: 'legend.patrolUnit', shape: 'dot', color: patrolColor },
      ];
    case 'cameras':
      return [
        ...Object.keys(cameraSourceColors).map((source) => ({ key: `cameraSources.${source}`, shape: 'icon' as const, color: '', icon: cameraIconUrl(source, 'online') })),
        { key: 'cameraStatuses.offline', shape: 'icon', color: '', icon: cameraIconUrl('xueliang', 'offline') },
        { key: 'cameraStatuses.fault', shape: 'icon', color: '', icon: cameraIconUrl('xueliang', 'fault') },
      ];
    case 'incidents':
      return [
        ...CATEGORIES.map((category) => ({ key: `categories.${category}`, shape: 'dot' as const, color: categoryColors[category]! })),
        { key: 'legend.closed', shape: 'ring', color: '#94a3b8' },
        { key: 'legend.overdue', shape: 'ring', color: overdueColor },
      ];
    case 'heatmap':
      return [{ key: 'legend.heatRamp', shape: 'ramp', color: '' }];
    case 'centers':
      return [{ key: 'legend.center', shape: 'dot', color: centerColors.district! }];
  }
}

export const basemapLegend: LegendItem[] = [
  { key: 'legend.builtUp', shape: 'area', color: basemapColors.landuse.urban },
  { key: 'legend.water', shape: 'area', color: basemapColors.water },
  { key: 'legend.mainRoad', shape: 'line', color: basemapColors.road.expressway },
];
