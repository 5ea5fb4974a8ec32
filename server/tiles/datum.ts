import gcoord from 'gcoord';
import type { Geometry, Position } from 'geojson';

/**
 * The datum overlays are drawn in. The data is stored in WGS84; a deployment whose base map
 * is GCJ-02 (高德/腾讯-style tiles, the obfuscated datum Chinese web maps must use) asks for
 * `datum=gcj02`, or every overlay lands 300–700 m off its streets. Pure (gcoord only, which
 * runs in browsers too): the tile server (repository.ts) and the client share it, so a
 * marker the client places itself lines up with the tiles.
 *
 * GCJ-02 is only defined inside China: gcoord returns any point outside its China box
 * unchanged, so there the shift is zero.
 *
 * Why per vertex and not one constant shift per tile: the GCJ-02 offset is a sum of
 * sinusoids (periods down to 1/3°); over the demo district it changes by up to ≈ 4 m per
 * km. A shift taken at the tile centre is therefore wrong towards the tile's corners by a
 * fixed share of the tile, whatever the zoom, and neighbouring tiles disagree along their
 * common edge by about twice that (a line crossing the edge would show a step). Measured
 * over the demo district (test/unit/datum.test.ts prints it: tiles meeting the district,
 * 17 × 17 vertices per tile; pixels of 512-px tiles, as MapLibre draws vector tiles):
 *
 *   zoom   worst error of the tile-centre shift        worst step at a tile edge
 *   10     34.0 m  = 0.44 px (3.6 tile units)          0.74 px
 *   14      5.52 m = 1.16 px (9.2 tile units)          1.83 px
 *   18      0.35 m = 1.18 px (9.4 tile units)          2.14 px
 *
 * — about a pixel, not far below one, so every vertex goes through gcoord
 * (`geometryToDatum`). The tile-centre shift (`tileDatumShift`) is still what finds a
 * tile's features: the tile's box is moved back by it, and what that misses towards the
 * corners (≤ 10 of 4096 tile units at any zoom) is well inside the 64-unit buffer.
 */
export const DATUMS = ['wgs84', 'gcj02'] as const;
export type Datum = (typeof DATUMS)[number];

/** Radius of the Web-Mercator sphere (EPSG:3857), metres. */
const R = 6378137;

/** `[lon, lat]` (WGS84) as it is drawn on a `datum` base map. */
export function toDatum(position: readonly number[], datum: Datum): [number, number] {
  const [lon, lat] = position as [number, number];
  if (datum === 'wgs84') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [x, y];
}

/** A copy of a GeoJSON geometry with every vertex moved into `datum`. */
export function geometryToDatum<G extends Geometry>(geometry: G, datum: Datum): G {
  if (datum === 'wgs84') return geometry;
  const move = (p: Position): Position => toDatum(p, datum);
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: move(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map(move) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((r) => r.map(move)) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(move))) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((g) => geometryToDatum(g, datum)) };
  }
}

/** The WGS84 `[lon, lat]` of a point drawn at `position` on a `datum` base map (the inverse of `toDatum`). */
export function fromDatum(position: readonly number[], datum: Datum): [number, number] {
  const [lon, lat] = position as [number, number];
  if (datum === 'wgs84') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [x, y];
}

/** WGS84 `[lon, lat]` to Web-Mercator metres. */
export const toMercator = ([lon, lat]: readonly number[]): [number, number] => [
  (R * lon! * Math.PI) / 180,
  R * Math.log(Math.tan(Math.PI / 4 + (lat! * Math.PI) / 360)),
];

/** How far (Web-Mercator metres, x east, y north) `datum` moves the point `[lon, lat]`. */
export function datumShift(position: readonly number[], datum: Datum): { dx: number; dy: number } {
  if (datum === 'wgs84') return { dx: 0, dy: 0 };
  const [x0, y0] = toMercator(position);
  const [x1, y1] = toMercator(toDatum(position, datum));
  return { dx: x1 - x0, dy: y1 - y0 };
}

/** The centre `[lon, lat]` of the XYZ tile z/x/y. */
export function tileCentre({ z, x, y }: { z: number; x: number; y: number }): [number, number] {
  const n = 2 ** z;
  const lon = ((x + 0.5) / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 0.5)) / n))) * 180) / Math.PI;
  return [lon, lat];
}

/**
 * The shift of the features drawn at the centre of tile z/x/y: what the tile's box is moved
 * back by to find the features drawn in it. Taken at the stored (WGS84) place that lands on
 * the centre, not at the centre itself: the two are 300–700 m apart, which at zoom 18 is
 * some 15,000 tile units, and the offset changes by up to 4 m per km.
 */
export function tileDatumShift(tile: { z: number; x: number; y: number }, datum: Datum): { dx: number; dy: number } {
  if (datum === 'wgs84') return { dx: 0, dy: 0 };
  const centre = tileCentre(tile);
  const [x1, y1] = toMercator(centre);
  const [x0, y0] = toMercator(fromDatum(centre, datum));
  return { dx: x1 - x0, dy: y1 - y0 };
}
