import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { createLogger } from '../server/log.js';
import { loadDemo } from './seed/load.js';
import { seedScale } from './seed/scale.js';

const HELP = `npm run seed [-- options]
  (no options)          load the demo district into the configured database, replacing what is there
  --incidents N         then add N generated incidents (e.g. 1000000) for benchmarks
  --grids N             build a district of about N level-3 grids instead of the demo (e.g. 50000)
  --keep                don't reload first: only add the --incidents to what is loaded (with --grids N:
                        to the district of N grids generated and loaded earlier, whose files it reads)
Uses DATABASE_URL when set, else the embedded database in DATA_DIR.`;

const { values } = parseArgs({
  options: { incidents: { type: 'string' }, grids: { type: 'string' }, keep: { type: 'boolean' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const count = (v: string | undefined, name: string) => {
  if (v === undefined) return 0;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 0 || n > 100_000_000) throw new Error(`--${name} must be a whole number up to 100000000, got "${v}"`);
  return n;
};

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2, log });
try {
  const incidents = count(values.incidents, 'incidents');
  const grids = count(values.grids, 'grids');
  if (grids === 0 && !values.keep) await loadDemo(db, log, { reset: true, accountsMustChangePassword: config.NODE_ENV === 'production' });
  await seedScale(db, log, { grids, incidents, keep: values.keep === true, workDir: path.join(config.DATA_DIR, 'generated') });
} finally {
  await db.close();
}
