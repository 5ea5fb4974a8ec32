// Response shapes of the server API the client reads. They mirror the server's
// contract; the server validates, the client trusts and only narrows what it renders.

export type DatabaseMode = 'embedded' | 'external';

export interface HealthResponse {
  status: 'ok' | string;
  database: {
    mode: DatabaseMode;
    postgres: string;
    postgis: string;
    capabilities: { nativeMvt: boolean };
  };
}

export type LngLat = [lon: number, lat: number];
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface MapExtent {
  name: string;
  bbox: BBox;
  center: LngLat;
}

export type GridKind = 'general' | 'specialist';

export interface GridProperties {
  id: string | number;
  code: string;
  name: string;
  level: number;
  kind: GridKind;
  department: string | null;
}

export type Position = number[];

export interface GridFeature {
  type: 'Feature';
  id?: string | number;
  geometry:
    | { type: 'MultiPolygon'; coordinates: Position[][][] }
    | { type: 'Polygon'; coordinates: Position[][] };
  properties: GridProperties;
}

export interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}
