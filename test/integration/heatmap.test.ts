import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePoints } from '../../server/incidents/points-format.js';
import { CATEGORIES, STATUSES } from '../../server/incidents/enums.js';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// The heat map's cell counts (pre-aggregated per day, topped up from the incidents table at
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
    // Whole days come from the per-day bins, the hours at either end from the incidents.
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
    for (const zoom of [6, 10, 13, 14]) {
      const h = await heatmap(district, `bbox=${BBOX}&zoom=${zoom}&from=${from.toISOString()}&to=${to.toISOString()}`);
      expect(h.level).toBe(zoom + 5);
      const expected = await countCells(zoom + 5, from, to);
      expect(asMap(h), `zoom ${zoom}`).toEqual(expected);
      expect(h.total).toBe([...expected.values()].reduce((a, b) => a + b, 0));
      expect(h.max).toBe(Math.max(...expected.values()));
      expect(h.total).toBeGreaterThan(100);
    }
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
    // Open-ended windows at every path: bins with edges (zoom 8) and incidents only (zoom 14, finer than the bins).
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
