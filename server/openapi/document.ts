import { z } from 'zod';
import { PERMISSIONS, ROLES, type Action } from '../auth/permissions.js';
import type { Access, Method, RouteInfo } from '../auth/routes.js';
import { SESSION_COOKIE, TOKEN_PREFIX } from '../auth/secrets.js';
import { PROBLEM_CONTENT_TYPE, ProblemType } from '../http/problem.js';

/**
 * The OpenAPI 3.1 document of the API, made from the route table (`RouteInfo[]`, filled
 * by `mountRoutes`) and the zod schemas that validate each request, so it cannot drift
 * from what the server accepts: parameters and request bodies are the schemas' JSON
 * Schema (input side: what a client sends, before coercion and defaults). Responses are
 * generic (a success per route, the shared problem answers): the handlers' bodies have
 * no schemas to draw on yet.
 */

/** A JSON Schema (2020-12, OpenAPI 3.1's dialect) as zod writes it. */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

type Ref = { $ref: string };

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: (OpenApiParameter | Ref)[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  'x-pingan-action'?: Action;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<Method, OpenApiOperation>>>;
  components: Record<string, Record<string, unknown>>;
}

/** Segments the document supports: literal text and `:name` parameters (not `*splat` or `{optional}`). */
const PARAM = /:([A-Za-z_$][\w$]*)/g;

/**
 * An Express path as an OpenAPI path template with its parameter names:
 * `/api/basemap/:layer.geojson` → `/api/basemap/{layer}.geojson`, `['layer']`.
 */
export function openApiPath(expressPath: string): { path: string; names: string[] } {
  if (/[*{}()?"]/.test(expressPath)) {
    throw new Error(`${expressPath}: the API document knows only literal segments and :name parameters`);
  }
  const names = [...expressPath.matchAll(PARAM)].map((m) => m[1]!);
  if (new Set(names).size !== names.length) throw new Error(`${expressPath}: a parameter name appears twice`);
  return { path: expressPath.replace(PARAM, '{$1}'), names };
}

/** The JSON Schema of what a client sends for `schema`; unrepresentable parts (dates, transforms) become `{}`. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/**
 * One OpenAPI parameter per property of an object schema. Path parameters are the
 * `names` of the path template, in order, typed by the schema where it has them
 * (a route may read a path parameter without a schema: it is then a string).
 */
export function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query', names: readonly string[] = []): OpenApiParameter[] {
  const json = schema ? jsonSchemaOf(schema) : { type: 'object', properties: {} };
  if (json.type !== 'object' || typeof json.properties !== 'object' || json.properties === null) {
    throw new Error(`the ${where} schema must be an object of named parameters`);
  }
  const properties = json.properties as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(json.required) ? (json.required as string[]) : []);
  const parameter = (name: string, isRequired: boolean): OpenApiParameter => {
    const { description, ...propertySchema } = properties[name] ?? { type: 'string' };
    return {
      name,
      in: where,
      required: isRequired,
      ...(typeof description === 'string' && { description }),
      schema: propertySchema,
    };
  };
  if (where === 'query') return Object.keys(properties).map((name) => parameter(name, required.has(name)));
  const stray = Object.keys(properties).filter((name) => !names.includes(name));
  if (stray.length > 0) throw new Error(`the path schema names ${stray.join(', ')}, which the path does not have`);
  // OpenAPI: path parameters are always required.
  return names.map((name) => parameter(name, true));
}

const WRITE_METHODS: ReadonlySet<Method> = new Set(['post', 'patch', 'delete']);

const PROBLEM_RESPONSES = {
  BadRequest: 'the request does not match its schema: `invalid-params` names each parameter and why (or the body is not JSON)',
  Unauthorized: 'not signed in, the session expired (`reason: expired`) or the token is unknown, revoked or expired',
  Forbidden:
    "the role may not do this, the request is a session's write without X-CSRF-Token, a token called a browser-session endpoint, or the password must be changed first",
  NotFound: 'no such object, or one outside the jurisdiction (both answer alike)',
  TooManyRequests: 'too many requests: try again after Retry-After seconds',
  Problem: 'any other failure, e.g. 413 for a body over 1 MB or 503 while the database is unreachable',
} as const;

/** The document for `routes`; `version` is the product's (package.json). */
export function buildOpenApiDocument(routes: readonly RouteInfo[], version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    const { path, names } = openApiPath(route.path);
    const operation = operationOf(route, names);
    if (operationIds.has(operation.operationId)) throw new Error(`${route.method} ${route.path}: operationId ${operation.operationId} is taken`);
    operationIds.add(operation.operationId);
    const item = (paths[path] ??= {});
    if (item[route.method]) throw new Error(`${route.method} ${route.path} is in the route table twice`);
    item[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pingan Map API',
      version,
      description:
        'The HTTP API of Pingan Map (平安一张图). Errors are RFC 9457 problem documents. Accounts, roles, jurisdiction, ' +
        'sessions, personal access tokens, CSRF and the audit trail are described in docs/access.md of the repository.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            'The browser session cookie set by POST /api/auth/login. A POST, PATCH or DELETE sent with it must carry the ' +
            "session's csrfToken (from the login answer or GET /api/auth/session) in the X-CSRF-Token header.",
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `A personal access token (${TOKEN_PREFIX}…) made with POST /api/tokens, sent as Authorization: Bearer; no CSRF header needed.`,
        },
      },
      parameters: {
        CsrfToken: {
          name: 'X-CSRF-Token',
          in: 'header',
          required: false,
          description: 'Required when the request is authenticated by the session cookie; not sent with a bearer token.',
          schema: { type: 'string' },
        },
      },
      responses: Object.fromEntries(
        Object.entries(PROBLEM_RESPONSES).map(([name, description]) => [
          name,
          {
            description,
            ...(name === 'TooManyRequests' && {
              headers: { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer' } } },
            }),
            content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ]),
      ),
      schemas: { Problem: PROBLEM_SCHEMA },
    },
  };
}

