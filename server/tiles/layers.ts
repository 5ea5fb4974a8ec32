import { z } from 'zod';
import type { Action } from '../auth/permissions.js';
import { CAMERA_SOURCES, CAMERA_STATUSES } from '../cameras/schema.js';
import { DEPARTMENTS } from '../grids/schema.js';
import { enumParam } from '../http/params.js';
import { CATEGORIES, resolveWindow, WINDOW_FIELDS, withWindowRules } from '../incidents/schema.js';
import type { SourceLayer } from './compose.js';
import { DATUMS, type Datum } from './datum.js';

/** The counters of `data_versions` (migration 0003): a tile depends on some of them. */
export type DataName = 'centers' | 'grids' | 'cameras' | 'patrols' | 'incidents' | 'basemap';

export interface TileSourceLayer extends SourceLayer {
  description: string;
  minzoom: number;
  maxzoom: number;
  /** Attribute → type, as TileJSON's `vector_layers` lists them. */
  fields: Record<string, string>;
}

/**
 * One tile set: `/tiles/<name>/{z}/{x}/{y}.mvt` and its TileJSON `/tiles/<name>.json`.
 * `args` turns the validated query into the selections' parameters $7, $8 … (sql/tile.sql
 * has $1–$6); the same values key the cache. Every scoped layer also takes `datum`
 * (`datumOf`), which is not a selection parameter: repository.ts moves the tile by it.
 */
export interface TileLayer<Q extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  access: Action;
  /** Governance data, cut to the caller's jurisdiction; the base map is geography and is not. */
  scoped: boolean;
  versions: readonly DataName[];
  minzoom: number;
  maxzoom: number;
  sourceLayers: readonly TileSourceLayer[];
  query: Q;
  args(query: z.output<Q>, now: Date): unknown[];
}

const layer = <Q extends z.ZodType>(spec: TileLayer<Q>): TileLayer => spec as unknown as TileLayer;

/** Tiles are made up to this zoom; MapLibre overzooms beyond it. */
const MAX_ZOOM = 18;

/**
 * `datum=gcj02` draws a scoped layer's features where a GCJ-02 base map (高德/腾讯 tiles)
 * has them (datum.ts); default WGS84, as stored. The base map takes no datum: it is our own
 * WGS84 geography, drawn under WGS84 overlays; a deployment with a GCJ-02 base map shows
 * that instead of ours.
 */
const DATUM_FIELD = { datum: enumParam(DATUMS).optional() };

const GridTileQuery = z.object({
  level: z.enum(['1', '2', '3'], { error: 'level must be 1, 2 or 3' }).transform(Number).optional(),
  ...DATUM_FIELD,
});
const SpecialistTileQuery = z.object({ department: enumParam(DEPARTMENTS).optional(), ...DATUM_FIELD });
const CameraTileQuery = z.object({ source: enumParam(CAMERA_SOURCES).optional(), status: enumParam(CAMERA_STATUSES).optional(), ...DATUM_FIELD });
const DatumQuery = z.object(DATUM_FIELD);
const NoQuery = z.object({});

const IncidentTileQuery = withWindowRules(z.object({ ...WINDOW_FIELDS, category: enumParam(CATEGORIES).optional(), ...DATUM_FIELD }));

/** The datum a request asks the tiles of `layer` in: its `datum` if scoped, else WGS84. */
export const datumOf = (layer: TileLayer, query: unknown): Datum => (layer.scoped && (query as { datum?: Datum }).datum) || 'wgs84';

const GRID_FIELDS = { code: 'String', name: 'String', level: 'Number: 1, 2 or 3' };

