import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Access, Method, RouteInfo } from '../../server/auth/routes.js';
import { buildOpenApiDocument, jsonSchemaOf, openApiPath, parametersOf, type OpenApiOperation } from '../../server/openapi/document.js';

// How the API document (GET /api/openapi.json) is made from the route table: path
// templates, parameters from the zod schemas, and the security and responses each
// route's access rule and method call for. The whole document is checked against the
// OpenAPI 3.1 schema in test/integration/openapi.test.ts.

const createRoute = (over: Partial<RouteInfo> & { method: Method; path: string }): RouteInfo => ({
  access: 'public',
  summary: 'A route',
  status: over.method === 'delete' ? 204 : 200,
  schemas: {},
  ...over,
});

const operationOf = (route: RouteInfo): OpenApiOperation => {
  const document = buildOpenApiDocument([route], '1.2.3');
  return document.paths[openApiPath(route.path).path]![route.method]!;
};

describe('openApiPath', () => {
  it.each([
    ['/api/health', '/api/health', []],
    ['/api/users/:id', '/api/users/{id}', ['id']],
    ['/api/users/:id/password', '/api/users/{id}/password', ['id']],
    ['/api/basemap/:layer.geojson', '/api/basemap/{layer}.geojson', ['layer']],
    ['/api/tiles/:z/:x/:y.pbf', '/api/tiles/{z}/{x}/{y}.pbf', ['z', 'x', 'y']],
  ])('when the Express path is %s, then the template is %s with its parameters', (express, template, names) => {
    expect(openApiPath(express)).toEqual({ path: template, names });
  });

  it.each(['/api/files/*rest', '/api/items{/:id}', '/api/:"quoted"', '/api/a/:id/b/:id'])(
    'when the path is %s, which a template cannot say, then building fails loudly',
    (express) => {
      expect(() => openApiPath(express)).toThrow(express);
    },
  );
});

describe('parametersOf', () => {
  it('when a path has a schema, then each {name} is a required path parameter typed by it', () => {
    const params = parametersOf(z.object({ id: z.coerce.number().int().min(1).max(99) }), 'path', ['id']);
    expect(params).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 99 } }]);
  });

  it('when a path parameter has no schema, then it is a required string', () => {
    expect(parametersOf(undefined, 'path', ['layer'])).toEqual([{ name: 'layer', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('when the params schema names a parameter the path lacks, then building fails', () => {
    expect(() => parametersOf(z.object({ id: z.string(), other: z.string() }), 'path', ['id'])).toThrow('other');
  });

  it('when a query has optional, defaulted and required members, then only the required one is required', () => {
    const query = z.object({
      q: z.string().optional().describe('Part of the name'),
      limit: z.coerce.number().default(50),
      kind: z.enum(['a', 'b']),
    });
    expect(parametersOf(query, 'query')).toEqual([
      { name: 'q', in: 'query', required: false, description: 'Part of the name', schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'number', default: 50 } },
      { name: 'kind', in: 'query', required: true, schema: { type: 'string', enum: ['a', 'b'] } },
    ]);
  });

  it('when a query schema is not an object, then building fails', () => {
    expect(() => parametersOf(z.string(), 'query')).toThrow('object');
  });
});

describe('jsonSchemaOf', () => {
  it('when a schema transforms its input, then the document describes the input a client sends, without $schema', () => {
    const schema = z.object({ at: z.iso.datetime().transform((v) => new Date(v)), n: z.string().transform(Number) });
    const json = jsonSchemaOf(schema);
    expect(json).not.toHaveProperty('$schema');
    expect(json).toMatchObject({ type: 'object', properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'string' } } });
  });
});

describe('buildOpenApiDocument', () => {
  it.each<[Access | 'public', unknown[], string | undefined]>([
    ['public', [], undefined],
    ['signed-in', [{ session: [] }, { bearer: [] }], undefined],
    ['browser-session', [{ session: [] }], undefined],
    ['users:manage', [{ session: [] }, { bearer: [] }], 'users:manage'],
  ])('when a route needs %s, then its security and x-pingan-action say so', (access, security, action) => {
    const operation = operationOf(createRoute({ method: 'get', path: '/api/x', access }));
    expect(operation.security).toEqual(security);
    expect(operation['x-pingan-action']).toBe(action);
    if (action) expect(operation.description).toContain(action);
  });

  it.each<[string, RouteInfo, string[]]>([
    ['a public read', createRoute({ method: 'get', path: '/api/health' }), ['200', 'default']],
    ['a guarded read with a query', createRoute({ method: 'get', path: '/api/users', access: 'users:manage', schemas: { query: z.object({}) } }), ['200', '400', '401', '403', 'default']],
    ['a guarded read by id', createRoute({ method: 'get', path: '/api/basemap/:layer.geojson', access: 'map:read' }), ['200', '401', '403', '404', 'default']],
    ['a creation', createRoute({ method: 'post', path: '/api/users', access: 'users:manage', status: 201, schemas: { body: z.object({}) } }), ['201', '400', '401', '403', '429', 'default']],
    ['a deletion', createRoute({ method: 'delete', path: '/api/tokens/:id', access: 'browser-session' }), ['204', '401', '403', '404', '429', 'default']],
    ['the public login', createRoute({ method: 'post', path: '/api/auth/login', schemas: { body: z.object({}) } }), ['200', '400', '429', 'default']],
  ])('when the route is %s, then it lists the success and the shared problems that apply', (_name, route, statuses) => {
    expect(Object.keys(operationOf(route).responses).sort()).toEqual(statuses.sort());
  });

  it('when a guarded route writes, then it takes the optional X-CSRF-Token header; a read does not', () => {
    const csrf = { $ref: '#/components/parameters/CsrfToken' };
    expect(operationOf(createRoute({ method: 'patch', path: '/api/users/:id', access: 'users:manage' })).parameters).toContainEqual(csrf);
    expect(operationOf(createRoute({ method: 'get', path: '/api/users/:id', access: 'users:manage' })).parameters).not.toContainEqual(csrf);
  });

  it('when a body schema accepts no body, then the request body is optional', () => {
    const body = z.object({ reason: z.string() }).optional();
    expect(operationOf(createRoute({ method: 'post', path: '/api/x', schemas: { body } })).requestBody?.required).toBe(false);
  });

  it('when two routes share a path, then they are two operations of one path item with distinct ids', () => {
    const document = buildOpenApiDocument(
      [createRoute({ method: 'get', path: '/api/users/:id' }), createRoute({ method: 'patch', path: '/api/users/:id' })],
      '1.2.3',
    );
    expect(Object.keys(document.paths)).toEqual(['/api/users/{id}']);
    const item = document.paths['/api/users/{id}']!;
    expect([item.get?.operationId, item.patch?.operationId]).toEqual(['getUsersById', 'patchUsersById']);
  });

  it('when a route is in the table twice, then building fails', () => {
    const route = createRoute({ method: 'get', path: '/api/x' });
    expect(() => buildOpenApiDocument([route, route], '1.2.3')).toThrow('/api/x');
  });
});
