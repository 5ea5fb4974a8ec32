import { describe, expect, it } from 'vitest';
import { dropReadyForQuery } from '../../server/db/pglite-protocol.js';

// Backend messages as bytes: type, int32 length (counting itself), body.
const message = (type: string, body: number[] = []) => {
  const length = 4 + body.length;
  return [type.charCodeAt(0), (length >>> 24) & 255, (length >>> 16) & 255, (length >>> 8) & 255, length & 255, ...body];
};
const ERROR = message('E', [0x53, 0x45, 0x52, 0x52, 0x4f, 0x52, 0]); // "SERROR\0"
const READY_IDLE = message('Z', [0x49]);
const PARSE_COMPLETE = message('1');

/** Feeds `bytes` to the filter split at `cuts`, returns what came out. */
function filter(bytes: number[], cuts: number[]): number[] {
  const out: number[] = [];
  const feed = dropReadyForQuery((data) => out.push(...data));
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    feed(Uint8Array.from(bytes.slice(start, cut)));
    start = cut;
  }
  return out;
}

describe('dropReadyForQuery', () => {
  it('when an error is followed by ReadyForQuery in one chunk, then only the error goes through', () => {
    expect(filter([...ERROR, ...READY_IDLE], [])).toEqual(ERROR);
  });

  it('when messages are split anywhere across chunks, then the same bytes come out', () => {
    const bytes = [...PARSE_COMPLETE, ...READY_IDLE, ...ERROR, ...READY_IDLE];
    const expected = [...PARSE_COMPLETE, ...ERROR];
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        expect(filter(bytes, [a, b])).toEqual(expected);
      }
    }
  });

  it('when there is no ReadyForQuery, then everything goes through unchanged', () => {
    const bytes = [...PARSE_COMPLETE, ...ERROR];
    expect(filter(bytes, [2, 7])).toEqual(bytes);
  });
});