export const TILE_LAYERS: readonly TileLayer[] = [
  layer({
    name: 'grids',
    description: 'General grids (网格) of levels 1–3 and their label points',
    access: 'grids:read',
    scoped: true,
    versions: ['centers', 'grids'],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    sourceLayers: [
      { id: 'grids', selection: 'grids', description: 'Grid polygons: level 1 from zoom 0, level 2 from 8, level 3 from 10', minzoom: 0, maxzoom: MAX_ZOOM, fields: GRID_FIELDS },
      { id: 'grid_labels', selection: 'grid-labels', description: 'Label points (pole of inaccessibility): level 1 from zoom 8, 2 from 11, 3 from 13', minzoom: 8, maxzoom: MAX_ZOOM, fields: GRID_FIELDS },
    ],
    query: GridTileQuery,
    args: (q) => [q.level ?? null],
  }),
  layer({
    name: 'specialist-grids',
    description: 'Specialist grids (专业网格) drawn per department',
    access: 'grids:read',
    scoped: true,
    versions: ['centers', 'grids'],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    sourceLayers: [
      {
        id: 'specialist_grids', selection: 'specialist-grids', description: 'Specialist grid polygons', minzoom: 0, maxzoom: MAX_ZOOM,
        fields: { code: 'String', name: 'String', department: `String: ${DEPARTMENTS.join(', ')}` },
      },
    ],
    query: SpecialistTileQuery,
    args: (q) => [q.department ?? null],
  }),
  layer({
    name: 'cameras',
    description: 'Cameras (雪亮, 天网, social) with their view; counted in groups below zoom 12',
    access: 'resources:read',
    scoped: true,
    versions: ['centers', 'cameras'],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    sourceLayers: [
      {
        id: 'cameras', selection: 'cameras', description: 'One point per camera, from zoom 12', minzoom: 12, maxzoom: MAX_ZOOM,
        fields: {
          code: 'String', source: `String: ${CAMERA_SOURCES.join(', ')}`, status: `String: ${CAMERA_STATUSES.join(', ')}`,
          heading: 'Number: degrees clockwise from north', fov: 'Number: degrees', range: 'Number: metres',
        },
      },
      {
        id: 'camera_clusters', selection: 'camera-clusters', description: 'Cameras counted per 1/32 of a tile, below zoom 12', minzoom: 0, maxzoom: 11,
        fields: { count: 'Number', online: 'Number' }, ownTileOnly: true,
      },
      {
        id: 'camera_views', selection: 'camera-views', description: 'What each camera sees: a sector of its range about its heading, fov wide (a circle at 360°), from zoom 16',
        minzoom: 16, maxzoom: MAX_ZOOM,
        fields: { code: 'String', source: `String: ${CAMERA_SOURCES.join(', ')}`, status: `String: ${CAMERA_STATUSES.join(', ')}` },
      },
    ],
    query: CameraTileQuery,
    args: (q) => [q.source ?? null, q.status ?? null],
  }),
  layer({
    name: 'patrol-routes',
    description: 'Planned routes of the patrol teams (治安巡防队)',
    access: 'resources:read',
    scoped: true,
    versions: ['centers', 'patrols'],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    sourceLayers: [
      {
        id: 'patrol_routes', selection: 'patrol-routes', description: 'Route lines', minzoom: 0, maxzoom: MAX_ZOOM,
        fields: { team_id: 'Number', team: 'String', name: 'String', shift: 'String: day, night, all_day' },
      },
    ],
    query: DatumQuery,
    args: () => [],
  }),
  layer({
    name: 'centers',
    description: 'Governance centers (综治中心) at their three levels',
    access: 'map:read',
    scoped: true,
    versions: ['centers'],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    sourceLayers: [
      {
        id: 'centers', selection: 'centers', description: 'District always, towns from zoom 8, villages from 11', minzoom: 0, maxzoom: MAX_ZOOM,
        fields: { code: 'String', name: 'String', level: 'String: district, town, village' },
      },
    ],
    query: DatumQuery,
    args: () => [],
  }),
  layer({
    name: 'incidents',
    description: 'Incidents of a time window (default: the last 30 days): points from zoom 13, counts per cell below',
    access: 'incidents:read',
    scoped: true,
    versions: ['centers', 'incidents'],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    sourceLayers: [
      {
        id: 'incidents', selection: 'incidents', description: 'One point per incident, from zoom 13', minzoom: 13, maxzoom: MAX_ZOOM,
        fields: {
          number: 'String', category: `String: ${CATEGORIES.join(', ')}`, severity: 'String', status: 'String',
          reported: 'Number: seconds since 1970 (UTC)', due: 'Number: deadline, seconds since 1970 (absent: none); overdue when past and not closed',
        },
      },
      {
        id: 'incident_clusters', selection: 'incident-clusters', description: 'Incidents counted per 1/32 of a tile, below zoom 13', minzoom: 0, maxzoom: 12,
        fields: { count: 'Number' }, ownTileOnly: true,
      },
    ],
    query: IncidentTileQuery,
    args: (q, now) => {
      const { from, to } = resolveWindow(q, now);
      return [from, to, q.category ?? null];
    },
  }),
  layer({
    name: 'basemap',
    description: 'The offline base map: built-up areas, water, waterways, roads and place names',
    access: 'map:read',
    scoped: false,
    versions: ['basemap'],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    sourceLayers: [
      { id: 'landuse', selection: 'basemap-landuse', description: 'Built-up areas', minzoom: 0, maxzoom: MAX_ZOOM, fields: { kind: 'String: urban, town, village', name: 'String' } },
      { id: 'water', selection: 'basemap-water', description: 'Lakes and reservoirs', minzoom: 0, maxzoom: MAX_ZOOM, fields: { name: 'String' } },
      { id: 'waterways', selection: 'basemap-waterways', description: 'Rivers; streams from zoom 11', minzoom: 0, maxzoom: MAX_ZOOM, fields: { class: 'String: river, stream', name: 'String' } },
      {
        id: 'roads', selection: 'basemap-roads', description: 'Roads; secondary from zoom 10, streets and rural roads from 12', minzoom: 0, maxzoom: MAX_ZOOM,
        fields: { class: 'String: expressway, primary, secondary, street, rural', name: 'String' },
      },
      {
        id: 'places', selection: 'basemap-places', description: 'Place names and points of interest, rank 1 first', minzoom: 0, maxzoom: MAX_ZOOM,
        fields: { kind: 'String: district, town, village, poi', poi_kind: 'String', name: 'String', rank: 'Number: 1 (most important) to 5' },
      },
    ],
    query: NoQuery,
    args: () => [],
  }),
];
