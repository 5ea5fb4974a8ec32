// The command map's view in the page URL, so a view can be shared or bookmarked:
//   ?at=<lon>,<lat>,<zoom>&layers=<id>,<id>&sel=<kind>:<id>&t=<window>
// Pure: parsing never throws; anything unreadable falls back to the default.
import type { LngLat } from '../http/api-types';
import { formatChoice, parseChoice, type TimeWindowChoice } from './time-window';

export const SELECTION_KINDS = ['grid', 'camera', 'incident', 'patrol'] as const;
export type SelectionKind = (typeof SELECTION_KINDS)[number];

export interface Selection {
  kind: SelectionKind;
  id: number;
}

export interface MapUrlState {
  view: { center: LngLat; zoom: number } | null;
  layers: string[] | null;
  selection: Selection | null;
  time: TimeWindowChoice | null;
}

type Query = Record<string, string | null | undefined | (string | null)[]>;

function first(value: Query[string]): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function parseMapUrl(query: Query, knownLayers: readonly string[]): MapUrlState {
  return {
    view: parseView(first(query.at)),
    layers: parseLayers(first(query.layers), knownLayers),
    selection: parseSelection(first(query.sel)),
    time: parseChoice(first(query.t)),
  };
}

function parseView(text: string | null): MapUrlState['view'] {
  const parts = text?.split(',').map(Number);
  if (!parts || parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [lon, lat, zoom] = parts as [number, number, number];
  if (Math.abs(lon) > 180 || Math.abs(lat) > 85 || zoom < 0 || zoom > 22) return null;
  return { center: [lon, lat], zoom };
}

function parseLayers(text: string | null, known: readonly string[]): string[] | null {
  if (text === null) return null;
  return text.split(',').filter((id) => known.includes(id));
}

export function parseSelection(text: string | null): Selection | null {
  const match = /^([a-z]+):(\d{1,15})$/.exec(text ?? '');
  if (!match || !(SELECTION_KINDS as readonly string[]).includes(match[1]!)) return null;
  return { kind: match[1] as SelectionKind, id: Number(match[2]) };
}

export function formatSelection(selection: Selection): string {
  return `${selection.kind}:${selection.id}`;
}

/** The query for a view; keys not ours (e.g. `e2e`) are the caller's to keep. */
export function formatMapUrl(state: { center: LngLat; zoom: number; layers: readonly string[]; selection: Selection | null; time: TimeWindowChoice }) {
  const [lon, lat] = state.center;
  return {
    at: `${lon.toFixed(5)},${lat.toFixed(5)},${state.zoom.toFixed(2)}`,
    layers: state.layers.join(','),
    sel: state.selection ? formatSelection(state.selection) : undefined,
    t: formatChoice(state.time),
  };
}
