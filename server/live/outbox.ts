import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { deleteExpired, prepareMessages, readEvents, readHead, type PreparedMessage } from './repository.js';

/**
 * The reader of `live_events` in one server process. Triggers write the rows and
 * `NOTIFY pingan_live` (no payload); writers hold `pingan_live_lock()` (advisory lock
 * 7361002, migrations/0005) from their first row to their commit, so rows become visible in
 * seq order and reading `seq > position` never skips one that commits later.
 *
 * A notification wakes the reader; a burst of them costs one read in flight plus at most
 * one more. Each batch is turned into messages once, from the rows as they are now, and
 * handed to `deliver` in the same tick as `position` moves, so a client catching up from
 * the database up to `position` meets the live batches exactly where they start.
 */

export const LIVE_CHANNEL = 'pingan_live';
/** Rows per read. */
export const OUTBOX_BATCH = 1000;
/** A notification lost while the listening connection reconnects is picked up by this poll. */
const POLL_MS = 3000;
/** Rows are kept for a day: a client away longer reloads its views. */
const KEEP_SECONDS = 24 * 3600;
const RETENTION_EVERY_MS = 10 * 60_000;

export interface Outbox {
  /** The newest seq handed to `deliver`: every row up to it has been. */
  readonly position: number;
  close(): Promise<void>;
}

export interface OutboxOptions {
  db: Database;
  log: Logger;
  /** False while nobody listens: rows are then skipped without reading what they name. */
  hasClients(): boolean;
  /** A batch of messages in seq order; `upTo` is the newest seq it covers (rows without a message included). */
  deliver(batch: readonly PreparedMessage[], upTo: number): void;
}

export async function openOutbox({ db, log, hasClients, deliver }: OutboxOptions): Promise<Outbox> {
  let position = 0;
  let reading: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const drain = async () => {
    do {
      again = false;
      for (;;) {
        const rows = await readEvents(db, position, OUTBOX_BATCH);
        if (closed) return;
        if (rows.length === 0) break;
        // Without clients nothing awaits between this test and `deliver`, so none can
        // connect in between and miss the rows skipped here.
        const batch = hasClients() ? await prepareMessages(db, rows) : [];
        if (closed) return;
        position = rows.at(-1)!.seq;
        deliver(batch, position);
        if (rows.length < OUTBOX_BATCH) break;
      }
    } while (again && !closed);
  };

  const wake = () => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = drain()
      .catch((err: unknown) => log.warn({ err }, 'reading the live outbox failed; retrying at the next notification or poll'))
      .finally(() => (reading = undefined));
  };

  const sweep = () =>
    void deleteExpired(db, KEEP_SECONDS)
      .then((n) => n > 0 && log.debug({ rows: n }, 'live outbox: old rows deleted'))
      .catch((err: unknown) => log.warn({ err }, 'deleting old live outbox rows failed'));

  // Listen first, then read where the outbox stands: a row committed in between is
  // found by the read that follows, never lost between the two.
  const unlisten = await db.listen(LIVE_CHANNEL, wake);
  try {
    position = (await readHead(db)).newest;
  } catch (err) {
    await unlisten();
    throw err;
  }
  wake();
  sweep();
  const poll = setInterval(wake, POLL_MS).unref();
  const retention = setInterval(sweep, RETENTION_EVERY_MS).unref();

  return {
    get position() {
      return position;
    },
    async close() {
      closed = true;
      clearInterval(poll);
      clearInterval(retention);
      await unlisten().catch(() => undefined);
      await reading;
    },
  };
}
