import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Role } from '../../server/auth/permissions.js';
import { secretHash } from '../../server/auth/secrets.js';
import { verifyAuditChain } from '../../server/audit/repository.js';
import type { Database } from '../../server/db/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { login, signIn, type ApiSession } from '../support/session.js';

// The audit trail: what is recorded (who, what, on what, from where, with what outcome),
// what an auditor may search and export, and that the database keeps it append-only
// and tamper-evident. The tamper test changes one row of the shared database for a
// moment and restores it byte for byte; afterAll restores it too if a test failed midway.

const PASSWORD = 'Audit#Pass2026';
const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface Entry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  role: string | null;
  centerId: number | null;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  detail: Record<string, unknown>;
}

interface TestUser {
  id: number;
  username: string;
  role: Role;
  centerId: number;
}

/** The audit rows after `mark`, oldest first, in the API's shape. */
async function entriesAfter(db: Database, mark: number): Promise<Entry[]> {
  const { rows } = await db.query<{
    id: number;
    at: Date;
    user_id: number | null;
    username: string | null;
    role: string | null;
    center_id: number | null;
    ip: string | null;
    action: string;
    object_type: string | null;
    object_id: string | null;
    outcome: Entry['outcome'];
    detail: Record<string, unknown>;
  }>('SELECT * FROM audit_log WHERE id > $1 ORDER BY id', [mark]);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    userId: r.user_id,
    username: r.username,
    role: r.role,
    centerId: r.center_id,
    ip: r.ip,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    outcome: r.outcome,
    detail: r.detail,
  }));
}

async function lastAuditId(db: Database): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT coalesce(max(id), 0)::bigint AS id FROM audit_log');
  return rows[0]!.id;
}

