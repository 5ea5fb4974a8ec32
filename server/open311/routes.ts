import express, { type Request, type RequestHandler, type Router } from 'express';
import { scopeOf } from '../auth/caller.js';
import { guarded, mountRoutes, open, type Route, type RouteDeps, type RouteInfo } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { HttpProblem, notFoundUnder } from '../http/problem.js';
import { fileIncident } from '../incidents/intake.js';
import { idempotencyKeyOf, intakeOptions, type IntakeConfig } from '../incidents/routes.js';
import type { IntakeInput } from '../incidents/schema.js';
import type { Logger } from '../log.js';
import { apiKeyAsBearer } from './credentials.js';
import { open311Errors } from './errors.js';
import { findServiceRequest, findServiceRequests, noticeOf } from './repository.js';
import { CatalogueQuery, RequestBody, RequestParams, RequestsQuery, ServiceParams, type RequestInput } from './schema.js';
import { DEFAULT_SEVERITY, isServiceCode, serviceDefinition, serviceList, serviceName } from './services.js';

/**
 * `/open311/v2`: Open311 GeoReport v2 (JSON) on the same intake as `POST /api/incidents`,
 * so civic-reporting clients can file and follow incidents. Services are the incident
 * categories (public, like the discovery document); a service request is an incident, its
 * id the incident number. Filing and reading requests need a personal access token
 * (`api_key`, or Authorization: Bearer) or a session (whose writes carry X-CSRF-Token as
 * everywhere). GeoReport v2 has no idempotency key: a client's plain retry files a second
 * incident, which its detail lists as a likely duplicate. A client that can send our
 * `Idempotency-Key` header gets what `POST /api/incidents` gives: one incident per key, a
 * retry answered 200 with the first request. See docs/live-and-dispatch.md.
 */

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When the service list last changed; discovery's changeset. Change it with services.ts. */
const CATALOGUE_CHANGESET = '2026-11-30T00:00:00+08:00';
const NO_CACHE = 'private, no-cache';
/** Form-encoded bodies are bounded like JSON ones. */
const BODY_LIMIT = '1mb';
/** A title from the first line of the description. */
const TITLE_LENGTH = 60;

/** Form clients send empty inputs for what the user left blank: those count as not sent. */
const dropBlankFields: RequestHandler = (req, _res, next) => {
  const body = req.body as unknown;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, value] of Object.entries(body)) if (value === '') delete (body as Record<string, unknown>)[name];
  }
  next();
};

const originOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

