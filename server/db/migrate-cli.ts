import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openDatabase } from './database.js';

// `npm run migrate`: applies pending migrations to the configured database and exits.
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2, log });
await db.close();
