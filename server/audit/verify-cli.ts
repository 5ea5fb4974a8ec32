import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { createLogger } from '../log.js';
import { verifyAuditChain } from './repository.js';

// `npm run audit:verify`: walks the audit trail's hash chain on the configured
// database. Exit 0 when intact, 2 when a row was changed, removed or inserted.

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1, log });
try {
  const result = await verifyAuditChain(db);
  if (result.ok) {
    console.log(`audit trail intact: ${result.checked} entries, last id ${result.lastId ?? '-'}`);
  } else {
    console.error(`audit trail BROKEN at entry ${result.firstBrokenId} (${result.checked} entries checked): ` +
      'that entry or the one before it was changed, removed or inserted outside the application');
    process.exitCode = 2;
  }
} finally {
  await db.close();
}