/** A minimal RFC 4180 reader: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const run = promisify(execFile);

/** `npm run audit:verify` against the run's database: its exit code and output. */
async function verifyCli(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'server/audit/verify-cli.ts'], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'error' },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('audit trail', () => {
  let server: TestServer;
  let db: Database;
  const created = new Set<number>();
  /** A district administrator and a village operator made for this file. */
  let admin: TestUser;
  let operator: TestUser;
  let adminSession: ApiSession;
  let districtAuditor: ApiSession;
  let townAuditor: ApiSession;
  let villageCenter: number;
  let unknownName: string;
  /** The user this file's administrator created (its user.create entry is district-only). */
  let createdUserId: number;
  /** A row the tamper test changed and has not restored yet. */
  let tampered: { id: number; detail: string } | undefined;

  const base = () => server.baseUrl;

  async function createUser(role: Role, centerId: number): Promise<TestUser> {
    const username = `t-aud-${role.slice(0, 4)}-${randomUUID().slice(0, 8)}`;
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO users (username, display_name, role, center_id, password_hash, must_change_password)
       VALUES ($1, '审计测试', $2, $3, $4, false) RETURNING id`,
      [username, role, centerId, await hashPassword(PASSWORD)],
    );
    created.add(rows[0]!.id);
    return { id: rows[0]!.id, username, role, centerId };
  }

  /** An auditor's search, as JSON. */
  async function search(auditor: ApiSession, query: string): Promise<{ entries: Entry[]; next: string | null }> {
    const response = await auditor.get(`/api/audit?${query}`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as { entries: Entry[]; next: string | null };
  }

  /** Replica mode skips the append-only triggers: what someone with database access could do. */
  async function rewriteDetail(id: number, detail: string): Promise<void> {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query('UPDATE audit_log SET detail = $2::jsonb WHERE id = $1', [id, detail]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    db = server.db;
    const { rows } = await db.query<{ district: number; village: number }>(
      `SELECT (SELECT id FROM centers WHERE code = 'C-511699') AS district, (SELECT id FROM centers WHERE code = 'C-511699-01-001') AS village`,
    );
    villageCenter = rows[0]!.village;
    admin = await createUser('district_admin', rows[0]!.district);
    operator = await createUser('operator', villageCenter);
    adminSession = await signIn(base(), admin.username, PASSWORD);
    districtAuditor = await signIn(base(), 'auditor.district');
    townAuditor = await signIn(base(), 'auditor.town');
    unknownName = `t-aud-nobody-${randomUUID().slice(0, 8)}`;
  });

  afterAll(async () => {
    if (tampered && db) await rewriteDetail(tampered.id, tampered.detail);
    if (created.size > 0) await db?.query('DELETE FROM users WHERE id = ANY($1::bigint[])', [[...created]]);
    await server?.close();
  });

  describe('what is recorded', () => {
    it('when a user signs in, then auth.login success is recorded with the user, role, center, address and session', async () => {
      const mark = await lastAuditId(db);
      const s = await signIn(base(), operator.username, PASSWORD);
      const { rows } = await db.query<{ id: string }>('SELECT id FROM sessions WHERE token_hash = $1', [secretHash(s.cookie.slice('pm_session='.length))]);
      expect(await entriesAfter(db, mark)).toEqual([
        {
          id: expect.any(Number),
          at: expect.any(String),
          userId: operator.id,
          username: operator.username,
          role: 'operator',
          centerId: villageCenter,
          ip: '127.0.0.1',
          action: 'auth.login',
          objectType: 'session',
          objectId: rows[0]!.id,
          outcome: 'success',
          detail: {},
        },
      ]);
    });

    it('when a sign-in fails, then auth.login failure is recorded: with the account for a wrong password, without one for an unknown name', async () => {
      const mark = await lastAuditId(db);
      expect((await login(base(), operator.username, 'Wrong#Pass2026')).status).toBe(401);
      expect((await login(base(), unknownName, 'Wrong#Pass2026')).status).toBe(401);
      const entries = await entriesAfter(db, mark);
      expect(entries).toEqual([
        expect.objectContaining({
          userId: operator.id,
          username: operator.username,
          role: 'operator',
          centerId: villageCenter,
          ip: '127.0.0.1',
          action: 'auth.login',
          outcome: 'failure',
          detail: expect.objectContaining({ reason: 'wrong_password', failedLogins: 1 }),
        }),
        expect.objectContaining({
          userId: null,
          username: unknownName,
          role: null,
          centerId: null,
          ip: '127.0.0.1',
          action: 'auth.login',
          outcome: 'failure',
          detail: { reason: 'unknown_user' },
        }),
      ]);
      // No password in the trail.
      expect(JSON.stringify(entries)).not.toContain('Wrong#Pass2026');
      // Reset the failure count with a good sign-in.
      expect((await login(base(), operator.username, PASSWORD)).status).toBe(200);
    });

    it('when a user signs out, then auth.logout success is recorded for its session', async () => {
      const s = await signIn(base(), operator.username, PASSWORD);
      const { rows } = await db.query<{ id: string }>('SELECT id FROM sessions WHERE token_hash = $1', [secretHash(s.cookie.slice('pm_session='.length))]);
      const mark = await lastAuditId(db);
      expect((await s.send('POST', '/api/auth/logout')).status).toBe(204);
      expect(await entriesAfter(db, mark)).toEqual([
        expect.objectContaining({ userId: operator.id, action: 'auth.logout', outcome: 'success', objectType: 'session', objectId: rows[0]!.id, ip: '127.0.0.1' }),
      ]);
    });

    it('when an administrator creates and changes a user, then user.create and user.update are recorded with the object and no password', async () => {
      const mark = await lastAuditId(db);
      const username = `t-aud-new-${randomUUID().slice(0, 8)}`;
      const response = await adminSession.send('POST', '/api/users', {
        username,
        displayName: '新用户',
        role: 'leader',
        centerId: villageCenter,
        password: 'Initial#Pass2026',
      });
      expect(response.status).toBe(201);
      createdUserId = ((await response.json()) as { id: number }).id;
      created.add(createdUserId);
      expect((await adminSession.send('PATCH', `/api/users/${createdUserId}`, { displayName: '改过的名字' })).status).toBe(200);
      const entries = await entriesAfter(db, mark);
      const actor = { userId: admin.id, username: admin.username, role: 'district_admin', centerId: admin.centerId, ip: '127.0.0.1' };
      expect(entries).toEqual([
        expect.objectContaining({
          ...actor,
          action: 'user.create',
          outcome: 'success',
          objectType: 'user',
          objectId: String(createdUserId),
          detail: { username, role: 'leader', centerId: villageCenter },
        }),
        expect.objectContaining({
          ...actor,
          action: 'user.update',
          outcome: 'success',
          objectType: 'user',
          objectId: String(createdUserId),
          detail: { change: { displayName: '改过的名字' } },
        }),
      ]);
      expect(JSON.stringify(entries)).not.toContain('Initial#Pass2026');
    });

    it('when a user creates an access token, then token.create is recorded with the token id and not its secret', async () => {
      const s = await signIn(base(), operator.username, PASSWORD);
      const mark = await lastAuditId(db);
      const response = await s.send('POST', '/api/tokens', { name: 'audit test', expiresInDays: 1 });
      expect(response.status).toBe(201);
      const token = (await response.json()) as { id: number; token: string; expiresAt: string };
      const entries = await entriesAfter(db, mark);
      expect(entries).toEqual([
        expect.objectContaining({
          userId: operator.id,
          action: 'token.create',
          outcome: 'success',
          objectType: 'token',
          objectId: String(token.id),
          ip: '127.0.0.1',
          detail: { name: 'audit test', role: null, expiresAt: token.expiresAt },
        }),
      ]);
      expect(JSON.stringify(entries)).not.toContain(token.token.slice(3));
    });

    it('when personal data is unmasked, then incident.unmask is recorded with the incident and the reason', async () => {
      const { rows } = await db.query<{ id: number; number: string; reporter_phone: string }>(
        'SELECT id, number, reporter_phone FROM incidents WHERE center_id = $1 ORDER BY id LIMIT 1',
        [villageCenter],
      );
      const incident = rows[0]!;
      const s = await signIn(base(), operator.username, PASSWORD);
      const mark = await lastAuditId(db);
      const response = await s.send('POST', `/api/incidents/${incident.id}/personal-data`, { reason: '电话回访当事人' });
      expect(response.status).toBe(200);
      const entries = await entriesAfter(db, mark);
      expect(entries).toEqual([
        expect.objectContaining({
          userId: operator.id,
          role: 'operator',
          action: 'incident.unmask',
          outcome: 'success',
          objectType: 'incident',
          objectId: String(incident.id),
          ip: '127.0.0.1',
          detail: { number: incident.number, reason: '电话回访当事人' },
        }),
      ]);
      expect(JSON.stringify(entries)).not.toContain(incident.reporter_phone);
    });

    it('when a leader asks for the user list, then the refusal is recorded as denied', async () => {
      const leader = await signIn(base(), 'leader.town');
      const mark = await lastAuditId(db);
      expect((await leader.get('/api/users?q=x')).status).toBe(403);
      expect(await entriesAfter(db, mark)).toEqual([
        expect.objectContaining({
          userId: leader.session.user.id,
          username: 'leader.town',
          role: 'leader',
          centerId: leader.session.user.center.id,
          ip: '127.0.0.1',
          action: 'request.denied',
          outcome: 'denied',
          detail: { status: 403, problem: 'urn:pingan:problem:forbidden', method: 'GET', path: '/api/users' },
        }),
      ]);
    });

    it('when a write fails, then it is recorded as a failure under its action', async () => {
      const s = await signIn(base(), operator.username, PASSWORD);
      const mark = await lastAuditId(db);
      expect((await s.send('DELETE', '/api/tokens/999999999')).status).toBe(404);
      expect(await entriesAfter(db, mark)).toEqual([
        expect.objectContaining({
          userId: operator.id,
          action: 'token.revoke',
          outcome: 'failure',
          objectId: '999999999',
          detail: { status: 404, problem: 'about:blank', path: '/api/tokens/999999999' },
        }),
      ]);
    });
  });

  describe('searching', () => {
    let mine: Entry[];
    beforeAll(async () => {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM audit_log WHERE user_id = $1 ORDER BY id', [operator.id]);
      mine = (await entriesAfter(db, rows[0]!.id - 1)).filter((e) => e.userId === operator.id).reverse();
      expect(mine.length).toBeGreaterThanOrEqual(8);
    });

    it("when the district auditor searches by user, then it gets exactly that user's entries, newest first, as the database has them", async () => {
      const { entries, next } = await search(districtAuditor, `user=${operator.username.toUpperCase()}`);
      expect(entries).toEqual(mine);
      expect(next).toBeNull();
      for (const entry of entries) expect(Object.keys(entry).sort()).toEqual(Object.keys(mine[0]!).sort());
    });

    it('when the auditor pages with limit and before, then the pages join up to the whole list without gaps or repeats', async () => {
      const seen: Entry[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const page: { entries: Entry[]; next: string | null } = await search(districtAuditor, `user=${operator.username}&limit=3${before ? `&before=${before}` : ''}`);
        expect(page.entries.length).toBeLessThanOrEqual(3);
        if (page.next !== null) expect(page.next).toBe(String(page.entries.at(-1)!.id));
        seen.push(...page.entries);
        before = page.next;
        pages++;
      } while (before !== null && pages < 50);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(seen).toEqual(mine);
    });

    it('when the auditor filters by action, an action prefix or an outcome, then only matching entries come back', async () => {
      const logins = await search(districtAuditor, `user=${operator.username}&action=auth.login`);
      expect(logins.entries).toEqual(mine.filter((e) => e.action === 'auth.login'));
      const auth = await search(districtAuditor, `user=${operator.username}&action=auth.`);
      expect(auth.entries).toEqual(mine.filter((e) => e.action.startsWith('auth.')));
      expect(new Set(auth.entries.map((e) => e.action))).toEqual(new Set(['auth.login', 'auth.logout']));
      const failures = await search(districtAuditor, `user=${operator.username}&outcome=failure`);
      expect(failures.entries).toEqual(mine.filter((e) => e.outcome === 'failure'));
      expect(failures.entries.length).toBeGreaterThanOrEqual(2);
      const byObject = await search(districtAuditor, `objectType=user&objectId=${createdUserId}`);
      expect(byObject.entries.map((e) => e.action)).toEqual(['user.update', 'user.create']);
    });

    it('when the auditor filters by time, then only entries with from <= at < to come back, in any offset notation', async () => {
      const oldestFirst = [...mine].reverse();
      const from = oldestFirst[1]!.at;
      const to = oldestFirst.at(-1)!.at;
      const { rows } = await db.query<{ id: number }>(
        'SELECT id FROM audit_log WHERE user_id = $1 AND at >= $2::timestamptz AND at < $3::timestamptz ORDER BY id DESC',
        [operator.id, from, to],
      );
      const expected = rows.map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(mine.length);
      const { entries } = await search(districtAuditor, `user=${operator.username}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      expect(entries.map((e) => e.id)).toEqual(expected);
      // The same instants written in China Standard Time.
      const cst = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
      const again = await search(districtAuditor, `user=${operator.username}&from=${encodeURIComponent(cst(from))}&to=${encodeURIComponent(cst(to))}`);
      expect(again.entries.map((e) => e.id)).toEqual(expected);
      const problem = await districtAuditor.get(`/api/audit?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
      expect(problem.status).toBe(400);
    });

    it('when the town auditor searches, then it sees its town\'s users but not district users nor failed logins of unknown names; the district auditor sees both', async () => {
      expect((await search(townAuditor, `user=${operator.username}`)).entries).toEqual(mine);

      const districtOnly = [`user=${admin.username}`, `user=${unknownName}`, `objectType=user&objectId=${createdUserId}`];
      for (const query of districtOnly) {
        expect((await search(townAuditor, query)).entries, query).toEqual([]);
        expect((await search(districtAuditor, query)).entries.length, query).toBeGreaterThan(0);
      }
      const unknown = await search(districtAuditor, `user=${unknownName}`);
      expect(unknown.entries).toEqual([expect.objectContaining({ userId: null, centerId: null, outcome: 'failure', action: 'auth.login' })]);

      // Nothing from outside the town in a page of its newest entries.
      const { rows } = await db.query<{ center_id: number }>('SELECT center_id FROM center_tree WHERE ancestor_id = $1', [townAuditor.session.user.center.id]);
      const town = new Set(rows.map((r) => r.center_id));
      const page = await search(townAuditor, 'limit=500');
      expect(page.entries.filter((e) => e.centerId === null || !town.has(e.centerId))).toEqual([]);
    });

    it.each(['admin.district', 'operator.district', 'leader.district'])('when %s asks for the audit trail, its export or verification, then the answer is 403', async (username) => {
      const s = await signIn(base(), username);
      for (const path of ['/api/audit', '/api/audit?format=csv', '/api/audit/verify']) {
        const response = await s.get(path);
        expect(response.status, path).toBe(403);
        expect(((await response.json()) as { type: string }).type).toBe('urn:pingan:problem:forbidden');
      }
    });
  });

  describe('integrity', () => {
    it('when the chain is verified, then it is intact and covers every row', async () => {
      const response = await districtAuditor.get('/api/audit/verify');
      expect(response.status).toBe(200);
      const { rows } = await db.query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(id) AS max FROM audit_log');
      expect(await response.json()).toEqual({ ok: true, checked: rows[0]!.n, firstBrokenId: null, lastId: rows[0]!.max });
    });

    it.each([
      ['UPDATE', `UPDATE audit_log SET outcome = 'success' WHERE id = (SELECT max(id) FROM audit_log)`],
      ['DELETE', 'DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)'],
      ['DELETE of all rows', 'DELETE FROM audit_log'],
      ['TRUNCATE', 'TRUNCATE audit_log'],
    ])('when %s is run on audit_log, then the database refuses it', async (_what, statement) => {
      const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
      const client = await db.connect();
      try {
        // In a transaction that is always rolled back: the shared trail survives even if the trigger did not hold.
        await client.query('BEGIN');
        await expect(client.query(statement)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/append-only/) });
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
      const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    });

    it('when a row is removed behind the triggers, then verification names the row after the gap', async () => {
      const { rows } = await db.query<{ id: number; next: number }>(
        `SELECT id, (SELECT min(id) FROM audit_log b WHERE b.id > a.id) AS next
         FROM audit_log a WHERE user_id = $1 ORDER BY id LIMIT 1`,
        [operator.id],
      );
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        await client.query('DELETE FROM audit_log WHERE id = $1', [rows[0]!.id]);
        const check = await verifyAuditChain(client);
        expect(check).toMatchObject({ ok: false, firstBrokenId: rows[0]!.next });
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('when one row is changed behind the triggers, then the API and npm run audit:verify name it; restored exactly, the chain is intact again', async () => {
      const { rows } = await db.query<{ id: number; detail: string; hash: string }>(
        `SELECT id, detail::text AS detail, encode(hash, 'hex') AS hash FROM audit_log
         WHERE user_id = $1 AND action = 'user.update' ORDER BY id LIMIT 1`,
        [admin.id],
      );
      const row = rows[0]!;
      const before = await verifyCli();
      expect(before.code, before.stderr).toBe(0);
      expect(before.stdout).toMatch(/audit trail intact/);

      tampered = { id: row.id, detail: row.detail };
      await rewriteDetail(row.id, JSON.stringify({ change: { displayName: '无害的名字' } }));
      try {
        const api = (await (await districtAuditor.get('/api/audit/verify')).json()) as { ok: boolean; firstBrokenId: number | null };
        expect(api).toMatchObject({ ok: false, firstBrokenId: row.id });
        const cli = await verifyCli();
        expect(cli.code).toBe(2);
        expect(cli.stderr).toContain(`BROKEN at entry ${row.id} `);
      } finally {
        await rewriteDetail(row.id, row.detail);
        tampered = undefined;
      }
      const { rows: restored } = await db.query<{ detail: string; hash: string }>(
        `SELECT detail::text AS detail, encode(hash, 'hex') AS hash FROM audit_log WHERE id = $1`,
        [row.id],
      );
      expect(restored[0]).toEqual({ detail: row.detail, hash: row.hash });
      expect(await (await districtAuditor.get('/api/audit/verify')).json()).toMatchObject({ ok: true, firstBrokenId: null });
      const after = await verifyCli();
      expect(after.code, after.stderr).toBe(0);
    });
  });

  describe('export', () => {
    it('when the auditor exports CSV, then it is UTF-8 with a BOM and a header row, formula-like cells start with an apostrophe, and the export is audited', async () => {
      // User names that a spreadsheet would run as formulas, from failed sign-ins.
      const nasty = ['=HYPERLINK("http://evil.example","x")', '+SUM(1,2)', '-2+3', '@SUM(A1)'];
      const mark = await lastAuditId(db);
      for (const name of nasty) expect((await login(base(), name, 'Wrong#Pass2026')).status).toBe(401);
      const from = (await entriesAfter(db, mark))[0]!.at;
      const query = `action=auth.login&outcome=failure&from=${encodeURIComponent(from)}`;
      const json = await search(districtAuditor, query);
      expect(json.entries.map((e) => e.username).reverse()).toEqual(nasty);

      const exportMark = await lastAuditId(db);
      const response = await districtAuditor.get(`/api/audit?${query}&format=csv`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?audit-[\dT-]+\.csv"?$/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      const rows = parseCsv(text);
      expect(rows[0]).toEqual(['id', 'at', 'username', 'userId', 'role', 'centerId', 'ip', 'action', 'objectType', 'objectId', 'outcome', 'detail']);
      const data = rows.slice(1);
      expect(data.every((r) => r.length === 12)).toBe(true);
      expect(data.map((r) => Number(r[0]))).toEqual(json.entries.map((e) => e.id));
      expect(data.map((r) => r[2]).reverse()).toEqual(nasty.map((name) => `'${name}`));
      for (const [i, entry] of json.entries.entries()) {
        const r = data[i]!;
        expect(r[1]).toBe(entry.at);
        expect(r[3]).toBe('');
        expect(r[6]).toBe('127.0.0.1');
        expect(r[7]).toBe('auth.login');
        expect(r[10]).toBe('failure');
        expect(JSON.parse(r[11]!)).toEqual(entry.detail);
      }
      // The raw line keeps the quotes of the formula doubled inside one quoted cell.
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);

      const audited = await entriesAfter(db, exportMark);
      expect(audited).toEqual([
        expect.objectContaining({
          userId: districtAuditor.session.user.id,
          username: 'auditor.district',
          role: 'auditor',
          ip: '127.0.0.1',
          action: 'audit.export',
          outcome: 'success',
          objectType: 'audit_log',
          detail: { rows: nasty.length, filter: expect.objectContaining({ action: 'auth.login', outcome: 'failure', from: new Date(from).toISOString() }) },
        }),
      ]);
      // And the auditor finds its own export.
      const exports = await search(districtAuditor, 'user=auditor.district&action=audit.export&limit=1');
      expect(exports.entries[0]?.id).toBe(audited[0]!.id);
    });
  });
});
