import type { Request } from 'express';
import { scopeOf } from '../auth/caller.js';
import type { Action } from '../auth/permissions.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { HttpProblem } from '../http/problem.js';
import { collectionExtents, itemGeoJson, itemsGeoJson, type CollectionExtent, type Link } from './repository.js';
import { COLLECTION_IDS, IncidentItemsQuery, ItemQuery, ItemsQuery, MetadataQuery, type CollectionId } from './schema.js';

/**
 * `/ogc`: OGC API – Features, Part 1: Core, with GeoJSON, so QGIS, GDAL/OGR and other
 * OGC clients read grids, cameras, patrol routes and incidents as layers. Every route is
 * guarded like the rest of the API (session or `Authorization: Bearer pm_…`); features
 * are those of the caller's jurisdiction, built by PostGIS and passed through as text.
 * JSON only: `f=json` (and `f=geojson` for features) is accepted, any other `f` is a 400.
 * Links are absolute, made from the request's protocol and host.
 */

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';
const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';
/** What OGC clients look for beside `service-desc`; /api/openapi.json is OpenAPI 3.1. */
const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.1';

const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
];

interface CollectionDefinition {
  id: CollectionId;
  title: string;
  description: string;
  /** The action of the role table its description and features need. */
  access: Action;
  /** Whether `datetime` filters it (on the time an incident was reported). */
  temporal: boolean;
}

const COLLECTIONS: Readonly<Record<CollectionId, CollectionDefinition>> = {
  grids: {
    id: 'grids',
    title: '网格 Grids',
    description: 'General grids (levels 1–3) and specialist grids of the jurisdiction, as MultiPolygons',
    access: 'grids:read',
    temporal: false,
  },
  cameras: {
    id: 'cameras',
    title: '视频监控 Cameras',
    description: '雪亮, 天网 and social cameras of the jurisdiction, as Points',
    access: 'resources:read',
    temporal: false,
  },
  'patrol-routes': {
    id: 'patrol-routes',
    title: '巡防路线 Patrol routes',
    description: "Planned routes of the jurisdiction's patrol teams, as LineStrings",
    access: 'resources:read',
    temporal: false,
  },
  incidents: {
    id: 'incidents',
    title: '事件 Incidents',
    description: "Incidents of the jurisdiction, as Points; reporters' name, phone and ID number masked; datetime filters on the report time",
    access: 'incidents:read',
    temporal: true,
  },
};

const NO_CACHE = 'private, no-cache';

/** `http://host:port` of the request, as the client reached it (mind TRUST_PROXY). */
const originOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

const link = (href: string, rel: string, type: string, title?: string): Link => ({ href, rel, type, ...(title !== undefined && { title }) });

/** A collection's description: what it holds, where (and when) in the jurisdiction, and its links. */
function collectionDocument(origin: string, definition: CollectionDefinition, extent: CollectionExtent | undefined) {
  const href = `${origin}/ogc/collections/${definition.id}`;
  const spatial = extent?.bbox ? { spatial: { bbox: [extent.bbox], crs: CRS84 } } : {};
  const temporal = definition.temporal && extent?.interval ? { temporal: { interval: [extent.interval], trs: GREGORIAN } } : {};
  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    ...((extent?.bbox || (definition.temporal && extent?.interval)) && { extent: { ...spatial, ...temporal } }),
    itemType: 'feature',
    crs: [CRS84],
    links: [
      link(href, 'self', JSON_TYPE, definition.title),
      link(`${href}/items`, 'items', GEOJSON_TYPE, `${definition.title}: features`),
      link(`${origin}/ogc/collections`, 'parent', JSON_TYPE, 'All collections'),
    ],
  };
}

/**
 * The next page's URL without its cursor value: this request's path and query with
 * `cursor=` moved to the end, where the SQL appends the page's last id.
 */
function nextPageUrl(origin: string, req: Request): string {
  const mark = req.originalUrl.indexOf('?');
  const path = mark < 0 ? req.originalUrl : req.originalUrl.slice(0, mark);
  const params = new URLSearchParams(mark < 0 ? '' : req.originalUrl.slice(mark + 1));
  params.delete('cursor');
  params.append('cursor', '');
  return `${origin}${path}?${params.toString()}`;
}

/** A feature id from the path: a database id, or nothing (then the feature is as missing as an unknown one). */
function featureIdOf(text: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}

