import { z } from 'zod';

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
