import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.js';
import { createTestLogger } from '../support/log.js';

// The embedded database itself, whatever DATABASE_URL says: each case starts its own
// PGlite in a temp folder, as `npm start` does without DATABASE_URL.

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pingan-restart-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function openEmbedded(dataDir: string, migrate = true): Promise<Database> {
  return openDatabase({ dataDir, poolSize: 2, log: createTestLogger(), migrate });
}

describe('embedded database', () => {
  it('when a center is written, the database closed and reopened from the same folder, then the center is still there', async () => {
    await withTempDir(async (dir) => {
      const code = `TC-${randomUUID().slice(0, 8).toUpperCase()}`;
      const first = await openEmbedded(dir);
      try {
        expect(first.mode).toBe('embedded');
        await first.query(
          `INSERT INTO centers (code, name, level, location) VALUES ($1, '重启测试区', 'district', ST_SetSRID(ST_MakePoint(106.6, 30.5), 4326))`,
          [code],
        );
      } finally {
        await first.close();
      }

      const reopened = await openEmbedded(dir);
      try {
        const { rows } = await reopened.query<{ name: string; lon: number }>(
          'SELECT name, ST_X(location) AS lon FROM centers WHERE code = $1',
          [code],
        );
        expect(rows).toEqual([{ name: '重启测试区', lon: 106.6 }]);
      } finally {
        await reopened.close();
      }
    });
  });

  it('when a payload is notified on a channel, then a listener on the embedded database receives it', async () => {
    await withTempDir(async (dir) => {
      // LISTEN/NOTIFY needs no schema: skip the migrations to save the PostGIS set-up.
      const db = await openEmbedded(dir, false);
      try {
        let deliver: (payload: string) => void = () => undefined;
        const received = new Promise<string>((resolve) => (deliver = resolve));
        const unlisten = await db.listen('pingan_test_channel', (payload) => deliver(payload));
        await db.notify('pingan_test_channel', '{"incident":42}');
        const payload = await Promise.race([
          received,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no notification within 5 s')), 5000).unref()),
        ]);
        expect(JSON.parse(payload)).toEqual({ incident: 42 });
        await unlisten();
      } finally {
        await db.close();
      }
    });
  });
});
