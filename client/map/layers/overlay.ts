import type { Datum } from '../../../server/tiles/datum';
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, VectorSourceSpecification } from 'maplibre-gl';
import type { TimeWindow } from '../time-window';

/** What the user toggles in the layer panel. */
export const OVERLAY_IDS = ['grids-1', 'grids-2', 'grids-3', 'specialist-grids', 'geofences', 'patrols', 'cameras', 'incidents', 'heatmap', 'centers'] as const;
export type OverlayId = (typeof OVERLAY_IDS)[number];

export type { Datum };

/** What the styles depend on: rebuilt sources or filters follow a change of these. */
export interface OverlayContext {
  datum: Datum;
  textScale: number;
  window: TimeWindow;
  /** Seconds since 1970: incidents whose `due` is before it are overdue (督办). */
  nowSeconds: number;
}

/**
 * Where a layer goes in the base map's stack (absent: on top, in catalogue order).
 * `labels` go above everything else: MapLibre places the symbols of upper layers first,
 * so grid names win the collision pass over counts and center names.
 */
export type Slot = 'under-roads' | 'under-labels' | 'labels';

export type OverlayLayer = LayerSpecification & { slot?: Slot };

export interface StyleOverlay {
  id: OverlayId;
  /** Sources by id; overlays may share one (the three grid levels share `grids`). */
  sources(ctx: OverlayContext): Record<string, SourceSpecification>;
  layers(ctx: OverlayContext): OverlayLayer[];
  /** Layers a click on the map can select, with what they select. */
  clickable?: Partial<Record<string, 'grid' | 'camera' | 'incident'>>;
}

export function datumQuery(ctx: OverlayContext): { datum?: string } {
  return ctx.datum === 'wgs84' ? {} : { datum: ctx.datum };
}

export function vectorSource(tiles: string, maxzoom = 18): VectorSourceSpecification {
  return { type: 'vector', tiles: [tiles], minzoom: 0, maxzoom };
}

type Stops = Array<[zoom: number, value: number]>;

export function byZoom(stops: Stops): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], ...stops.flat()] as ExpressionSpecification;
}

/** A `match` on one property with a fallback, from a record of colours. */
export function matchColor(property: string, colors: Record<string, string>, fallback: string): ExpressionSpecification {
  return ['match', ['get', property], ...Object.entries(colors).flat(), fallback] as unknown as ExpressionSpecification;
}
