import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config.js';
import { openDatabase, type Queryable } from '../server/db/database.js';
import { LIST_BY_SORT } from '../server/incidents/repository.js';
import { createLogger } from '../server/log.js';

// `npm run bench:scope`: what jurisdiction scoping costs on the incident list.
// The same first page (100 newest incidents) is read with the list's SQL as shipped
// and with its one scope line removed, on whatever data set the configured database
// holds (`npm run seed -- --incidents 1000000` for a large one), and the medians are
// compared. Scopes: the district (every row passes the filter) and one village
// (the filter throws most rows away, so it is the case an index must carry).

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const WARMUP = 20;
const PAGE = 100;

const scoped = LIST_BY_SORT['-reported_at'];
const scopeLine = /^WHERE i\.center_id IN \(SELECT center_id FROM center_tree WHERE ancestor_id = \$1\) -- scope$/m;
if (!scopeLine.test(scoped)) throw new Error('incidents.sql no longer has its scope line where this benchmark expects it');
// Unscoped: the filter becomes a no-op that still references $1, so both take the same parameters.
const unscoped = scoped.replace(scopeLine, 'WHERE $1::bigint IS NOT NULL');

async function median(q: Queryable, text: string, params: unknown[]): Promise<{ ms: number; rows: number }> {
  let rows = 0;
  for (let i = 0; i < WARMUP; i++) rows = (await q.query(text, params)).rowCount ?? 0;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await q.query(text, params);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, rows };
}

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1, log: createLogger('warn') });
try {
  const { rows: facts } = await db.query<{ incidents: string; district: string; village: string; village_incidents: string }>(`
    WITH v AS (SELECT i.center_id AS id, count(*) AS n FROM incidents i JOIN centers c ON c.id = i.center_id AND c.level = 'village'
               GROUP BY i.center_id ORDER BY n DESC, i.center_id LIMIT 1)
    SELECT (SELECT count(*) FROM incidents) AS incidents,
           (SELECT id FROM centers WHERE parent_id IS NULL) AS district,
           (SELECT id FROM v) AS village, (SELECT n FROM v) AS village_incidents`);
  const f = facts[0]!;
  console.log(`incident list, first page of ${PAGE}, median of ${RUNS} runs; ${db.mode} database, ${Number(f.incidents).toLocaleString('en')} incidents`);
  console.log('scope                                   unscoped ms   scoped ms   ratio');
  for (const [label, center] of [
    ['district (all rows in scope)', f.district],
    [`busiest village (${Number(f.village_incidents).toLocaleString('en')} incidents)`, f.village],
  ] as const) {
    const params = [center, null, PAGE, null, ...Array<null>(11).fill(null)];
    const without = await median(db, unscoped, params);
    const withScope = await median(db, scoped, params);
    console.log(
      `${label.padEnd(40)}${without.ms.toFixed(3).padStart(11)}${withScope.ms.toFixed(3).padStart(12)}${(withScope.ms / without.ms).toFixed(2).padStart(8)}` +
        (withScope.rows < PAGE ? `  (${withScope.rows} rows)` : ''),
    );
  }
} finally {
  await db.close();
}
