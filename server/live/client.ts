import { WebSocket } from 'ws';
import type { Caller } from '../auth/caller.js';
import type { Queryable } from '../db/database.js';
import type { Logger } from '../log.js';
import type { LiveMessage, ResyncReason } from './messages.js';
import { OUTBOX_BATCH, type Outbox } from './outbox.js';
import { countBacklog, prepareMessages, readHead, readScopedEvents, type OutboxHead, type PreparedMessage } from './repository.js';

/** A reconnect further back than this many rows reloads its views instead of catching up. */
const CATCH_UP_LIMIT = 2000;
/**
 * Bytes a socket may have queued before the stream stops writing to it. Far more than a
 * burst of live messages needs, so only a client that does not read reaches it.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * One connected socket. `cursor` is the seq up to which the client has everything of its
 * jurisdiction; only rows above it are sent, so catch-up and live batches never repeat
 * or skip a row:
 *
 * - `catching-up`: reads its missed rows from the database up to the outbox's position,
 *   and again while that position moves, ignoring live batches meanwhile; once its cursor
 *   reaches the position (checked in the same tick as it moves) it turns `live`.
 * - `live`: sends what each outbox batch holds for its jurisdiction.
 * - `stalled`: its socket holds more than MAX_BUFFERED_BYTES; nothing is written until the
 *   queue has drained, then one `resync` (behind) and live from the outbox's position.
 */
export class LiveClient {
  private cursor = 0;
  private state: 'catching-up' | 'live' | 'stalled' = 'catching-up';
  /** Answered the last ping; see `heartbeat`. */
  private alive = true;

  constructor(
    private readonly socket: WebSocket,
    readonly caller: Caller,
    private readonly scope: ReadonlySet<number>,
    private readonly outbox: Outbox,
    private readonly db: Queryable,
    private readonly log: Logger,
  ) {
    socket.on('pong', () => (this.alive = true));
  }

  /**
   * Greets the client and starts it where it asked: `after` a seq it saw (catching up on
   * what it missed) or, without one, at the outbox's position. `hello` carries where the
   * stream starts, so the seq of every message the client receives is a point it can
   * resume after.
   */
  async open(after: number | undefined): Promise<void> {
    if (after === undefined) {
      this.send({ type: 'hello', seq: this.outbox.position });
      this.goLive();
      return;
    }
    const head = await readHead(this.db);
    const reason = await this.resyncReason(after, head);
    if (!this.isOpen()) return;
    this.send({ type: 'hello', seq: after });
    if (reason) {
      // From the newest row even if this process has not read up to it yet: the client
      // reloads its views after this, so what lies between is in them already.
      this.resync(reason, head.newest);
      return;
    }
    this.cursor = after;
    await this.catchUp();
  }

  /** An outbox batch: rows up to `upTo`, the messages among them in seq order. */
  deliver(batch: readonly PreparedMessage[], upTo: number): void {
    if (this.state !== 'live') return;
    for (const message of batch) {
      if (message.seq <= this.cursor || !this.covers(message.centerId)) continue;
      if (!this.write(message.text)) return;
    }
    this.cursor = Math.max(this.cursor, upTo);
  }

  /** Every 30 s: false when the last ping went unanswered (the caller ends the socket). */
  heartbeat(): boolean {
    if (!this.alive) return false;
    this.alive = false;
    this.socket.ping();
    return true;
  }

  onClosed(listener: () => void): void {
    if (this.socket.readyState === WebSocket.CLOSED) listener();
    else this.socket.once('close', listener);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  private async resyncReason(after: number, head: OutboxHead): Promise<ResyncReason | undefined> {
    // Old rows go as a prefix of seq (sql/retention.sql): a gap between `after` and the
    // oldest kept row means rows it never saw were deleted. Beyond the newest, `after`
    // comes from another database.
    if (after > head.newest || (head.oldest !== null && after < head.oldest - 1)) return 'expired';
    const backlog = await countBacklog(this.db, after, head.newest, CATCH_UP_LIMIT + 1);
    return backlog > CATCH_UP_LIMIT ? 'behind' : undefined;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const upTo = this.outbox.position;
      if (this.cursor >= upTo) {
        this.goLive();
        return;
      }
      const rows = await readScopedEvents(this.db, this.cursor, upTo, this.caller.center.id, OUTBOX_BATCH);
      const messages = await prepareMessages(this.db, rows);
      if (this.state !== 'catching-up' || !this.isOpen()) return;
      for (const message of messages) {
        if (!this.write(message.text)) return;
      }
      this.cursor = rows.length === OUTBOX_BATCH ? rows.at(-1)!.seq : upTo;
    }
  }

  private goLive(from = this.outbox.position): void {
    this.cursor = Math.max(this.cursor, from);
    this.state = 'live';
  }

  /** Skips to `from` (at least the outbox's position) and tells the client to reload its views. */
  private resync(reason: ResyncReason, from = this.outbox.position): void {
    this.goLive(Math.max(from, this.outbox.position));
    this.send({ type: 'resync', seq: this.cursor, reason });
  }

  private covers(centerId: number | null): boolean {
    return centerId === null || this.scope.has(centerId);
  }

  private isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  private send(message: LiveMessage): void {
    this.write(JSON.stringify(message));
  }

  /** False when the message was not written: the socket is closing or the client stalled. */
  private write(text: string): boolean {
    if (!this.isOpen()) return false;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      if (this.state !== 'stalled') this.log.info({ user: this.caller.username, buffered: this.socket.bufferedAmount }, 'live client not reading; holding its messages');
      this.state = 'stalled';
      return false;
    }
    this.socket.send(text, this.afterWrite);
    return true;
  }

  /** Called once each frame has left for the network; the last of a stalled client's ends the stall. */
  private readonly afterWrite = (err?: Error) => {
    if (err || this.state !== 'stalled' || this.socket.bufferedAmount > 0) return;
    this.log.info({ user: this.caller.username }, 'live client drained; resyncing it');
    this.resync('behind');
  };
}
