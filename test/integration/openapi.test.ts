import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/auth/permissions.js';
import type { RouteInfo } from '../../server/auth/routes.js';
import { startTestServer, type TestServer } from '../support/server.js';

// GET /api/openapi.json from the real server: one operation per endpoint of the route
// table (so a new endpoint appears by itself), parameters and bodies from the zod
// schemas that validate requests, and a document that passes the OpenAPI 3.1 schema.

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Operation {
  operationId: string;
  summary?: string;
  security: Record<string, string[]>[];
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content: Record<string, { schema: { required?: string[]; properties: Record<string, { enum?: string[] }> } }> };
  responses: Record<string, unknown>;
  'x-pingan-action'?: string;
}

interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const templateOf = (route: RouteInfo) => route.path.replace(/:(\w+)/g, '{$1}');

function operationsOf(document: Document): { key: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, path, operation })),
  );
}

/** Every `$ref` in `node`, wherever it is nested. */
function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

function resolvePointer(document: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), document);
}

describe('GET /api/openapi.json', () => {
  let server: TestServer;
  let response: Response;
  let document: Document;

  beforeAll(async () => {
    server = await startTestServer();
    response = await fetch(`${server.baseUrl}/api/openapi.json`);
    document = (await response.json()) as Document;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when fetched without signing in, then it is an OpenAPI 3.1 document of this version of the product', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: 'Pingan Map API', version: pkg.version });
  });

  it('when fetched again, then the same document comes back', async () => {
    expect(await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()).toEqual(document);
  });

  it('when compared with the route table, then every endpoint is exactly one operation', () => {
    const documented = operationsOf(document).map((o) => o.key).sort();
    const served = server.routes.map((r) => `${r.method.toUpperCase()} ${templateOf(r)}`).sort();
    expect(documented).toEqual(served);
    expect(served).toContain('GET /api/openapi.json');
  });

  it('when operations are listed, then each has a summary and an operationId of its own', () => {
    const operations = operationsOf(document);
    for (const { key, operation } of operations) expect(operation.summary?.trim(), key).toBeTruthy();
    expect(new Set(operations.map((o) => o.operation.operationId)).size).toBe(operations.length);
  });

  it('when a path has {parameters}, then each operation declares exactly those as required path parameters', () => {
    for (const { key, path, operation } of operationsOf(document)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (operation.parameters ?? []).filter((p): p is Parameter => 'in' in p && p.in === 'path');
      expect(declared.map((p) => p.name).sort(), key).toEqual(inPath);
      for (const p of declared) expect(p.required, `${key} ${p.name}`).toBe(true);
    }
  });

  it("when a route has an access rule, then the operation's security and x-pingan-action follow it", () => {
    for (const route of server.routes) {
      const operation = document.paths[templateOf(route)]![route.method]!;
      const schemes = operation.security.map((s) => Object.keys(s)[0]).sort();
      const key = `${route.method} ${route.path}`;
      if (route.access === 'public') expect(schemes, key).toEqual([]);
      else if (route.access === 'browser-session') expect(schemes, key).toEqual(['session']);
      else expect(schemes, key).toEqual(['bearer', 'session']);
      const isAction = !['public', 'signed-in', 'browser-session'].includes(route.access);
      expect(operation['x-pingan-action'], key).toBe(isAction ? route.access : undefined);
      expect(Object.keys(operation.responses), key).toContain(String(route.status));
    }
  });

  it('when an administrator creates a user, then the body schema requires the account fields and knows the roles', () => {
    const schema = document.paths['/api/users']!.post!.requestBody!.content['application/json']!.schema;
    expect(schema.required).toEqual(expect.arrayContaining(['username', 'displayName', 'role', 'centerId', 'password']));
    expect(schema.properties.role!.enum).toEqual([...ROLES]);
    expect(Object.keys(document.paths['/api/users']!.post!.responses)).toContain('201');
  });

  it('when grids are filtered, then level, kind and department are optional query parameters', () => {
    const query = (document.paths['/api/grids']!.get!.parameters ?? []).filter((p): p is Parameter => 'in' in p && p.in === 'query');
    const names = query.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['level', 'kind', 'department']));
    for (const p of query) expect(p.required, p.name).toBe(false);
  });

  it('when the base-map layer is in the file name, then it is a path parameter of the template', () => {
    const operation = document.paths['/api/basemap/{layer}.geojson']!.get!;
    expect(operation.parameters).toContainEqual({ name: 'layer', in: 'path', required: true, schema: { type: 'string' } });
  });

  it('when the whole document is checked against the OpenAPI 3.1 schema, then it is valid', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('when the checker is given a broken document, then it finds the fault (it is not a no-op)', async () => {
    const broken = structuredClone(document) as unknown as Record<string, unknown>;
    delete broken.info;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('when the document refers to a component, then the component is there', () => {
    const refs = [...new Set(refsIn(document))];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//);
      expect(resolvePointer(document, ref), ref).toBeDefined();
    }
  });
});
