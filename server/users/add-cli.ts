import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/repository.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { isRole, ROLES } from '../auth/permissions.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { createLogger } from '../log.js';
import { loadSql } from '../sql-files.js';
import { insertUser } from './repository.js';

// `npm run user:add -- --username zhang.wei --name 张伟 --role district_admin --center C-511699 < password.txt`
// The first administrator of a deployment without the demo (SEED_DEMO=never), or a
// rescue account. The password is read from the first line of standard input, never
// from the command line; it must be changed at first sign-in. Stop an embedded server first.

const sql = loadSql(import.meta.url, ['center-by-code']);

const USAGE = `usage: npm run user:add -- --username NAME --name DISPLAY_NAME --role ROLE --center CENTER_CODE < password-file
roles: ${ROLES.join(', ')}`;

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    center: { type: 'string' },
  },
});
const { username, name, role, center } = values;
if (!username || !name || !center || !isRole(role)) {
  console.error(USAGE);
  process.exit(64);
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';

const config = loadConfig();
const problems = passwordProblems(password, username, { minLength: config.PASSWORD_MIN_LENGTH });
if (problems.length > 0) {
  console.error(`the password on standard input ${problems.join('; ')}`);
  process.exit(65);
}

const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1, log: createLogger('warn') });
try {
  const { rows } = await db.query<{ id: number }>(sql['center-by-code'], [center]);
  if (!rows[0]) {
    console.error(`there is no center with code ${center}`);
    process.exitCode = 65;
  } else {
    const centerId = rows[0].id;
    const passwordHash = await hashPassword(password);
    const id = await db.tx(async (q) => {
      const created = await insertUser(q, { username: username.toLowerCase(), displayName: name, role, centerId, passwordHash });
      await appendAudit(
        q,
        { userId: null, username: 'command line', role: null, centerId: null, ip: null },
        { action: 'user.create', outcome: 'success', objectType: 'user', objectId: created, detail: { username, role, centerId, via: 'user:add' } },
      );
      return created;
    });
    console.log(`created user ${username} (id ${id}, ${role} at ${center}); the password must be changed at first sign-in`);
  }
} finally {
  await db.close();
}
