import { z } from 'zod';

/**
 * A comma-separated list of http(s) origins, normalised (`https://HOST/` → `https://host`).
 * Anything else (a path, another scheme, a wildcard) is refused: these go into the
 * Content-Security-Policy, where a stray path or `*` would widen what pages may load.
 */
function httpOrigins(value: string, ctx: z.RefinementCtx, example: string): string[] {
  const origins = value.split(',').map((part) => part.trim()).filter(Boolean);
  const invalid = origins.filter((origin) => !/^https?:\/\/[^/\s]+\/?$/i.test(origin) || !URL.canParse(origin));
  for (const origin of invalid) ctx.addIssue({ code: 'custom', message: `'${origin}' is not an http(s) origin such as ${example}` });
  return invalid.length > 0 ? z.NEVER : origins.map((origin) => new URL(origin).origin);
}

/**
 * All configuration in one schema. Each key names its environment variable,
 * documents itself and has a default, so a bad value stops the server at start-up
 * with a message that says which variable and why.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080)
    .describe('HTTP port the server listens on (0 picks a free port).'),
  HOST: z.string().min(1).default('0.0.0.0')
    .describe('Interface to bind; 127.0.0.1 keeps the server local.'),
  DATABASE_URL: z.string().url().optional()
    .describe('postgres:// URL of a real PostGIS. Unset: the embedded PGlite + PostGIS is used.'),
  DATA_DIR: z.string().min(1).default('./data')
    .describe('Folder of the embedded database (ignored with DATABASE_URL).'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10)
    .describe('Connections in the pg pool.'),
  SEED_DEMO: z.enum(['auto', 'never']).default('auto')
    .describe('auto: load the demo district into an empty database at start; never: leave it empty.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
    .describe('pino log level.'),
  CLIENT_DIR: z.string().min(1).default('./dist/client')
    .describe('Folder of the built web client served at /.'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development')
    .describe('production: seeded demo accounts must change their password at first login.'),
  TRUST_PROXY: z.string()
    .regex(/^(true|false|\d{1,2}|(loopback|linklocal|uniquelocal|[\da-f.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[\da-f.:]+(\/\d{1,3})?))*)$/i,
      'must be true, false, a hop count, or a comma-separated list of loopback, linklocal, uniquelocal and addresses/CIDRs')
    .default('false')
    .describe("Express 'trust proxy': set it (e.g. loopback or 1) behind a TLS-terminating proxy so client addresses and Secure cookies are right."),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30)
    .describe('A browser session ends after this many minutes without a request.'),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12)
    .describe('A browser session ends this many hours after login, active or not.'),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(8)
    .describe('Shortest password accepted (at least three character classes are always required).'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5)
    .describe('Consecutive failed logins that lock an account.'),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30)
    .describe('How long a locked account stays locked.'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10)
    .describe('Failed logins allowed per user name and client address in 15 minutes before 429.'),
  WRITE_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(300)
    .describe('Writes (POST, PUT, PATCH, DELETE) allowed per user in one minute before 429.'),
  TILE_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(256)
    .describe('Memory for built vector tiles (0 turns the cache off); entries are keyed by the data they draw, so changes never serve an old tile.'),
  BASEMAP_STYLE_URL: z.string()
    .url()
    .max(2000)
    .refine((v) => /^https?:\/\//i.test(v), 'must be an http:// or https:// URL')
    .optional()
    .describe('http(s) URL of an external MapLibre style JSON (an intranet tile server, or 天地图 with its token in the URL) for the base map. Unset: the built-in offline base map. Its origin is allowed in the Content-Security-Policy.'),
  BASEMAP_DATUM: z.enum(['wgs84', 'gcj02']).default('wgs84')
    .describe('Datum of the base map\'s tiles: wgs84 (天地图, the built-in map, most intranet servers) or gcj02 (高德/腾讯-style tiles), which the client shifts the data onto.'),
  BASEMAP_ORIGINS: z.string()
    .max(2000)
    .transform((v, ctx) => httpOrigins(v, ctx, 'https://t0.tianditu.gov.cn'))
    .optional()
    .describe('Comma-separated http(s) origins the external style loads tiles, sprites or glyphs from besides its own (e.g. https://t0.tianditu.gov.cn,https://t1.tianditu.gov.cn); allowed in the Content-Security-Policy.'),
  CAMERA_STREAM_ORIGINS: z.string()
    .max(2000)
    .transform((v, ctx) => httpOrigins(v, ctx, 'http://10.20.0.5:8088'))
    .optional()
    .describe('Comma-separated http(s) origins of the video gateways that serve the cameras\' HLS streams (e.g. http://10.20.0.5:8088); allowed in the Content-Security-Policy so the browser can load and play them.'),
  INTAKE_OUTSIDE: z.enum(['reject', 'nearest']).default('reject')
    .describe('An incident reported outside every grid: reject it (422), or attribute it to the nearest level-3 grid and flag it for the operator.'),
  INTAKE_BOUNDARY_M: z.coerce.number().min(0).max(100).default(5)
    .describe('An incident within this many metres of another level-3 grid is flagged "boundary: confirm grid" for the operator.'),
  OVERDUE_SWEEP_SECONDS: z.coerce.number().int().min(0).max(3600).default(30)
    .describe('How often each server flags open incidents past their deadline (督办); 0 turns the sweep off.'),
}).refine((c) => c.BASEMAP_DATUM === 'wgs84' || c.BASEMAP_STYLE_URL !== undefined, {
  // Our own base map is WGS84: shifting the overlays would move them off it.
  message: 'gcj02 needs BASEMAP_STYLE_URL (the built-in base map is WGS84)',
  path: ['BASEMAP_DATUM'],
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings in the environment mean "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      const doc = schema.shape[key as keyof typeof schema.shape]?.description ?? '';
      return `  ${key}: ${issue.message}${doc ? ` (${doc})` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
