import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

// `npm run simulate` against the real app: it signs in as the demo district operator,
// moves the patrol units and files incidents over HTTP, and what it says it stored is
// what the database holds.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

describe('the demo simulator', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when it runs for a few seconds, then the units it moved report on their routes and the incidents it filed are stored', async () => {
    const { rows: [before] } = await server.db.query<{ position: number; incident: number }>(
      'SELECT (SELECT max(id) FROM patrol_positions) AS position, (SELECT max(id) FROM incidents) AS incident',
    );

    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/simulate.ts', '--url', server.baseUrl, '--duration', '8', '--interval', '1', '--rate', '30'], {
      cwd: REPO,
      timeout: 90_000,
    });
    const total = /total: (\d+) positions in (\d+) requests, (\d+) incidents filed, (\d+) errors/.exec(stdout);
    expect(total, stdout).not.toBeNull();
    const [positions, requests, incidents, errors] = total!.slice(1).map(Number) as [number, number, number, number];
    expect(errors, `${stdout}${stderr}`).toBe(0);
    expect(requests).toBeGreaterThan(0);
    expect(positions).toBeGreaterThanOrEqual(requests);
    expect(incidents).toBeGreaterThan(0);

    // Every new position lies on its unit's route.
    const { rows: [stored] } = await server.db.query<{ n: number; off_route: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE NOT ST_DWithin(p.location::geography, r.geom::geography, 1))::int AS off_route
       FROM patrol_positions AS p
       JOIN patrol_units AS u ON u.id = p.unit_id
       JOIN patrol_routes AS r ON r.id = u.route_id
       WHERE p.id > $1`,
      [before!.position],
    );
    expect(stored).toEqual({ n: positions, off_route: 0 });

    const { rows: filed } = await server.db.query<{ category: string; severity: string; title: string; source: string; grid_id: number | null }>(
      'SELECT category, severity, title, source, grid_id FROM incidents WHERE id > $1',
      [before!.incident],
    );
    expect(filed).toHaveLength(incidents);
    for (const incident of filed) {
      expect(incident.title).toMatch(/\p{Script=Han}/u);
      expect(incident.grid_id).not.toBeNull();
    }
  });
});
