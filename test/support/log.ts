import { createLogger, type Logger } from '../../server/log.js';

/** Silent unless TEST_LOG_LEVEL asks otherwise (e.g. TEST_LOG_LEVEL=debug npx vitest run …). */
export function createTestLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL || 'silent');
}
