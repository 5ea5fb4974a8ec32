import type { Config } from '../config.js';

export type BasemapSettings = Pick<Config, 'BASEMAP_STYLE_URL' | 'BASEMAP_DATUM'>;

/** What `GET /api/map/config` tells the client about its base map. */
export interface MapConfig {
  basemap: {
    /** 'builtin': the offline base map this server draws (/tiles/basemap); else the URL of a MapLibre style JSON. */
    style: string;
    /** Datum of the base map's tiles; the client shifts WGS84 data onto GCJ-02 tiles. */
    datum: 'wgs84' | 'gcj02';
    /** Credit line for the base map, when the server knows one (an external style carries its own in its sources). */
    attribution?: string;
  };
}

export function mapConfig(settings: BasemapSettings): MapConfig {
  return { basemap: { style: settings.BASEMAP_STYLE_URL ?? 'builtin', datum: settings.BASEMAP_DATUM } };
}

/**
 * Origins the browser must be allowed to fetch the base map from (Content-Security-Policy
 * connect-src and img-src): the external style's own and the BASEMAP_ORIGINS its tiles,
 * sprites and glyphs come from; none for the built-in map.
 */
export function basemapOrigins(settings: Pick<Config, 'BASEMAP_STYLE_URL' | 'BASEMAP_ORIGINS'>): string[] {
  if (!settings.BASEMAP_STYLE_URL) return [];
  return [...new Set([new URL(settings.BASEMAP_STYLE_URL).origin, ...(settings.BASEMAP_ORIGINS ?? [])])];
}
