import { randomUUID } from 'node:crypto';
import path from 'node:path';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { auditRoutes } from './audit/routes.js';
import { accessPolicy, type AccessConfig } from './auth/policy.js';
import { loginLimiter, writeLimiter } from './auth/rate-limits.js';
import { mountRoutes, type RouteInfo } from './auth/routes.js';
import { sessionRoutes } from './auth/session-routes.js';
import { tokenRoutes } from './auth/token-routes.js';
import { cameraRoutes } from './cameras/routes.js';
import { centerRoutes } from './centers/routes.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { dispatchRoutes } from './dispatch/routes.js';
import { geofenceRoutes } from './geofences/routes.js';
import { gridRoutes } from './grids/routes.js';
import { healthRoutes } from './health/routes.js';
import { notFoundUnder, problemHandler } from './http/problem.js';
import { incidentRoutes } from './incidents/routes.js';
import type { Logger } from './log.js';
import { basemapOrigins } from './map/basemap-config.js';
import { mapRoutes } from './map/routes.js';
import { ogcRoutes } from './ogc/routes.js';
import { withoutApiKey } from './open311/credentials.js';
import { open311Router } from './open311/routes.js';
import { openApiRoutes } from './openapi/routes.js';
import { patrolRoutes } from './patrols/routes.js';
import { photoRoutes } from './photos/routes.js';
import { searchRoutes } from './search/routes.js';
import { tileRoutes } from './tiles/routes.js';
import { userRoutes } from './users/routes.js';

export type AppConfig = Pick<
  Config,
  'CLIENT_DIR' | 'TRUST_PROXY' | 'LOGIN_RATE_LIMIT' | 'WRITE_RATE_LIMIT' | 'TILE_CACHE_MB' | 'BASEMAP_STYLE_URL' | 'BASEMAP_DATUM' | 'BASEMAP_ORIGINS' | 'INTAKE_OUTSIDE' | 'INTAKE_BOUNDARY_M' | 'CAMERA_STREAM_ORIGINS'
> &
  AccessConfig;

export interface AppDependencies {
  db: Database;
  config: AppConfig;
  log: Logger;
}

/** `app.locals` key of the list of every endpoint with its access rule (see auth/routes.ts). */
export const ROUTE_TABLE = 'routeTable';

/**
 * Paths the server answers itself. They never fall back to the web client's
 * index.html: an unknown one is a 404 problem, not a 200 page.
 */
const SERVER_PATHS = ['/api', '/tiles', '/ogc', '/open311', '/ws'];

/** JSON request bodies above this are refused with 413 (uploads of GIS files get their own limit). */
const JSON_LIMIT = '1mb';

