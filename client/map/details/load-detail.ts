import turfBbox from '@turf/bbox';
import { getJson } from '../../http/get-json';
import type { BBox, CameraDetail, GridDetail, IncidentDetail, LngLat, PatrolUnitDetail } from '../../http/api-types';
import type { Selection } from '../map-url';
import type { TimeWindow } from '../time-window';

export type Detail =
  | { kind: 'grid'; data: GridDetail }
  | { kind: 'camera'; data: CameraDetail }
  | { kind: 'incident'; data: IncidentDetail }
  | { kind: 'patrol'; data: PatrolUnitDetail };

/** One request per panel; grids count the incidents of the map's time window. */
export async function loadDetail(selection: Selection, window: TimeWindow, signal: AbortSignal): Promise<Detail> {
  const { kind, id } = selection;
  switch (kind) {
    case 'grid': {
      const query = new URLSearchParams({ from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() });
      return { kind, data: await getJson<GridDetail>(`/api/grids/${id}?${query}`, signal) };
    }
    case 'camera':
      return { kind, data: await getJson<CameraDetail>(`/api/cameras/${id}`, signal) };
    case 'incident':
      return { kind, data: await getJson<IncidentDetail>(`/api/incidents/${id}`, signal) };
    case 'patrol':
      return { kind, data: await getJson<PatrolUnitDetail>(`/api/patrols/units/${id}`, signal) };
  }
}

/** Where the map goes to show the object: a box for a grid, a point otherwise. */
export function detailTarget(detail: Detail): { bbox: BBox } | { point: LngLat } | null {
  switch (detail.kind) {
    case 'grid':
      return { bbox: turfBbox(detail.data.geometry) as BBox };
    case 'camera':
      return { point: detail.data.geometry.coordinates };
    case 'incident':
      return { point: detail.data.location };
    case 'patrol':
      return detail.data.lastPosition ? { point: detail.data.lastPosition.location } : null;
  }
}
