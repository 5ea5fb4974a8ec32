import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePoints } from '../../server/incidents/points-format.js';
import { CATEGORIES, STATUSES } from '../../server/incidents/enums.js';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// The heat map's cell counts (pre-aggregated per month, week and day, topped up from the incidents table at
// the window's ends) against counting the incidents themselves; the binary points; and the
// incident list's orders.

const BBOX = '106.4,30.2,107.0,30.8';
const DAY = 86_400_000;

interface Heatmap {
  level: number;
  total: number;
  max: number;
  cells: [number, number, number][];
}

describe('incident heat map and points', () => {
  let server: TestServer;
  let district: ApiSession;
  let village: ApiSession;
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const heatmap = async (s: ApiSession, query: string): Promise<Heatmap> => {
    const response = await s.get(`/api/incidents/heatmap?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Heatmap;
  };
  /** The cells counted straight from incidents, as `lon,lat` (6 decimals) → count. */
  const countCells = async (level: number, from: Date, to: Date, extra = '', params: unknown[] = []) => {
    const rows = await sql<{ lon: number; lat: number; n: number }>(
      `SELECT pingan_cell_lon(pingan_cell_x(ST_X(location), $1) + 0.5, $1) AS lon, pingan_cell_lat(pingan_cell_y(ST_Y(location), $1) + 0.5, $1) AS lat,
              count(*)::int AS n
       FROM incidents WHERE location && ST_MakeEnvelope(106.4, 30.2, 107.0, 30.8, 4326) AND reported_at >= $2 AND reported_at < $3 ${extra}
       GROUP BY 1, 2`,
      [level, from, to, ...params],
    );
    return new Map(rows.map((r) => [`${r.lon.toFixed(6)},${r.lat.toFixed(6)}`, r.n]));
  };
  const asMap = (h: Heatmap) => new Map(h.cells.map(([lon, lat, n]) => [`${lon.toFixed(6)},${lat.toFixed(6)}`, n]));

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, 'operator.district');
    village = await signIn(server.baseUrl, 'operator.village');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when a window has partial days at both ends, then every cell count equals the incidents counted directly', async () => {
    // Whole months, weeks and days come from incident_heat, the hours at either end from the incidents.
    const to = new Date(Math.floor(Date.now() / DAY) * DAY - 3 * 3_600_000 - 17_000);
    const from = new Date(to.getTime() - 40 * DAY - 5 * 3_600_000);
    // Moving an incident to an empty corner of the box and back leaves that corner's bins at 0: no cell of 0 may show.
    const [moved] = await sql<{ id: number; location: string }>(
      `SELECT id, location::text FROM incidents WHERE reported_at >= $1::timestamptz + interval '2 days' AND reported_at < $2::timestamptz - interval '2 days'
       AND location && ST_MakeEnvelope(106.4, 30.2, 107.0, 30.8, 4326) ORDER BY id LIMIT 1`,
      [from, to],
    );
    await sql(`UPDATE incidents SET location = ST_SetSRID(ST_MakePoint(106.401, 30.201), 4326) WHERE id = $1`, [moved!.id]);
    await sql('UPDATE incidents SET location = $2::geometry WHERE id = $1', [moved!.id, moved!.location]);
    // Zoom 6 sums the root's whole-tree rows; 10 shifts zoom-17 rows; 13 and 14 are capped at the zoom-17 cells over 40 days.
    for (const [zoom, level] of [[6, 11], [10, 15], [13, 17], [14, 17]] as const) {
      const h = await heatmap(district, `bbox=${BBOX}&zoom=${zoom}&from=${from.toISOString()}&to=${to.toISOString()}`);
      expect(h.level).toBe(level);
      const expected = await countCells(level, from, to);
      expect(asMap(h), `zoom ${zoom}`).toEqual(expected);
      expect(h.total).toBe([...expected.values()].reduce((a, b) => a + b, 0));
      expect(h.max).toBe(Math.max(...expected.values()));
      expect(h.total).toBeGreaterThan(100);
    }
  });

  it('when the window is two days or less, then street zooms get their own fine cells, counted from incidents', async () => {
    const [last] = await sql<{ t: Date }>('SELECT max(reported_at) AS t FROM incidents WHERE location && ST_MakeEnvelope(106.4, 30.2, 107.0, 30.8, 4326)');
    const to = new Date(last!.t.getTime() + 1000);
    const from = new Date(to.getTime() - 2 * DAY);
    const h = await heatmap(district, `bbox=${BBOX}&zoom=14&from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(h.level).toBe(19);
    expect(asMap(h)).toEqual(await countCells(19, from, to));
    expect(h.total).toBeGreaterThan(0);
    const longer = await heatmap(district, `bbox=${BBOX}&zoom=14&from=${new Date(from.getTime() - 1000).toISOString()}&to=${to.toISOString()}`);
    expect(longer.level).toBe(17);
  });

  it('when a window is cut into months, weeks, days and hours, then the pieces are aligned, disjoint and cover it exactly', async () => {
    const windows: [string, string][] = [
      ['2025-12-03T05:06:07Z', '2026-11-29T13:00:00Z'], // a year: months with weeks, days and hours at both ends
      ['2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'], // whole months only
      ['2026-06-10T10:00:00Z', '2026-06-12T02:00:00Z'], // one whole day between two part days
      ['2026-06-10T10:00:00Z', '2026-06-10T11:00:00Z'], // an hour
      ['2026-02-27T00:00:00Z', '2026-03-09T00:00:00Z'], // days, then a week (Monday 2 March) across a month's start
    ];
    for (const [from, to] of windows) {
      const pieces = await sql<{ span: string; t0: Date; t1: Date }>('SELECT span, t0, t1 FROM pingan_heat_cover($1, $2) ORDER BY t0', [from, to]);
      expect(pieces[0]!.t0.toISOString(), from).toBe(new Date(from).toISOString());
      expect(pieces.at(-1)!.t1.toISOString(), to).toBe(new Date(to).toISOString());
      for (const [i, p] of pieces.entries()) {
        if (i > 0) expect(p.t0.getTime(), `${from} piece ${i}`).toBe(pieces[i - 1]!.t1.getTime());
        const aligned = await sql<{ ok: boolean }>(
          `SELECT $1 = 'raw' OR ($2::timestamptz AT TIME ZONE 'UTC' = date_trunc($1, $2::timestamptz AT TIME ZONE 'UTC')
                                AND $3::timestamptz AT TIME ZONE 'UTC' = ($2::timestamptz AT TIME ZONE 'UTC') + ('1 ' || $1)::interval) AS ok`,
          [p.span, p.t0, p.t1],
        );
        expect(aligned[0]!.ok, `${from}: ${p.span} ${p.t0.toISOString()}`).toBe(true);
        if (p.span === 'raw') expect(p.t1.getTime() - p.t0.getTime()).toBeLessThan(DAY);
      }
    }
    const year = await sql<{ span: string; n: number }>(`SELECT span, count(*)::int AS n FROM pingan_heat_cover('2025-12-03T05:06:07Z', '2026-11-29T13:00:00Z') GROUP BY span`);
    // January–October; weeks of 8, 15, 22 December and 2, 9, 16 November; 4–7 and 29–31 December, 1 and 23–28 November.
    expect(Object.fromEntries(year.map((r) => [r.span, r.n]))).toEqual({ month: 10, week: 6, day: 14, raw: 2 });
  });

  it('when incidents are moved, recategorised, handed to another center and deleted, then the counts equal a recount from scratch', async () => {
    const recount = `
      WITH keyed AS (
        SELECT lv.level, s.span, date_trunc(s.span, i.reported_at AT TIME ZONE 'UTC')::date AS period,
               pingan_cell_x(ST_X(i.location), lv.level) AS cx, pingan_cell_y(ST_Y(i.location), lv.level) AS cy, i.center_id, i.category
        FROM incidents AS i CROSS JOIN (VALUES (13), (17)) AS lv (level) CROSS JOIN (VALUES ('day'), ('week'), ('month')) AS s (span)
      ), owned AS (
        SELECT level, span, period, cx, cy, false AS whole_tree, center_id, category FROM keyed
        UNION ALL
        SELECT k.level, k.span, k.period, k.cx, k.cy, true, t.ancestor_id, k.category
        FROM keyed AS k JOIN center_tree AS t ON t.center_id = k.center_id JOIN centers AS c ON c.id = t.ancestor_id AND c.parent_id IS NULL
        WHERE k.level = 13
      )
      SELECT level, span, period::text, cx, cy, whole_tree, center_id::int, count(*)::int AS n,
             count(*) FILTER (WHERE category = 'dispute')::int AS dispute, count(*) FILTER (WHERE category = 'other')::int AS other
      FROM owned GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
    const stored = `
      SELECT level, span, period::text, cx, cy, whole_tree, center_id::int, n, n_dispute AS dispute, n_other AS other
      FROM incident_heat WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
    const [a, b] = await sql<{ id: number; location: string; reported_at: Date; occurred_at: Date; center_id: number; category: string }>(
      `SELECT id, location::text, reported_at, occurred_at, center_id, category FROM incidents WHERE category <> 'other' ORDER BY id LIMIT 2`,
    );
    const [other] = await sql<{ id: number }>('SELECT id FROM centers WHERE id <> $1 AND parent_id IS NOT NULL ORDER BY id LIMIT 1', [a!.center_id]);
    const [copy] = await sql<{ id: number }>(
      `INSERT INTO incidents (number, category, severity, status, closed_at, title, location, reported_at, occurred_at, center_id, grid_id, source)
       SELECT number || '-H', category, severity, status, closed_at, title, location, reported_at, occurred_at, center_id, grid_id, source FROM incidents WHERE id = $1
       RETURNING id`,
      [b!.id],
    );
    try {
      await sql(
        `UPDATE incidents SET location = ST_Translate(location, 0.05, 0.03), reported_at = reported_at - interval '40 days',
             occurred_at = occurred_at - interval '40 days', category = 'other', center_id = $2
         WHERE id = $1`,
        [a!.id, other!.id],
      );
      await sql(`UPDATE incidents SET status = status WHERE id = $1`, [b!.id]);
      await sql('DELETE FROM incidents WHERE id = $1', [copy!.id]);
      expect(await sql(stored)).toEqual(await sql(recount));
    } finally {
      await sql('UPDATE incidents SET location = $2::geometry, reported_at = $3, occurred_at = $4, category = $5, center_id = $6 WHERE id = $1', [
        a!.id, a!.location, a!.reported_at, a!.occurred_at, a!.category, a!.center_id,
      ]);
      await sql('DELETE FROM incidents WHERE id = $1', [copy!.id]);
    }
    expect(await sql(stored)).toEqual(await sql(recount));
  });

  it("when a town moves to another district, then its incidents count in that district's whole-tree cells", async () => {
    const rollback = new Error('rollback');
    const outcome = await server.db
      .tx(async (q) => {
        const rows = async <R>(text: string, params: unknown[] = []) => (await q.query(text, params)).rows as R[];
        const [town] = await rows<{ id: number }>(`SELECT id FROM centers WHERE level = 'town' ORDER BY id LIMIT 1`);
        const [root] = await rows<{ id: number }>(
          `INSERT INTO centers (code, name, level, location) VALUES ('C-HEAT-TEST', '测试区综治中心', 'district', ST_SetSRID(ST_MakePoint(106.7, 30.5), 4326)) RETURNING id`,
        );
        await rows('UPDATE centers SET parent_id = $2 WHERE id = $1', [town!.id, root!.id]);
        const totals = await rows<{ stored: number; counted: number }>(
          `SELECT (SELECT coalesce(sum(n), 0)::int FROM incident_heat WHERE whole_tree AND center_id = $2 AND level = 13 AND span = 'month') AS stored,
                  (SELECT count(*)::int FROM incidents WHERE center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)) AS counted`,
          [town!.id, root!.id],
        );
        const others = await rows<{ n: number }>(
          `SELECT (SELECT coalesce(sum(n), 0) FROM incident_heat WHERE whole_tree AND center_id <> $1 AND level = 13 AND span = 'month')
                - (SELECT count(*) FROM incidents WHERE center_id NOT IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)) AS n`,
          [root!.id],
        );
        throw Object.assign(rollback, { totals: totals[0], others: Number(others[0]!.n) });
      })
      .catch((e: unknown) => e);
    expect(outcome).toBe(rollback);
    const { totals, others } = outcome as Error & { totals: { stored: number; counted: number }; others: number };
    expect(totals.counted).toBeGreaterThan(0);
    expect(totals.stored).toBe(totals.counted);
    expect(others).toBe(0);
  });

  it('when a category is asked and an incident changes category, then the counts follow at once', async () => {
    const from = new Date(Date.now() - 60 * DAY);
    const to = new Date(Date.now() + DAY);
    const query = `bbox=${BBOX}&zoom=9&from=${from.toISOString()}&to=${to.toISOString()}&category=dispute`;
    const before = await heatmap(district, query);
    expect(asMap(before)).toEqual(await countCells(14, from, to, 'AND category = $4', ['dispute']));
    const [moved] = await sql<{ id: number; category: string }>(
      `SELECT id, category FROM incidents WHERE category <> 'dispute' AND reported_at >= $1 AND location && ST_MakeEnvelope(106.4, 30.2, 107.0, 30.8, 4326)
       ORDER BY id LIMIT 1`,
      [from],
    );
    try {
      await sql(`UPDATE incidents SET category = 'dispute' WHERE id = $1`, [moved!.id]);
      expect((await heatmap(district, query)).total).toBe(before.total + 1);
    } finally {
      await sql('UPDATE incidents SET category = $2 WHERE id = $1', [moved!.id, moved!.category]);
    }
    expect((await heatmap(district, query)).total).toBe(before.total);
  });

  it("when a village operator asks, then only the village's incidents are counted", async () => {
    const from = new Date(Date.now() - 200 * DAY);
    const h = await heatmap(village, `bbox=${BBOX}&zoom=8&from=${from.toISOString()}`);
    const [n] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents i JOIN centers c ON c.id = i.center_id
       WHERE c.code = 'C-511699-01-001' AND i.reported_at >= $1 AND i.location && ST_MakeEnvelope(106.4, 30.2, 107.0, 30.8, 4326)`,
      [from],
    );
    expect(h.total).toBe(n!.n);
    expect(h.total).toBeGreaterThan(0);
    // Open-ended windows at every path: a village's own rows with edges (zoom 8), zoom-17 rows (zoom 14 over 200 days).
    for (const zoom of [8, 14]) expect((await heatmap(village, `bbox=${BBOX}&zoom=${zoom}&from=${from.toISOString()}`)).total, `zoom ${zoom}`).toBe(n!.n);
    expect((await heatmap(village, `bbox=${BBOX}&zoom=14`)).total).toBeGreaterThan(0);
  });

  it('when points are asked, then the binary form holds exactly the incidents of the box and window, oldest first', async () => {
    const from = new Date(Date.now() - 90 * DAY);
    const response = await district.get(`/api/incidents/points?bbox=${BBOX}&from=${from.toISOString()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.pingan.points');
    const points = decodePoints(await response.arrayBuffer());
    const rows = await sql<{ lon: number; lat: number; t: number; category: string; status: string }>(
      `SELECT ST_X(location) AS lon, ST_Y(location) AS lat, extract(epoch FROM reported_at)::float8 * 1000 AS t, category, status
       FROM incidents WHERE reported_at >= $1 AND location && ST_MakeEnvelope(106.4, 30.2, 107.0, 30.8, 4326) ORDER BY reported_at, id`,
      [from],
    );
    expect(points.count).toBe(rows.length);
    expect(points.count).toBeGreaterThan(100);
    rows.forEach((r, i) => {
      expect(points.positions[2 * i]).toBeCloseTo(r.lon, 4);
      expect(points.positions[2 * i + 1]).toBeCloseTo(r.lat, 4);
      expect(Math.abs(points.origin + points.seconds[i]! * 1000 - r.t)).toBeLessThanOrEqual(1000);
      expect(CATEGORIES[points.categories[i]!]).toBe(r.category);
      expect(STATUSES[points.statuses[i]!]).toBe(r.status);
    });
    await expectProblem(await district.get(`/api/incidents/points?bbox=${BBOX}&from=${from.toISOString()}&limit=10`), 422, PROBLEM('too-many-points'));
  });

  it('when the heat map or points are asked wrongly, then 400 problems name the parameter', async () => {
    for (const [query, name] of [
      ['zoom=10', 'bbox'],
      [`bbox=${BBOX}`, 'zoom'],
      [`bbox=${BBOX}&zoom=23`, 'zoom'],
      [`bbox=100,20,120,40&zoom=15`, 'bbox'],
      [`bbox=${BBOX}&zoom=10&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`, 'to'],
      [`bbox=${BBOX}&zoom=10&category=robbery`, 'category'],
    ] as const) {
      const problem = await expectProblem(await district.get(`/api/incidents/heatmap?${query}`), 400);
      expect(problem['invalid-params']!.map((p) => p.name), query).toContain(name);
    }
    const problem = await expectProblem(await district.get(`/api/incidents/points?bbox=${BBOX}&limit=500001`), 400);
    expect(problem['invalid-params']!.map((p) => p.name)).toEqual(['limit']);
  });

  it('when incidents are listed by another order, then pages follow it without gaps or repeats', async () => {
    for (const sort of ['occurred_at', '-updated_at'] as const) {
      const column = sort.replace('-', '');
      const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
      const expected = await sql<{ id: number }>(
        `SELECT id FROM incidents WHERE category = 'livelihood' ORDER BY ${column} ${direction}, id ${direction} LIMIT 120`,
      );
      const seen: number[] = [];
      let after = '';
      while (seen.length < 120) {
        const response = await district.get(`/api/incidents?category=livelihood&sort=${sort}&limit=50${after}`);
        const body = (await response.json()) as { incidents: { id: number }[]; next: string | null };
        seen.push(...body.incidents.map((i) => i.id));
        after = `&after=${body.next}`;
      }
      expect(seen.slice(0, 120), sort).toEqual(expected.map((r) => r.id));
    }
    await expectProblem(await district.get('/api/incidents?sort=id%3B%20drop%20table%20incidents'), 400);
  });
});
