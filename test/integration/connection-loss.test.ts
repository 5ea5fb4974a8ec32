import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { openTestDatabase } from '../support/db.js';

describe('database connection loss', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase({ poolSize: 2 });
  });
  afterAll(async () => {
    await db.close();
  });

  it('when a checked-out connection drops, then its query fails, the process lives on and the pool recovers', async () => {
    const client = await db.connect();
    // The same as a database restart or a crashed backend, seen from the client side.
    const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
    const pending = client.query('SELECT pg_sleep(0.5)');
    socket.destroy(new Error('simulated connection loss'));
    await expect(pending).rejects.toThrow();
    client.release(true);
    // An unheard 'error' event on the client would have ended the test process by now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM centers');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
