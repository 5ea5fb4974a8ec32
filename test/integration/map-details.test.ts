import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// The command map's detail panels and search box against the demo district: search
// (ranking, jurisdiction, the role's kinds), a grid's incidents in a time window, an
// incident's workflow, grid and center, one patrol unit, and the base-map configuration,
// each compared with the same question asked of PostGIS directly.

interface Hit {
  kind: 'grid' | 'camera' | 'incident' | 'place';
  id: number;
  label: string;
  code?: string;
  detail: string;
  match: 'exact' | 'prefix' | 'substring';
  bbox: [number, number, number, number];
  center: [number, number];
}

interface WindowCounts {
  from: string;
  to: string | null;
  total: number;
  by_category: Record<string, number>;
}

const MATCH_ORDER = ['exact', 'prefix', 'substring'];
/** The statement behind an incident's grid, center and workflow (server/incidents/sql). */
const DETAIL_SQL = readFileSync(new URL('../../server/incidents/sql/incident-detail.sql', import.meta.url), 'utf8');
const DAY = 86_400_000;

describe('command map: search and detail panels', () => {
  let server: TestServer;
  let district: ApiSession;
  let village: ApiSession;
  let auditor: ApiSession;
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const json = async <T>(s: ApiSession, path: string): Promise<T> => {
    const response = await s.get(path);
    const text = await response.text();
    expect(response.status, `${path}: ${text.slice(0, 300)}`).toBe(200);
    return JSON.parse(text) as T;
  };
  const search = async (s: ApiSession, q: string, limit?: number) =>
    (await json<{ hits: Hit[] }>(s, `/api/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`)).hits;

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, 'operator.district');
    village = await signIn(server.baseUrl, 'operator.village');
    auditor = await signIn(server.baseUrl, 'auditor.district');
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('search', () => {
    it('when a grid is searched by its exact code, then it is the first hit, exact, with its extent and label point', async () => {
      const [grid] = await sql<{ id: number; code: string; name: string; bbox: number[]; label: number[] }>(
        `SELECT id, code, name, ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS bbox,
                ARRAY[ST_X(label_point), ST_Y(label_point)] AS label
         FROM grids WHERE level = 2 ORDER BY code LIMIT 1`,
      );
      // Lower case: codes are matched upper-cased.
      const hits = await search(district, grid!.code.toLowerCase(), 50);
      expect(hits[0]).toMatchObject({ kind: 'grid', id: grid!.id, code: grid!.code, label: grid!.name, detail: 'level-2', match: 'exact' });
      hits[0]!.bbox.forEach((v, i) => expect(v).toBeCloseTo(grid!.bbox[i]!, 6));
      hits[0]!.center.forEach((v, i) => expect(v).toBeCloseTo(grid!.label[i]!, 6));
      // Its level-3 children follow as prefix hits; the order never goes from a worse match to a better one.
      const children = await sql<{ id: number }>('SELECT id FROM grids WHERE parent_id = $1', [grid!.id]);
      expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining(children.map((c) => c.id)));
      const ranks = hits.map((h) => MATCH_ORDER.indexOf(h.match));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    });

    it('when part of a grid name is searched, then that grid is found, and every grid hit holds the text', async () => {
      const [grid] = await sql<{ id: number; name: string }>(`SELECT id, name FROM grids WHERE level = 3 ORDER BY id DESC LIMIT 1`);
      const part = [...grid!.name].slice(1, -1).join('');
      const hits = await search(district, part, 50);
      expect(hits.find((h) => h.kind === 'grid' && h.id === grid!.id)).toMatchObject({ match: 'substring', label: grid!.name });
      for (const h of hits.filter((x) => x.kind === 'grid')) expect(h.label.includes(part) || h.code!.startsWith(part.toUpperCase())).toBe(true);
    });

    it('when a specialist grid is searched by its department name, then it is found with its department as detail', async () => {
      const [grid] = await sql<{ id: number; name: string; department: string }>(
        `SELECT id, name, department FROM grids WHERE kind = 'specialist' ORDER BY id LIMIT 1`,
      );
      const hits = await search(district, grid!.name);
      expect(hits[0]).toMatchObject({ kind: 'grid', id: grid!.id, detail: grid!.department, match: 'exact' });
    });

    it('when a camera is searched by its code and by the start of it, then it comes first, then the codes that continue it', async () => {
      const [camera] = await sql<{ id: number; code: string; name: string; source: string; lon: number; lat: number }>(
        `SELECT id, code, name, source, ST_X(location) AS lon, ST_Y(location) AS lat FROM cameras WHERE source = 'tianwang' ORDER BY id LIMIT 1`,
      );
      const exact = await search(district, camera!.code);
      expect(exact).toHaveLength(1);
      expect(exact[0]).toMatchObject({ kind: 'camera', id: camera!.id, code: camera!.code, label: camera!.name, detail: camera!.source, match: 'exact' });
      expect(exact[0]!.center[0]).toBeCloseTo(camera!.lon, 6);
      expect(exact[0]!.bbox).toEqual([...exact[0]!.center, ...exact[0]!.center]);

      const prefix = camera!.code.slice(0, -1);
      const hits = await search(district, prefix, 50);
      const expected = await sql<{ id: number }>(
        `SELECT id FROM cameras WHERE starts_with(code, $1) ORDER BY code COLLATE "C" LIMIT 50`,
        [prefix],
      );
      expect(hits.filter((h) => h.kind === 'camera').map((h) => h.id)).toEqual(expected.map((r) => r.id));
    });

    it('when an incident is searched by its number, then it is the only hit; by the start of its number, it is among the hits', async () => {
      const [incident] = await sql<{ id: number; number: string; category: string }>(
        'SELECT id, number, category FROM incidents ORDER BY id DESC LIMIT 1',
      );
      const exact = await search(district, incident!.number);
      expect(exact).toEqual([expect.objectContaining({ kind: 'incident', id: incident!.id, label: incident!.number, detail: incident!.category, match: 'exact' })]);
      const day = incident!.number.slice(0, incident!.number.indexOf('-'));
      const hits = await search(district, day, 50);
      const sameDay = await sql<{ id: number }>('SELECT id FROM incidents WHERE starts_with(number, $1) ORDER BY number COLLATE "C" LIMIT 50', [day]);
      expect(hits.map((h) => h.id)).toEqual(sameDay.map((r) => r.id));
      expect(hits.every((h) => h.kind === 'incident' && h.match === 'prefix')).toBe(true);
    });

    it('when a place name is searched, then the base-map place is found', async () => {
      const [place] = await sql<{ id: number; name: string; poi_kind: string }>(
        `SELECT id, name, poi_kind FROM places WHERE kind = 'poi' ORDER BY id LIMIT 1`,
      );
      const hits = await search(district, place!.name);
      expect(hits.find((h) => h.kind === 'place')).toMatchObject({ id: place!.id, label: place!.name, detail: place!.poi_kind, match: 'exact' });
      expect(hits.find((h) => h.kind === 'place')!.code).toBeUndefined();
    });

    it('when the same text names a grid and a place, then the grid comes first', async () => {
      const hits = await search(district, '临江街道');
      expect(hits.slice(0, 2).map((h) => [h.kind, h.match])).toEqual([
        ['grid', 'exact'],
        ['place', 'exact'],
      ]);
    });

    it('when a village operator searches, then grids, cameras and incidents come only from its village', async () => {
      const own = village.session.user.center.id;
      const [neighbour] = await sql<{ grid: string; camera: string; incident: string }>(
        `SELECT (SELECT code FROM grids WHERE center_id = c.id AND level = 3 ORDER BY id LIMIT 1) AS grid,
                (SELECT code FROM cameras WHERE center_id = c.id ORDER BY id LIMIT 1) AS camera,
                (SELECT number FROM incidents WHERE center_id = c.id ORDER BY id LIMIT 1) AS incident
         FROM centers c WHERE c.code = 'C-511699-01-002'`,
      );
      for (const q of [neighbour!.grid, neighbour!.camera, neighbour!.incident]) {
        expect((await search(district, q))[0]!.match, `district finds ${q}`).toBe('exact');
        expect((await search(village, q)).filter((h) => h.kind !== 'place'), `village searching ${q}`).toEqual([]);
      }
      // Broad prefixes: every hit of a scoped kind belongs to the village.
      const centerOf: Record<string, string> = { grid: 'grids', camera: 'cameras', incident: 'incidents' };
      let seen = 0;
      for (const q of ['G-', 'XL', 'TW', 'SH', 'SJ', '社区']) {
        for (const h of (await search(village, q, 50)).filter((x) => x.kind !== 'place')) {
          const [row] = await sql<{ center_id: number }>(`SELECT center_id FROM ${centerOf[h.kind]} WHERE id = $1`, [h.id]);
          expect(row!.center_id, `${h.kind} ${h.id}`).toBe(own);
          seen++;
        }
      }
      expect(seen).toBeGreaterThan(20);
      // And it does find its own.
      const [mine] = await sql<{ code: string }>('SELECT code FROM cameras WHERE center_id = $1 ORDER BY id LIMIT 1', [own]);
      expect((await search(village, mine!.code))[0]).toMatchObject({ kind: 'camera', match: 'exact' });
    });

    it('when an auditor searches, then only place names are found (the role reads no grids, cameras or incidents)', async () => {
      const [incident] = await sql<{ number: string }>('SELECT number FROM incidents ORDER BY id LIMIT 1');
      expect(await search(auditor, incident!.number)).toEqual([]);
      expect(await search(auditor, 'G-01')).toEqual([]);
      const hits = await search(auditor, '临江', 50);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((h) => h.kind === 'place')).toBe(true);
    });

    it('when the limit is left out or set, then at most 10 or that many hits come', async () => {
      expect(await search(district, 'SJ')).toHaveLength(10);
      expect(await search(district, 'SJ', 50)).toHaveLength(50);
      expect(await search(district, 'SJ', 3)).toHaveLength(3);
    });
  });

  describe('grid detail', () => {
    /** The district's incidents reported in [from, to) in the grid: attributed to it or below it, or inside a specialist grid's area. */
    const counted = async (gridId: number, from: Date, to: Date | null) => {
      const rows = await sql<{ category: string; n: number }>(
        `SELECT i.category, count(*)::int AS n FROM incidents i, grids g
         WHERE g.id = $1 AND i.reported_at >= $2 AND ($3::timestamptz IS NULL OR i.reported_at < $3)
           AND CASE WHEN g.kind = 'specialist' THEN ST_Intersects(i.location, g.geom)
                    ELSE i.grid_id IN (SELECT g3.id FROM grids g3 LEFT JOIN grids g2 ON g2.id = g3.parent_id WHERE g.id IN (g3.id, g2.id, g2.parent_id)) END
         GROUP BY i.category`,
        [gridId, from, to],
      );
      return Object.fromEntries(rows.map((r) => [r.category, r.n]));
    };

    it('when a window is given, then the incidents reported in it inside the grid are counted by category as SQL counts them', async () => {
      const [grid] = await sql<{ id: number }>(`SELECT id FROM grids WHERE level = 2 ORDER BY id LIMIT 1`);
      const [{ at }] = (await sql<{ at: Date }>('SELECT max(reported_at) AS at FROM incidents')) as [{ at: Date }];
      const to = new Date(at.getTime() + 1000);
      const from = new Date(to.getTime() - 180 * DAY);
      const body = await json<{ properties: { open_incidents: { total: number }; incidents_in_window: WindowCounts } }>(
        district,
        `/api/grids/${grid!.id}?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
      );
      const expected = await counted(grid!.id, from, to);
      const w = body.properties.incidents_in_window;
      expect(w).toEqual({ from: from.toISOString(), to: to.toISOString(), total: Object.values(expected).reduce((a, b) => a + b, 0), by_category: expected });
      expect(w.total).toBeGreaterThan(10);
      // Open incidents are counted as before, whatever the window.
      expect(typeof body.properties.open_incidents.total).toBe('number');
    });

    it('when a specialist grid or a level-3 grid is opened with a window, then its counts are those of SQL too', async () => {
      const grids = await sql<{ id: number }>(
        `(SELECT id FROM grids WHERE kind = 'specialist' ORDER BY id LIMIT 1) UNION ALL (SELECT id FROM grids WHERE level = 3 ORDER BY id DESC LIMIT 1)`,
      );
      const from = new Date('2026-01-01T00:00:00Z');
      const to = new Date('2026-12-01T00:00:00Z');
      for (const { id } of grids) {
        const w = (
          await json<{ properties: { incidents_in_window: WindowCounts } }>(district, `/api/grids/${id}?from=${from.toISOString()}&to=${to.toISOString()}`)
        ).properties.incidents_in_window;
        expect(w.by_category, `grid ${id}`).toEqual(await counted(id, from, to));
        expect(w.total).toBeGreaterThan(0);
      }
    });

    it('when no window is given, then the last 30 days to now are counted', async () => {
      const [grid] = await sql<{ id: number }>(`SELECT id FROM grids WHERE level = 1 ORDER BY id LIMIT 1`);
      const before = Date.now();
      const w = (await json<{ properties: { incidents_in_window: WindowCounts } }>(district, `/api/grids/${grid!.id}`)).properties.incidents_in_window;
      expect(w.to).toBeNull();
      const from = Date.parse(w.from);
      expect(before - from).toBeGreaterThanOrEqual(30 * DAY);
      expect(before - from).toBeLessThan(30 * DAY + 3_600_000 + 60_000);
      const expected = await counted(grid!.id, new Date(from), null);
      expect(w.by_category).toEqual(expected);
    });

    it('when the window is wrong, then the answer is a 400 problem naming to', async () => {
      const [grid] = await sql<{ id: number }>(`SELECT id FROM grids ORDER BY id LIMIT 1`);
      const problem = await expectProblem(
        await district.get(`/api/grids/${grid!.id}?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`),
        400,
        'urn:pingan:problem:invalid-params',
      );
      expect(problem['invalid-params']!.map((p) => p.name)).toContain('to');
    });
  });

  describe('incident detail', () => {
    interface Detail {
      id: number;
      number: string;
      reporterPhone: string | null;
      gridId: number | null;
      centerId: number;
      grid: { id: number; code: string; name: string; level: number } | null;
      center: { id: number; code: string; name: string };
      timeline: { id: number; at: string; type: string; fromStatus: string | null; status: string | null; actor: string; note: string | null; assignee: { kind: string | null; name: string | null } | null }[];
    }

    it('when an incident is opened, then it carries its grid, its center and every workflow step oldest first, as the database holds them', async () => {
      // An escalated one: its steps run through two centers.
      const [incident] = await sql<{ id: number; reporter_phone: string | null }>(
        `SELECT i.id, i.reporter_phone FROM incidents i
         WHERE i.reporter_phone IS NOT NULL AND EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id AND e.action = 'escalate')
         ORDER BY i.id LIMIT 1`,
      );
      const body = await json<Detail>(district, `/api/incidents/${incident!.id}`);
      const events = await sql<{ id: number; at: Date; action: string; from_status: string | null; to_status: string | null; actor_name: string; note: string | null; assignee_name: string | null }>(
        'SELECT id, at, action, from_status, to_status, actor_name, note, assignee_name FROM incident_events WHERE incident_id = $1 ORDER BY at, id',
        [incident!.id],
      );
      expect(events.length).toBeGreaterThan(2);
      expect(body.timeline.map((e) => [e.id, Date.parse(e.at), e.type, e.fromStatus, e.status, e.actor, e.note, e.assignee?.name ?? null])).toEqual(
        events.map((e) => [e.id, e.at.getTime(), e.action, e.from_status, e.to_status, e.actor_name, e.note, e.assignee_name]),
      );
      expect(body.timeline[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const [expected] = await sql<{ grid: Detail['grid']; center: Detail['center'] }>(
        `SELECT json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'level', g.level) AS grid,
                json_build_object('id', c.id, 'code', c.code, 'name', c.name) AS center
         FROM incidents i JOIN grids g ON g.id = i.grid_id JOIN centers c ON c.id = i.center_id WHERE i.id = $1`,
        [incident!.id],
      );
      expect(body.grid).toEqual(expected!.grid);
      expect(body.center).toMatchObject(expected!.center);
      expect(body.gridId).toBe(body.grid!.id);
      expect(body.centerId).toBe(body.center.id);
      // Still masked.
      expect(body.reporterPhone).not.toBe(incident!.reporter_phone);
      expect(body.reporterPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    });

    it('when a note holds a phone or ID number, then the timeline shows it masked', async () => {
      // incident_events is append-only: the note is added, read through the endpoint's own SQL, and rolled back.
      const [incident] = await sql<{ id: number }>('SELECT id FROM incidents ORDER BY id DESC LIMIT 1');
      const rolledBack = new Error('roll back');
      const seen: { timeline: Detail['timeline'] }[] = [];
      await server.db
        .tx(async (q) => {
          const { rows } = await q.query<{ id: number }>(
            `INSERT INTO incident_events (incident_id, action, actor_name, note) VALUES ($1, 'note', '测试', $2) RETURNING id`,
            [incident!.id, '回访 13812345678，身份证 51012319900101123X，座机 0826-1234567'],
          );
          const found = await q.query<{ timeline: Detail['timeline'] }>(DETAIL_SQL, [district.session.user.center.id, incident!.id]);
          seen.push({ timeline: found.rows[0]!.timeline.filter((e) => e.id === rows[0]!.id) });
          throw rolledBack;
        })
        .catch((err: unknown) => {
          if (err !== rolledBack) throw err;
        });
      expect(seen[0]!.timeline).toEqual([
        expect.objectContaining({ type: 'note', actor: '测试', note: '回访 138****5678，身份证 510123********123X，座机 0826-1234567' }),
      ]);
    });
  });

  describe('patrol unit', () => {
    it('when a unit is opened, then it carries its team, its route geometry and its latest position as the database holds them', async () => {
      const [unit] = await sql<{ id: number; callsign: string; kind: string; members: number; team_id: number; team_name: string; route_id: number; route_name: string; route: { type: string; coordinates: number[][] } }>(
        `SELECT u.id, u.callsign, u.kind, u.members, t.id AS team_id, t.name AS team_name, r.id AS route_id, r.name AS route_name,
                ST_AsGeoJSON(r.geom, 6)::json AS route
         FROM patrol_units u JOIN patrol_teams t ON t.id = u.team_id JOIN patrol_routes r ON r.id = u.route_id
         WHERE EXISTS (SELECT 1 FROM patrol_positions p WHERE p.unit_id = u.id) ORDER BY u.id LIMIT 1`,
      );
      const [position] = await sql<{ lon: number; lat: number; reported_at: Date; speed_kmh: number | null; heading: number | null }>(
        `SELECT ST_X(location) AS lon, ST_Y(location) AS lat, reported_at, speed_kmh, heading FROM patrol_positions
         WHERE unit_id = $1 ORDER BY reported_at DESC LIMIT 1`,
        [unit!.id],
      );
      const body = await json<{
        id: number;
        callsign: string;
        kind: string;
        members: number;
        team: { id: number; name: string };
        route: { id: number; name: string; geometry: { type: string; coordinates: number[][] } } | null;
        lastPosition: { location: [number, number]; reportedAt: string; speedKmh: number | null; heading: number | null } | null;
      }>(district, `/api/patrols/units/${unit!.id}`);
      expect(body).toMatchObject({ id: unit!.id, callsign: unit!.callsign, kind: unit!.kind, members: unit!.members, team: { id: unit!.team_id, name: unit!.team_name } });
      expect(body.route).toMatchObject({ id: unit!.route_id, name: unit!.route_name });
      expect(body.route!.geometry).toEqual(unit!.route);
      expect(body.lastPosition!.location[0]).toBeCloseTo(position!.lon, 6);
      expect(body.lastPosition!.location[1]).toBeCloseTo(position!.lat, 6);
      expect(Date.parse(body.lastPosition!.reportedAt)).toBe(position!.reported_at.getTime());
      expect(body.lastPosition!.speedKmh).toBeCloseTo(position!.speed_kmh ?? Number.NaN, 3);
    });

    it('when a village operator opens a unit of another village, or one that does not exist, then the answer is a 404 problem', async () => {
      const [other] = await sql<{ id: number }>(
        `SELECT u.id FROM patrol_units u JOIN patrol_teams t ON t.id = u.team_id WHERE t.center_id <> $1 ORDER BY u.id LIMIT 1`,
        [village.session.user.center.id],
      );
      await expectProblem(await village.get(`/api/patrols/units/${other!.id}`), 404);
      await expectProblem(await district.get('/api/patrols/units/2000000000'), 404);
    });
  });

  describe('map configuration', () => {
    it('when nothing is configured, then the built-in base map on WGS84 is named', async () => {
      expect(await json(district, '/api/map/config')).toEqual({ basemap: { style: 'builtin', datum: 'wgs84' } });
      const csp = (await district.get('/api/map/config')).headers.get('content-security-policy')!;
      expect(csp).toMatch(/connect-src 'self' ws: wss:(;|$)/);
    });

    it('when an external style and GCJ-02 are configured, then the client is told so and the CSP lets the browser reach the style origin and BASEMAP_ORIGINS', async () => {
      const style = 'http://tiles.intranet.example:8090/styles/dark/style.json?tk=abc';
      const other = await startTestServer({ BASEMAP_STYLE_URL: style, BASEMAP_DATUM: 'gcj02', BASEMAP_ORIGINS: 'https://t0.tianditu.gov.cn,https://t1.tianditu.gov.cn' });
      try {
        const s = await signIn(other.baseUrl, 'leader.town');
        const response = await s.get('/api/map/config');
        expect(await response.json()).toEqual({ basemap: { style, datum: 'gcj02' } });
        const csp = response.headers.get('content-security-policy')!;
        expect(csp).toContain("connect-src 'self' ws: wss: http://tiles.intranet.example:8090 https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn");
        expect(csp).toContain("img-src 'self' data: blob: http://tiles.intranet.example:8090 https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn");
        expect(csp).not.toContain('tk=abc');
      } finally {
        await other.close();
      }
    });
  });

  describe('bad input', () => {
    it.each([
      ['/api/search', 'q', 'no text'],
      ['/api/search?q=', 'q', 'empty text'],
      ['/api/search?q=%20%20%20', 'q', 'blank text'],
      [`/api/search?q=${'x'.repeat(65)}`, 'q', '65 characters'],
      ['/api/search?q=G-01&limit=0', 'limit', 'limit 0'],
      ['/api/search?q=G-01&limit=51', 'limit', 'limit 51'],
      ['/api/search?q=G-01&limit=abc', 'limit', 'limit not a number'],
      ['/api/search?q=G%00', 'q', 'a NUL byte'],
      ['/api/grids/1?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to', 'from after to'],
      ['/api/grids/1?from=yesterday', 'from', 'from not a date-time'],
      ['/api/patrols/units/abc', 'id', 'a unit id that is not a number'],
    ])('when %s is asked (%s: %s), then the answer is a 400 problem naming it', async (path, param) => {
      const problem = await expectProblem(await district.get(path), 400, 'urn:pingan:problem:invalid-params');
      expect(problem['invalid-params']!.map((p) => p.name)).toContain(param);
    });

    it('when the search text is exactly 64 characters after trimming, then it is accepted', async () => {
      expect(await search(district, `  ${'Q'.repeat(64)}  `)).toEqual([]);
    });
  });
});
