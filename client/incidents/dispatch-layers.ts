import { LineLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { LngLat } from '../http/api-types';
import type { DispatchOverlay } from '../stores/dispatch-overlay';

const LINE: [number, number, number] = [56, 189, 248];
const CAMERA: [number, number, number] = [244, 114, 182];
const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Where a camera stands, from what the dispatch options say of it: its distance to the
 * incident and its bearing towards it (null: on the spot). Good to a metre over the few
 * hundred metres a camera sees.
 */
export function cameraSpot(incident: LngLat, distanceM: number, bearingToIncident: number | null): LngLat {
  if (bearingToIncident === null || distanceM <= 0) return incident;
  const back = ((bearingToIncident + 180) * Math.PI) / 180;
  const lat1 = (incident[1] * Math.PI) / 180;
  const lon1 = (incident[0] * Math.PI) / 180;
  const d = distanceM / EARTH_RADIUS_M;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(back));
  const lon2 = lon1 + Math.atan2(Math.sin(back) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return [(lon2 * 180) / Math.PI, (lat2 * 180) / Math.PI];
}

/**
 * The dispatch helper on the map: a line from the incident to each offered unit (to its
 * latest position when the map has a newer one than the options) and a ring on every
 * covering camera.
 */
export function dispatchLayers(overlay: DispatchOverlay, project: (p: LngLat) => [number, number], latest: (unitId: number) => LngLat | undefined) {
  const origin = project(overlay.origin);
  const units = overlay.units.map((u) => ({ id: u.id, position: project(latest(u.id) ?? u.location) }));
  return [
    new LineLayer<(typeof units)[number]>({
      id: 'dispatch-lines',
      data: units,
      getSourcePosition: () => origin,
      getTargetPosition: (u) => u.position,
      getColor: [...LINE, 220],
      getWidth: 2.5,
      widthUnits: 'pixels',
    }),
    new ScatterplotLayer<(typeof units)[number]>({
      id: 'dispatch-units',
      data: units,
      getPosition: (u) => u.position,
      radiusUnits: 'pixels',
      getRadius: 12,
      filled: false,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      getLineColor: [...LINE, 255],
    }),
    new ScatterplotLayer<DispatchOverlay['cameras'][number]>({
      id: 'dispatch-cameras',
      data: overlay.cameras,
      getPosition: (c) => project(c.location),
      radiusUnits: 'pixels',
      getRadius: 14,
      filled: false,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5,
      getLineColor: [...CAMERA, 255],
    }),
  ];
}
