import { readFileSync } from 'node:fs';
import { open, type Route, type RouteInfo } from '../auth/routes.js';
import { buildOpenApiDocument, type OpenApiDocument } from './document.js';

/**
 * `GET /api/openapi.json`: the API as an OpenAPI 3.1 document. `table` is the route
 * table `mountRoutes` fills as it mounts each router, this one included: the document
 * is built on the first request, when the table is complete, and kept for the process.
 */
export function openApiRoutes(table: readonly RouteInfo[]): Route[] {
  let document: OpenApiDocument | undefined;
  return [
    open({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      async handler({ res }) {
        document ??= buildOpenApiDocument(table, packageVersion());
        // The same until the server is upgraded: revalidate (ETag → 304) rather than cache blindly.
        res.set('Cache-Control', 'no-cache').json(document);
      },
    }),
  ];
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
