import { loadSql } from '../sql-files.js';

/**
 * One statement per tile, whatever the database can do. Each source layer's selection
 * (sql/<name>.sql) yields `id, geom (WGS84), props (jsonb)` for the tile described by the
 * CTE `tile` (sql/tile.sql); the statements below wrap all of a layer's selections:
 *
 * - native: `ST_AsMVT` of each selection cut by `ST_AsMVTGeom`, concatenated (a vector
 *   tile is the concatenation of its layers), for a PostGIS built with protobuf;
 * - GeoJSON: each selection as a GeoJSON feature array in one JSON object, for the
 *   embedded PostGIS, which has no protobuf, and for tiles in another datum than WGS84
 *   (GCJ-02) on any database; Node moves (datum.ts), cuts and encodes it (repository.ts,
 *   encode.ts).
 *
 * Only the files' text and the allow-listed layer names go into the statements; every
 * value is a parameter.
 */

export const SELECTIONS = [
  'grids',
  'grid-labels',
  'specialist-grids',
  'cameras',
  'camera-clusters',
  'camera-views',
  'patrol-routes',
  'centers',
  'incidents',
  'incident-clusters',
  'basemap-landuse',
  'basemap-water',
  'basemap-waterways',
  'basemap-roads',
  'basemap-places',
] as const;
export type Selection = (typeof SELECTIONS)[number];

/** A layer inside a tile (`source-layer` in a MapLibre style) and the selection that fills it. */
export interface SourceLayer {
  id: string;
  selection: Selection;
  /**
   * Groups counted per cell of the tile (clusters): each is drawn by one tile only, never
   * in a neighbour's buffer too. The selection picks the tile's own cells (tile.cx0 …); in
   * a shifted datum it picks a few more and Node keeps the groups that land in the tile.
   */
  ownTileOnly?: boolean;
}

/** Tile units across a tile and the buffer around it, the same for both encoders. */
export const EXTENT = 4096;
export const BUFFER = 64;

const sql = loadSql(import.meta.url, ['tile', ...SELECTIONS]);

const ctes = (layers: readonly SourceLayer[]): string =>
  [`tile AS (\n${sql.tile}\n)`, ...layers.map((l, i) => `s${i} AS (\n${sql[l.selection]}\n)`)].join(',\n');

/** Returns one row, `mvt bytea` (empty when nothing is in the tile). */
export function nativeStatement(layers: readonly SourceLayer[]): string {
  const parts = layers.map(
    (l, i) => `coalesce((SELECT ST_AsMVT(t, '${l.id}', ${EXTENT}, 'geom', 'id') FROM (
      SELECT s.id, s.props, ST_AsMVTGeom(ST_Transform(s.geom, 3857), tile.env, ${EXTENT}, ${BUFFER}, true) AS geom
      FROM s${i} AS s, tile) AS t WHERE t.geom IS NOT NULL), ''::bytea)`,
  );
  return `WITH ${ctes(layers)}\nSELECT ${parts.join('\n || ')} AS mvt`;
}

/** Returns one row, `layers text`: a JSON object of source-layer id → array of GeoJSON features. */
export function geoJsonStatement(layers: readonly SourceLayer[]): string {
  const parts = layers.map(
    (l, i) => `'${l.id}', (SELECT coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', s.id, 'geometry', ST_AsGeoJSON(s.geom, 7)::json, 'properties', s.props)), '[]'::json) FROM s${i} AS s)`,
  );
  return `WITH ${ctes(layers)}\nSELECT json_build_object(${parts.join(',\n')})::text AS layers`;
}
