import type { PGlite } from '@electric-sql/pglite';

// Wire-protocol message types (first byte of a message).
const SYNC = 0x53; // 'S' (frontend)
const QUERY = 0x51; // 'Q' (frontend, simple query)
const READY_FOR_QUERY = 0x5a; // 'Z' (backend)

type RawStreamOptions = Parameters<PGlite['execProtocolRawStream']>[1];

/**
 * Two repairs between PGlite 0.5.8 and the socket server in front of it.
 *
 * ReadyForQuery: PGlite answers an extended-protocol message that fails (a Parse, Bind
 * or Execute hitting an error) with ErrorResponse *and* ReadyForQuery, and then the
 * Sync that follows with a second ReadyForQuery. A real server sends only the one
 * after Sync. A pg client that has already sent its next query takes the extra
 * ReadyForQuery as the end of that query, and from then on every answer on the
 * connection belongs to the previous question ("Received unexpected
 * commandComplete message", or silently wrong rows). So ReadyForQuery is let through
 * only in answer to Sync, a simple Query or the startup message, which is where the
 * protocol puts it.
 *
 * Whole exchanges: the socket server keeps one connection's messages together only
 * while PGlite reports an open transaction. A parameterised query outside one is
 * several messages (Parse, Bind, Describe, Execute, Sync), and another connection's
 * transaction could run between them: the query then ran that connection's statement
 * or failed with 'portal "" does not exist' (20 concurrent intakes showed it every
 * time). So an exchange counts as a transaction from its first message to its Sync.
 *
 * Everything else of the PGlite instance is passed through untouched.
 */
export function withStrictReadyForQuery(db: PGlite): PGlite {
  let midExchange = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => midExchange || target.isInTransaction();
      if (prop === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: RawStreamOptions) => {
          const type = message[0];
          // The startup message has no type byte: it begins with its length (first byte 0).
          const endsExchange = type === SYNC || type === QUERY || type === 0;
          try {
            if (endsExchange || !options?.onRawData) return await target.execProtocolRawStream(message, options);
            return await target.execProtocolRawStream(message, { ...options, onRawData: dropReadyForQuery(options.onRawData) });
          } finally {
            midExchange = !endsExchange;
          }
        };
      }
      if (prop === 'exec') {
        // The socket server rolls back a connection that went away mid-exchange with exec().
        return (...args: Parameters<PGlite['exec']>) => {
          midExchange = false;
          return target.exec(...args);
        };
      }
      // PGlite keeps its state in #private fields: methods must run with the real instance as `this`.
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A filter over the backend's output for one frontend message that removes whole
 * ReadyForQuery messages, wherever the chunk boundaries fall.
 */
export function dropReadyForQuery(forward: (data: Uint8Array) => void): (chunk: Uint8Array) => void {
  let header: Uint8Array = new Uint8Array(0); // the start of a message header split across chunks (< 5 bytes)
  let keep = 0; // bytes of the current kept message still to forward
  let skip = 0; // bytes of the current dropped message still to skip
  return (chunk) => {
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (keep > 0) {
        const n = Math.min(keep, chunk.length - i);
        out.push(chunk.subarray(i, i + n));
        keep -= n;
        i += n;
      } else if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
      } else {
        // At a message boundary: type byte and int32 length (which counts itself).
        const take = chunk.subarray(i, i + 5 - header.length);
        header = concat([header, take]);
        i += take.length;
        if (header.length < 5) break;
        const body = new DataView(header.buffer, header.byteOffset, 5).getInt32(1) - 4;
        if (header[0] === READY_FOR_QUERY) {
          skip = body;
        } else {
          out.push(header);
          keep = body;
        }
        header = new Uint8Array(0);
      }
    }
    // One write per chunk; copied, since PGlite may reuse its buffer after the callback.
    if (out.length > 0) forward(concat(out));
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const result = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    result.set(p, offset);
    offset += p.length;
  }
  return result;
}