function operationOf(route: RouteInfo, pathNames: readonly string[]): OpenApiOperation {
  const { params, query, body } = route.schemas;
  const isGuarded = route.access !== 'public';
  const isWrite = WRITE_METHODS.has(route.method);
  const parameters: (OpenApiParameter | Ref)[] = [
    ...parametersOf(params, 'path', pathNames),
    ...(query ? parametersOf(query, 'query') : []),
    ...(isGuarded && isWrite ? [{ $ref: '#/components/parameters/CsrfToken' }] : []),
  ];
  const problem = (name: keyof typeof PROBLEM_RESPONSES): Ref => ({ $ref: `#/components/responses/${name}` });
  return {
    operationId: operationIdOf(route.method, route.path),
    ...(route.summary !== undefined && { summary: route.summary }),
    description: accessText(route.access),
    tags: [tagOf(route.path)],
    security: securityOf(route.access),
    ...(parameters.length > 0 && { parameters }),
    ...(body && {
      requestBody: {
        // A body schema that takes `undefined` makes the body optional.
        required: !body.safeParse(undefined).success,
        content: { 'application/json': { schema: jsonSchemaOf(body) } },
      },
    }),
    responses: {
      [String(route.status)]: successResponse(route.status),
      ...((params || query || body) && { 400: problem('BadRequest') }),
      ...(isGuarded && { 401: problem('Unauthorized'), 403: problem('Forbidden') }),
      ...(pathNames.length > 0 && { 404: problem('NotFound') }),
      ...(isWrite && { 429: problem('TooManyRequests') }),
      default: problem('Problem'),
    },
    ...(route.access !== 'public' && route.access !== 'signed-in' && route.access !== 'browser-session' && { 'x-pingan-action': route.access }),
  };
}

function successResponse(status: RouteInfo['status']): unknown {
  if (status === 204) return { description: 'Done; no content' };
  return { description: status === 201 ? 'Created' : 'OK', content: { 'application/json': { schema: {} } } };
}

function securityOf(access: Access | 'public'): Record<string, string[]>[] {
  if (access === 'public') return [];
  if (access === 'browser-session') return [{ session: [] }];
  return [{ session: [] }, { bearer: [] }];
}

function accessText(access: Access | 'public'): string {
  switch (access) {
    case 'public':
      return 'Public: no sign-in needed.';
    case 'signed-in':
      return 'Any signed-in user, by session or personal access token.';
    case 'browser-session':
      return "The caller's own account, from a signed-in browser session: a personal access token is refused (403).";
    default: {
      const roles = ROLES.filter((role) => PERMISSIONS[role].includes(access));
      return `Needs the action \`${access}\` of the role table (also in x-pingan-action); roles that have it: ${roles.join(', ')}. See docs/access.md.`;
    }
  }
}

/**
 * `/api/users/:id/password` → `users`: the first segment after `/api`, without an extension;
 * a path outside `/api` is tagged by its own first segment (`/ogc/collections/grids/items` → `ogc`).
 */
const tagOf = (expressPath: string): string =>
  expressPath.replace(/^\/api\//, '').replace(/^\//, '').split('/')[0]!.replace(/\..*$/, '');

/** `post /api/users/:id/password` → `postUsersByIdPassword`. */
function operationIdOf(method: Method, expressPath: string): string {
  const words = expressPath
    .replace(/^\/api\//, '')
    .split('/')
    .flatMap((segment) => segment.split(/[^\w:]+/))
    .map((word) => (word.startsWith(':') ? `By${capitalise(word.slice(1))}` : capitalise(word)));
  return method + words.join('');
}

const capitalise = (word: string): string => word.replace(/(^|_)(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase());

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'An RFC 9457 problem document (application/problem+json). Extension members such as lockedUntil or constraint may follow.',
  required: ['type', 'title', 'status'],
  properties: {
    type: {
      type: 'string',
      format: 'uri-reference',
      description: 'What went wrong, stable for clients to branch on; about:blank when the status says it all.',
      examples: Object.values(ProblemType),
    },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'For people: what to do about it.' },
    instance: { type: 'string', format: 'uri-reference', description: 'The request path.' },
    'invalid-params': {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'reason'],
        properties: {
          name: { type: 'string', description: 'Dotted path of the parameter, e.g. `level` or `geometry.coordinates`.' },
          in: { type: 'string', enum: ['params', 'query', 'body'] },
          reason: { type: 'string' },
        },
      },
    },
  },
};