function collectionRoutes(db: Database, definition: CollectionDefinition): Route[] {
  const base = `/collections/${definition.id}`;
  const itemsSchema = definition.temporal ? IncidentItemsQuery : ItemsQuery;
  return [
    guarded({
      method: 'get',
      path: base,
      summary: `OGC API: the collection ${definition.id}, with its extent in the jurisdiction`,
      access: definition.access,
      schemas: { query: MetadataQuery },
      async handler({ req, res, caller }) {
        const [extent] = await collectionExtents(db, scopeOf(caller), definition.id);
        res.set('Cache-Control', NO_CACHE).json(collectionDocument(originOf(req), definition, extent));
      },
    }),

    guarded({
      method: 'get',
      path: `${base}/items`,
      summary: `OGC API: features of ${definition.id} in the jurisdiction as GeoJSON pages, by bbox${definition.temporal ? ' and datetime' : ''}, in id order`,
      access: definition.access,
      schemas: { query: itemsSchema },
      async handler({ req, res, caller, input }) {
        if (!definition.temporal && req.query.datetime !== undefined) {
          throw HttpProblem.invalidParams([
            { name: 'datetime', in: 'query', reason: `the collection ${definition.id} has no time to filter on; only incidents take datetime` },
          ]);
        }
        const origin = originOf(req);
        const links = [
          link(`${origin}${req.originalUrl}`, 'self', GEOJSON_TYPE, 'This page'),
          link(`${origin}/ogc/collections/${definition.id}`, 'collection', JSON_TYPE, definition.title),
        ];
        sendGeoJson(res, await itemsGeoJson(db, definition.id, scopeOf(caller), input.query, links, nextPageUrl(origin, req)), NO_CACHE);
      },
    }),

    guarded({
      method: 'get',
      path: `${base}/items/:featureId`,
      summary: `OGC API: one feature of ${definition.id} as GeoJSON`,
      access: definition.access,
      schemas: { query: ItemQuery },
      async handler({ req, res, caller }) {
        const { featureId } = req.params as { featureId: string };
        const id = featureIdOf(featureId);
        const origin = originOf(req);
        const collection = `${origin}/ogc/collections/${definition.id}`;
        const body =
          id === undefined
            ? undefined
            : await itemGeoJson(db, definition.id, scopeOf(caller), id, [
                link(`${collection}/items/${id}`, 'self', GEOJSON_TYPE, 'This feature'),
                link(collection, 'collection', JSON_TYPE, definition.title),
              ]);
        if (!body) throw HttpProblem.notFound(`the collection ${definition.id} has no feature ${featureId}`);
        sendGeoJson(res, body, NO_CACHE);
      },
    }),
  ];
}

export function ogcRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '',
      summary: 'OGC API – Features landing page: links to the API definition, conformance and the collections',
      access: 'map:read',
      schemas: { query: MetadataQuery },
      async handler({ req, res }) {
        const origin = originOf(req);
        res.set('Cache-Control', NO_CACHE).json({
          title: 'Pingan Map (平安一张图): OGC API – Features',
          description:
            "Grids, cameras, patrol routes and incidents of the caller's jurisdiction as OGC API – Features collections (GeoJSON). " +
            'Sign in, or send a personal access token as Authorization: Bearer pm_….',
          links: [
            link(`${origin}/ogc`, 'self', JSON_TYPE, 'This document'),
            link(`${origin}/api/openapi.json`, 'service-desc', OPENAPI_TYPE, 'The API definition (OpenAPI 3.1)'),
            link(`${origin}/ogc/conformance`, 'conformance', JSON_TYPE, 'Conformance classes this server implements'),
            link(`${origin}/ogc/collections`, 'data', JSON_TYPE, 'The collections'),
          ],
        });
      },
    }),

    guarded({
      method: 'get',
      path: '/conformance',
      summary: 'OGC API – Features conformance classes: Core and GeoJSON',
      access: 'map:read',
      schemas: { query: MetadataQuery },
      async handler({ res }) {
        res.set('Cache-Control', NO_CACHE).json({ conformsTo: CONFORMANCE });
      },
    }),

    guarded({
      method: 'get',
      path: '/collections',
      summary: 'OGC API: the collections (grids, cameras, patrol routes, incidents), with their extents in the jurisdiction',
      access: 'map:read',
      schemas: { query: MetadataQuery },
      async handler({ req, res, caller }) {
        const origin = originOf(req);
        const extents = await collectionExtents(db, scopeOf(caller));
        res.set('Cache-Control', NO_CACHE).json({
          links: [link(`${origin}/ogc/collections`, 'self', JSON_TYPE, 'This document')],
          collections: COLLECTION_IDS.map((id) =>
            collectionDocument(
              origin,
              COLLECTIONS[id],
              extents.find((e) => e.collection === id),
            ),
          ),
        });
      },
    }),

    ...COLLECTION_IDS.flatMap((id) => collectionRoutes(db, COLLECTIONS[id])),
  ];
}
