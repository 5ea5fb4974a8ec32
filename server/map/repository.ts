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
  name: string;
  bbox: [minLon: number, minLat: number, maxLon: number, maxLat: number];
  center: [lon: number, lat: number];
}

/** The district the map opens on, or undefined while the database holds none. */
export async function findMapExtent(db: Queryable): Promise<MapExtent | undefined> {
  const { rows } = await db.query<{
    name: string;
    min_lon: number;
    min_lat: number;
    max_lon: number;
    max_lat: number;
    lon: number;
    lat: number;
  }>(sql.extent);
  const r = rows[0];
  if (!r) return undefined;
  return { name: r.name, bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat], center: [r.lon, r.lat] };
}

export function isBasemapLayer(name: string): name is BasemapLayer {
  return (BASEMAP_LAYERS as readonly string[]).includes(name);
}

/** One base-map layer as a serialised GeoJSON FeatureCollection (built by PostGIS, passed through as text). */
export async function basemapLayerGeoJson(db: Queryable, layer: BasemapLayer): Promise<string> {
  const { rows } = await db.query<{ body: string }>(sql[`basemap-${layer}`]);
  return rows[0]!.body;
}
