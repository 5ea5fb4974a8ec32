import { ScatterplotLayer } from '@deck.gl/layers';
import { getJson } from '../http/get-json';
import type { LivePosition } from '../live/messages';
import { patrolColor, rgbOf } from './theme';

export interface PatrolUnitPosition {
  id: number;
  callsign: string;
  kind: string;
  position: [number, number];
  reportedAt: string;
}

interface PositionCollection {
  features: Array<{
    id: number;
    geometry: { coordinates: [number, number] };
    properties: { unit_id: number; callsign: string; kind: string; reported_at: string };
  }>;
}

export async function loadPatrolPositions(signal: AbortSignal): Promise<PatrolUnitPosition[]> {
  const body = await getJson<PositionCollection>('/api/patrols/positions', signal);
  return body.features.map((f) => ({
    id: f.properties.unit_id,
    callsign: f.properties.callsign,
    kind: f.properties.kind,
    position: f.geometry.coordinates,
    reportedAt: f.properties.reported_at,
  }));
}

/**
 * The units after live position reports: a unit moves to a newer report (an older one,
 * replayed or late, is ignored); a unit not drawn yet joins.
 */
export function withLivePositions(units: readonly PatrolUnitPosition[], reports: readonly LivePosition[]): PatrolUnitPosition[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const p of reports) {
    const known = byId.get(p.unitId);
    if (known && Date.parse(known.reportedAt) > Date.parse(p.reportedAt)) continue;
    byId.set(p.unitId, { id: p.unitId, callsign: p.callsign, kind: known?.kind ?? '', position: p.location, reportedAt: p.reportedAt });
  }
  return [...byId.values()];
}

const GREEN = rgbOf(patrolColor);
/** A unit silent for this long is drawn dimmed: its position is no longer current. */
const STALE_MS = 15 * 60_000;

/** Latest position of each unit; positions glide to new reports instead of jumping. */
export function patrolUnitsLayer(units: readonly PatrolUnitPosition[], project: (p: [number, number]) => [number, number], now: number, opacity: number, selectedId: number | null, zoom: number) {
  // Small at district zoom, where a hundred units share the screen with everything else.
  const size = zoom < 13 ? 4 : 6.5;
  return new ScatterplotLayer<PatrolUnitPosition>({
    id: 'patrol-units',
    data: units,
    pickable: true,
    opacity,
    getPosition: (u) => project(u.position),
    radiusUnits: 'pixels',
    getRadius: (u) => (u.id === selectedId ? 9 : size),
    getFillColor: (u) => [...GREEN, now - Date.parse(u.reportedAt) > STALE_MS ? 110 : 255],
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: (u) => (u.id === selectedId ? 3 : size > 5 ? 2 : 1),
    getLineColor: (u) => (u.id === selectedId ? [255, 255, 255] : [6, 16, 33]),
    transitions: { getPosition: 1500 },
    updateTriggers: { getRadius: [selectedId, size], getLineWidth: [selectedId, size], getLineColor: selectedId, getFillColor: now },
  });
}