function titleOf(input: RequestInput): string {
  // By code point, so a cut never splits a character.
  const line = Array.from(input.description?.split('\n')[0]?.trim() ?? '');
  if (line.length === 0) return serviceName(input.service_code);
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1).join('')}…` : line.join('');
}

/** The report as intake takes it; the media URL (not fetched or kept as a file) is kept as a line of the description. */
function intakeInputOf(input: RequestInput): IntakeInput {
  const description = [input.description, input.media_url && `media_url: ${input.media_url}`].filter(Boolean).join('\n\n');
  return {
    category: input.service_code,
    severity: input['attribute[severity]'] ?? DEFAULT_SEVERITY,
    title: titleOf(input),
    location: [input.long, input.lat],
    // IntakeInput's own channel field; what is stored is the reporter's source, open311.
    source: 'other',
    ...(description && { description }),
    ...(input.address_string && { address: input.address_string }),
  };
}

export function open311Routes(db: Database, config: IntakeConfig): Route[] {
  const intake = intakeOptions(config);
  return [
    open({
      method: 'get',
      path: '/v2/discovery.json',
      summary: 'Open311 service discovery: the GeoReport v2 endpoint of this server (JSON only)',
      schemas: { query: CatalogueQuery },
      async handler({ req, res }) {
        res.set('Cache-Control', 'no-cache').json({
          changeset: CATALOGUE_CHANGESET,
          contact: '区社会治理综合指挥中心 (the district social-governance command center)',
          key_service: 'api_key is a personal access token: sign in to Pingan Map and create one under 访问令牌 (access tokens)',
          endpoints: [{ specification: SPECIFICATION, url: `${originOf(req)}/open311/v2`, changeset: CATALOGUE_CHANGESET, type: 'production', formats: ['application/json'] }],
        });
      },
    }),

    open({
      method: 'get',
      path: '/v2/services.json',
      summary: 'Open311 services: one per incident category (service_code = category)',
      schemas: { query: CatalogueQuery },
      async handler({ res }) {
        res.set('Cache-Control', 'no-cache').json(serviceList());
      },
    }),

    open({
      method: 'get',
      path: '/v2/services/:service_code.json',
      summary: 'Open311 service definition: its one attribute, the optional attribute[severity]; 404 for a code that is no service',
      schemas: { params: ServiceParams, query: CatalogueQuery },
      async handler({ res, input }) {
        const code = input.params.service_code;
        if (!isServiceCode(code)) throw HttpProblem.notFound(`there is no service ${code}; GET services.json lists them`);
        res.set('Cache-Control', 'no-cache').json(serviceDefinition(code));
      },
    }),

    guarded({
      method: 'post',
      path: '/v2/requests.json',
      summary: 'Open311: file a service request (form-encoded or JSON; lat and long required) as an incident with source open311; optional Idempotency-Key header: a retry with it answers 200 with the first request',
      access: 'incidents:report',
      audit: 'incident.report',
      status: 201,
      schemas: { body: RequestBody },
      before: [dropBlankFields],
      async handler({ req, res, caller, input }) {
        const key = idempotencyKeyOf(req, false);
        const { incident, replayed } = await fileIncident(db, { caller, source: 'open311' }, intakeInputOf(input.body), key, intake);
        res
          .status(replayed ? 200 : 201)
          .set({ 'Cache-Control': 'no-store', Location: `/open311/v2/requests/${incident.number}.json`, ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) })
          .json([{ service_request_id: incident.number, service_notice: noticeOf(incident.center.name, incident.gridName), account_id: null }]);
      },
    }),

    guarded({
      method: 'get',
      path: '/v2/requests.json',
      summary: `Open311: service requests of the jurisdiction by id list, or by service_code, status and a window of at most 90 days (default the last 90); newest first, at most 1000`,
      access: 'incidents:read',
      schemas: { query: RequestsQuery },
      async handler({ res, caller, input }) {
        res.set('Cache-Control', NO_CACHE).json(await findServiceRequests(db, scopeOf(caller), input.query, new Date()));
      },
    }),

    guarded({
      method: 'get',
      path: '/v2/requests/:service_request_id.json',
      summary: 'Open311: one service request (an incident by its number), open or closed, with its deadline as expected_datetime',
      access: 'incidents:read',
      schemas: { params: RequestParams, query: CatalogueQuery },
      async handler({ res, caller, input }) {
        const { service_request_id: id } = input.params;
        const found = await findServiceRequest(db, scopeOf(caller), id);
        if (!found) throw HttpProblem.notFound(`there is no service request ${id}`);
        res.set('Cache-Control', NO_CACHE).json([found]);
      },
    }),
  ];
}

/**
 * The router for `/open311`: form and JSON bodies, api_key as a bearer token, the routes
 * (recorded in the route table like every other), and Open311's error arrays for
 * everything under it, unknown paths included.
 */
export function open311Router(db: Database, config: IntakeConfig, deps: RouteDeps, table: RouteInfo[], log: Logger): Router {
  const router = express.Router();
  router.use(express.json({ limit: BODY_LIMIT }), express.urlencoded({ extended: false, limit: BODY_LIMIT }), apiKeyAsBearer);
  mountRoutes(router, '/open311', open311Routes(db, config), deps, table);
  router.use(notFoundUnder('/open311'), open311Errors(log));
  return router;
}
