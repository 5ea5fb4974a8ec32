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
 * connect-src and img-src): the external style's own, or none for the built-in map. Tiles,
 * sprites and glyphs a style names on other hosts are not covered.
 */
export function basemapOrigins(settings: Pick<Config, 'BASEMAP_STYLE_URL'>): string[] {
  return settings.BASEMAP_STYLE_URL ? [new URL(settings.BASEMAP_STYLE_URL).origin] : [];
}