export function createApp({ db, config, log }: AppDependencies): express.Application {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  // An external base map (BASEMAP_STYLE_URL): its style from its origin, tiles, sprites and glyphs also from BASEMAP_ORIGINS.
  const basemap = basemapOrigins(config);
  // Video dispatch: hls.js fetches playlists and segments from the video gateways (connect-src)
  // and plays them through MediaSource blob: URLs (media-src); Safari's native HLS loads the URL itself.
  const cameraStreams = config.CAMERA_STREAM_ORIGINS ?? [];

  app.use(
    helmet({
      contentSecurityPolicy: {
        // Spelled out instead of helmet's defaults: those add upgrade-insecure-requests,
        // which breaks the plain-HTTP intranets the product runs on.
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          // MapLibre and Vue set element styles at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          // MapLibre creates images and its workers from blob: URLs; icons come as data: URLs.
          imgSrc: ["'self'", 'data:', 'blob:', ...basemap],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ['blob:'],
          // Live updates come over WebSocket from this same host.
          connectSrc: ["'self'", 'ws:', 'wss:', ...new Set([...basemap, ...cameraStreams])],
          mediaSrc: ["'self'", 'blob:', ...cameraStreams],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // HSTS belongs to whatever terminates TLS; sent over plain HTTP it is ignored or,
      // worse, pins a shared intranet host name to HTTPS.
      strictTransportSecurity: false,
    }),
  );

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Health is polled by load balancers and the big screen's watchdog: not worth a line each.
      autoLogging: { ignore: (req) => (req.url ?? '').split('?')[0] === '/api/health' },
      customLogLevel: (req, res, err) => {
        if (err || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return 'warn';
        return (req.url ?? '').startsWith('/api') ? 'info' : 'debug';
      },
      serializers: {
        // Method and URL only: headers carry cookies and tokens, which stay out of logs.
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: withoutApiKey(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.use(cookieParser());

  const policy = accessPolicy(config);
  const routeTable: RouteInfo[] = [];
  app.locals[ROUTE_TABLE] = routeTable;
  const routeDeps = { db, policy, writeLimiter: writeLimiter(config.WRITE_RATE_LIMIT) };
  const api = express.Router();
  api.use(express.json({ limit: JSON_LIMIT }));
  mountRoutes(
    api,
    '/api',
    [
      ...healthRoutes(db),
      ...openApiRoutes(routeTable),
      ...sessionRoutes(db, policy, loginLimiter(config.LOGIN_RATE_LIMIT)),
      ...tokenRoutes(db),
      ...userRoutes(db, policy),
      ...auditRoutes(db),
      ...centerRoutes(db),
      ...mapRoutes(db, config),
      ...searchRoutes(db),
      ...gridRoutes(db),
      ...cameraRoutes(db),
      ...patrolRoutes(db),
      ...incidentRoutes(db, config),
      ...photoRoutes(db),
      ...dispatchRoutes(db),
      ...geofenceRoutes(db),
    ],
    routeDeps,
    routeTable,
  );
  app.use('/api', api);

  const tiles = express.Router();
  mountRoutes(tiles, '/tiles', tileRoutes(db, { cacheBytes: config.TILE_CACHE_MB * 1024 * 1024 }), routeDeps, routeTable);
  app.use('/tiles', tiles);
  const ogcRouter = express.Router();
  mountRoutes(ogcRouter, '/ogc', ogcRoutes(db), routeDeps, routeTable);
  app.use('/ogc', ogcRouter);
  app.use('/open311', open311Router(db, config, routeDeps, routeTable, log));
  for (const prefix of SERVER_PATHS) app.use(prefix, notFoundUnder(prefix));

  serveClient(app, path.resolve(config.CLIENT_DIR));

  app.use(notFoundUnder(''));
  app.use(problemHandler(log));
  return app;
}

/** TRUST_PROXY as Express takes it: a boolean, a hop count, or names and addresses. */
function trustProxy(value: string): boolean | number | string {
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * The built web client: hashed assets cached for good, and every other GET that is
 * not a file answered with index.html so the client's router owns the URL. Gzipped:
 * a cold start downloads ≈ 2 MB of scripts, often over a thin line to a village
 * center (API answers and tiles are not compressed here; they are cached and revalidated).
 */
function serveClient(app: express.Application, clientDir: string): void {
  app.use(compression());
  app.use(
    express.static(clientDir, {
      index: false,
      redirect: false,
      setHeaders(res, filePath) {
        // Vite names everything under assets/ by content hash.
        if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        } else {
          // index.html and the offline shell's service worker: always asked for again, so a new build is seen at once.
          res.setHeader('Cache-Control', 'no-cache');
        }
      },
    }),
  );

  app.use((req, res, next) => {
    // A missing file (anything with an extension) is a 404, not the app shell.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || path.extname(req.path) !== '') {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: clientDir }, (err?: Error & { code?: string }) => {
      if (!err) return;
      if (err.code === 'ENOENT' && !res.headersSent) {
        res.status(503).type('html').send(CLIENT_NOT_BUILT);
        return;
      }
      next(err);
    });
  });
}

const CLIENT_NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pingan Map: client not built</title></head>
<body>
<h1>The web client is not built</h1>
<p>The server is running, but the folder it serves the client from has no <code>index.html</code>.
Run <code>npm run build</code> and reload this page. The API answers at <a href="/api/health">/api/health</a>.</p>
</body></html>
`;
