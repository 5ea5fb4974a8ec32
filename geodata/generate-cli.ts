import { openDatabase } from '../server/db/database.js';
import { createLogger } from '../server/log.js';
import { DEMO_DIR } from './dataset.js';
import { DEMO_PLAN } from './generator/district.js';
import { DEMO_SEED, generateDemo } from './generator/generate.js';

/**
 * `npm run generate:demo`: regenerates geodata/demo/ from the fixed seed. PostGIS computes
 * the geometry: the embedded one in a scratch folder, or DATABASE_URL's if set (only
 * temporary tables are used).
 */
const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? './data/generator', poolSize: 1, log, migrate: false });
const client = await db.connect();
try {
  await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await generateDemo(client, {
    seed: DEMO_SEED,
    plan: DEMO_PLAN,
    incidents: 10_000,
    cameras: { xueliang: 703, tianwang: 1115, social: 1000 },
    outDir: DEMO_DIR,
    log: (msg) => console.log(msg),
  });
} finally {
  client.release();
  await db.close();
}
