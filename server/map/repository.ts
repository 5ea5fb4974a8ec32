import type { CenterLevel } from '../auth/caller.js';
import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';

export const BASEMAP_LAYERS = ['landuse', 'water', 'waterways', 'roads', 'places'] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

const sql = loadSql(import.meta.url, [
  'extent',
  'basemap-landuse',
  'basemap-water',
  'basemap-waterways',
  'basemap-roads',
  'basemap-places',
]);

export interface MapExtent {
  /** The caller's center: the map frames its jurisdiction. */
  name: string;
  level: CenterLevel;
  bbox: [minLon: number, minLat: number, maxLon: number, maxLat: number];
  center: [lon: number, lat: number];
}

/** The jurisdiction the map opens on, or undefined while it has no grids. */
export async function findMapExtent(db: Queryable, scope: number): Promise<MapExtent | undefined> {
  const { rows } = await db.query<{
    name: string;
    level: CenterLevel;
    min_lon: number;
    min_lat: number;
    max_lon: number;
    max_lat: number;
    lon: number;
    lat: number;
  }>(sql.extent, [scope]);
  const r = rows[0];
  if (!r) return undefined;
  return { name: r.name, level: r.level, bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat], center: [r.lon, r.lat] };
}

export function isBasemapLayer(name: string): name is BasemapLayer {
  return (BASEMAP_LAYERS as readonly string[]).includes(name);
}

/** One base-map layer as a serialised GeoJSON FeatureCollection (built by PostGIS, passed through as text). */
export async function basemapLayerGeoJson(db: Queryable, layer: BasemapLayer): Promise<string> {
  const { rows } = await db.query<{ body: string }>(sql[`basemap-${layer}`]);
  return rows[0]!.body;
}
