import type { FeatureCollection, Geometry } from 'geojson';
import bbox from '@turf/bbox';
import type { ExpressionSpecification, GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import { getJson } from '../../http/get-json';
import type { Project } from '../datum';
import { basemapColors, fontStacks, geofenceColor } from '../theme';
import { byZoom, type StyleOverlay } from './overlay';

export const GEOFENCE_SOURCE = 'geofences';

/** A key area as GET /api/geofences lists it. */
export interface GeofenceProperties {
  id: number;
  name: string;
  kind: string;
  startsAt: string;
  endsAt: string | null;
  centerId: number;
  active: boolean;
  alerts: number;
}

export type GeofenceCollection = FeatureCollection<Geometry, GeofenceProperties>;

const EMPTY: GeofenceCollection = { type: 'FeatureCollection', features: [] };
const AREA: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];

/**
 * Key areas (重点区域) with an active or future window: a tinted area, a dashed rim (solid
 * once active) and the name. Few and small, so they come as one GeoJSON document
 * (geofences are not tiled) that `loadGeofences` fills and refreshes.
 */
export const geofenceOverlay: StyleOverlay = {
  id: 'geofences',
  sources: () => ({ [GEOFENCE_SOURCE]: { type: 'geojson', data: EMPTY } }),
  layers: (ctx) => [
    // Plain numbers for the opacities: the layer panel's slider scales them (catalogue.ts).
    {
      id: 'geofence-fill',
      slot: 'under-labels',
      type: 'fill',
      source: GEOFENCE_SOURCE,
      filter: ['all', AREA, ['get', 'active']],
      paint: { 'fill-color': geofenceColor, 'fill-opacity': 0.16 },
    },
    {
      id: 'geofence-fill-future',
      slot: 'under-labels',
      type: 'fill',
      source: GEOFENCE_SOURCE,
      filter: ['all', AREA, ['!', ['get', 'active']]],
      paint: { 'fill-color': geofenceColor, 'fill-opacity': 0.06 },
    },
    {
      id: 'geofence-line',
      slot: 'under-labels',
      type: 'line',
      source: GEOFENCE_SOURCE,
      filter: ['all', AREA, ['get', 'active']],
      paint: { 'line-color': geofenceColor, 'line-width': byZoom([[10, 1.5], [16, 3]]), 'line-opacity': 0.95 },
    },
    {
      id: 'geofence-line-future',
      slot: 'under-labels',
      type: 'line',
      source: GEOFENCE_SOURCE,
      filter: ['all', AREA, ['!', ['get', 'active']]],
      paint: { 'line-color': geofenceColor, 'line-width': byZoom([[10, 1], [16, 2]]), 'line-dasharray': [2, 2], 'line-opacity': 0.8 },
    },
    {
      id: 'geofence-labels',
      slot: 'labels',
      type: 'symbol',
      source: GEOFENCE_SOURCE,
      // One name per area, at its label point: a polygon's own label repeats in every tile it spans.
      filter: ['==', ['geometry-type'], 'Point'],
      minzoom: 12,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fontStacks.bold,
        'text-size': 12 * ctx.textScale,
        'text-max-width': 8,
        'text-optional': true,
      },
      paint: { 'text-color': '#fecdd3', 'text-halo-color': basemapColors.labelHalo, 'text-halo-width': 1.5, 'text-opacity': 1 },
    },
  ],
};

/** Moves every position of a GeoJSON geometry onto the base map's datum. */
function projectGeometry(geometry: Geometry, project: Project): Geometry {
  const ring = (positions: number[][]) => positions.map(([lon, lat]) => project(lon!, lat!));
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: geometry.coordinates.map(ring) };
  if (geometry.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map(ring)) };
  return geometry;
}

/** Fetches the key areas of the jurisdiction and draws them; answers what it drew. */
export async function loadGeofences(map: MaplibreMap, project: Project, signal?: AbortSignal): Promise<GeofenceCollection> {
  const data = await getJson<GeofenceCollection>('/api/geofences', signal);
  const areas = data.features.map((f) => ({ ...f, geometry: projectGeometry(f.geometry, project) }));
  const labels = areas.map((f) => {
    const [minLon, minLat, maxLon, maxLat] = bbox(f);
    return { ...f, geometry: { type: 'Point' as const, coordinates: [(minLon + maxLon) / 2, (minLat + maxLat) / 2] } };
  });
  map.getSource<GeoJSONSource>(GEOFENCE_SOURCE)?.setData({ ...data, features: [...areas, ...labels] });
  return data;
}
