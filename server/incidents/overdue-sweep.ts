import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';

/** Incidents flagged per sweep; a backlog (e.g. after a long stop) is worked off over several sweeps. */
const BATCH = 5000;

/**
 * 督办: every `seconds`, flag open incidents past their deadline (pingan_flag_overdue,
 * migration 0005) with a 'supervise' step; the flags reach operators over the live stream.
 * Every server process runs one: the row updates decide who flags, so each incident is
 * flagged once. Returns a stop function.
 */
export function startOverdueSweep(db: Database, log: Logger, seconds: number): () => void {
  if (seconds <= 0) return () => undefined;
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const { rows } = await db.tx((q) => q.query('SELECT incident_id FROM pingan_flag_overdue(now(), $1)', [BATCH]));
      if (rows.length > 0) log.info({ flagged: rows.length }, `flagged ${rows.length} overdue incidents`);
    } catch (err) {
      log.warn({ err }, 'overdue sweep failed; trying again at the next one');
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), seconds * 1000).unref();
  return () => clearInterval(timer);
}
