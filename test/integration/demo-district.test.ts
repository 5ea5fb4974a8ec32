import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { openTestDatabase } from '../support/db.js';

// The demo district is loaded once by the global setup; these tests read it in PostGIS.
describe('demo district', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows[0]!;

  describe('grid hierarchy', () => {
    it('when the grids are loaded, then every geometry is valid and non-empty', async () => {
      const r = await one<{ bad: number; total: number }>(
        `SELECT count(*) FILTER (WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)) AS bad, count(*) AS total FROM grids`,
      );
      expect(r.total).toBeGreaterThan(300);
      expect(r.bad).toBe(0);
    });

    it('when siblings are intersected pairwise, then no two share any area', async () => {
      const r = await one<{ pairs: number; overlap_m2: number | null }>(
        `SELECT count(*) AS pairs, max(ST_Area(ST_Intersection(a.geom, b.geom)::geography)) AS overlap_m2
         FROM grids a JOIN grids b
           ON a.kind = b.kind AND a.level = b.level AND a.id < b.id AND a.geom && b.geom
          AND a.parent_id IS NOT DISTINCT FROM b.parent_id AND a.department IS NOT DISTINCT FROM b.department`,
      );
      expect(r.pairs).toBeGreaterThan(500);
      expect(r.overlap_m2).toBe(0);
    });

    it('when the children of a grid are unioned, then they equal the parent', async () => {
      const r = await one<{ parents: number; worst_m2: number; smallest_m2: number }>(
        `SELECT count(*) AS parents, max(ST_Area(ST_SymDifference(p.geom, u.geom)::geography)) AS worst_m2,
                min(ST_Area(p.geom::geography)) AS smallest_m2
         FROM grids p
         JOIN LATERAL (SELECT ST_Union(geom) AS geom FROM grids c WHERE c.parent_id = p.id) u ON true
         WHERE p.kind = 'general' AND p.level < 3`,
      );
      expect(r.parents).toBe(65);
      // Within a square centimetre on grids of square kilometres.
      expect(r.worst_m2).toBeLessThan(1e-4);
      expect(r.smallest_m2).toBeGreaterThan(100_000);
    });

    it('when a level-3 grid is placed, then it lies inside exactly one level-2 grid, its parent', async () => {
      const r = await one<{ grids: number; misplaced: number }>(
        `SELECT count(*) AS grids,
                count(*) FILTER (WHERE (
                  SELECT count(*) FROM grids p
                  WHERE p.kind = 'general' AND p.level = 2 AND p.geom && c.geom
                    AND ST_Area(ST_Intersection(p.geom, c.geom)::geography) > 0
                ) <> 1 OR NOT ST_Covers((SELECT geom FROM grids WHERE id = c.parent_id), c.geom)) AS misplaced
         FROM grids c WHERE c.kind = 'general' AND c.level = 3`,
      );
      expect(r.grids).toBeGreaterThan(250);
      expect(r.misplaced).toBe(0);
    });

    it('when each department\'s specialist grids are unioned, then they cover the district and cut across the general grids', async () => {
      const { rows } = await db.query<{ department: string; n: number; diff_m2: number; crossing: number }>(
        `WITH district AS (SELECT ST_Union(geom) AS geom FROM grids WHERE kind = 'general' AND level = 1)
         SELECT s.department, count(*) AS n,
                ST_Area(ST_SymDifference(ST_Union(s.geom), (SELECT geom FROM district))::geography) AS diff_m2,
                (SELECT count(*) FROM grids s2 JOIN grids t ON t.kind = 'general' AND t.level = 1
                   AND ST_Relate(s2.geom, t.geom, '2********') AND NOT ST_Covers(t.geom, s2.geom)
                 WHERE s2.department = s.department) AS crossing
         FROM grids s WHERE s.kind = 'specialist' GROUP BY s.department ORDER BY s.department`,
      );
      expect(rows.map((r) => r.department)).toEqual(['civil_affairs', 'health', 'judicial', 'market_supervision', 'police', 'urban_management']);
      for (const r of rows) {
        expect(r.diff_m2).toBeLessThan(1e-4);
        expect(r.crossing).toBeGreaterThan(0);
      }
    });
  });

  describe('sizes from the seed articles', () => {
    it('when centers are counted, then there is one district, 5 towns/streets and 60 villages/communities', async () => {
      const { rows } = await db.query<{ level: string; n: number }>(`SELECT level, count(*) AS n FROM centers GROUP BY level ORDER BY level`);
      expect(Object.fromEntries(rows.map((r) => [r.level, r.n]))).toEqual({ district: 1, town: 5, village: 60 });
    });

    it('when cameras are counted by source, then they match the district\'s 703 雪亮, 1,115 天网 and ~1,000 social cameras', async () => {
      const { rows } = await db.query<{ source: string; n: number; online: number }>(
        `SELECT source, count(*) AS n, avg((status = 'online')::int) AS online FROM cameras GROUP BY source ORDER BY source`,
      );
      expect(Object.fromEntries(rows.map((r) => [r.source, r.n]))).toEqual({ social: 1000, tianwang: 1115, xueliang: 703 });
      for (const r of rows) expect(r.online).toBeGreaterThan(0.8);
    });

    it('when patrols are counted, then 60 teams of about 800 members each have a route that follows the roads', async () => {
      const r = await one<{ teams: number; members: number; without_route: number; off_road: number }>(
        `SELECT (SELECT count(*) FROM patrol_teams) AS teams,
                (SELECT sum(members) FROM patrol_teams) AS members,
                (SELECT count(*) FROM patrol_teams t WHERE NOT EXISTS (SELECT 1 FROM patrol_routes r WHERE r.team_id = t.id)) AS without_route,
                (SELECT count(*) FROM patrol_routes r
                   CROSS JOIN LATERAL ST_DumpPoints(r.geom) p
                   WHERE NOT EXISTS (
                     -- The degree box (≥ 15 m at this latitude) lets the index pick candidates for the metric test.
                     SELECT 1 FROM basemap_roads b
                     WHERE ST_DWithin(b.geom, p.geom, 0.00016) AND ST_DWithin(b.geom::geography, p.geom::geography, 15))) AS off_road`,
      );
      expect(r.teams).toBe(60);
      expect(r.members).toBeGreaterThanOrEqual(780);
      expect(r.members).toBeLessThanOrEqual(850);
      expect(r.without_route).toBe(0);
      expect(r.off_road).toBe(0);
    });

    it('when staff are listed, then every grid has a leader, every level-3 grid a worker, and names are Chinese', async () => {
      const r = await one<{ leaderless: number; workerless: number; bad_names: number; workers: number }>(
        `SELECT (SELECT count(*) FROM grids g WHERE g.kind = 'general' AND NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_id = g.id AND s.duty = 'leader')) AS leaderless,
                (SELECT count(*) FROM grids g WHERE g.kind = 'general' AND g.level = 3 AND NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_id = g.id AND s.duty = 'worker')) AS workerless,
                (SELECT count(*) FROM staff WHERE name !~ '^[一-龥]{2,4}$') AS bad_names,
                (SELECT count(*) FROM staff WHERE role = 'grid_worker') AS workers`,
      );
      expect(r).toMatchObject({ leaderless: 0, workerless: 0, bad_names: 0 });
      expect(r.workers).toBeGreaterThan(300);
    });

    it('when incidents are counted, then a year of about 10,000 sits in the district with hundreds of disputes mediated at ~99.6 %', async () => {
      const r = await one<{ n: number; days: number; disputes: number; mediated: number; outside: number; open: number }>(
        `SELECT count(*) AS n,
                extract(epoch FROM max(reported_at) - min(reported_at)) / 86400 AS days,
                count(*) FILTER (WHERE category = 'dispute') AS disputes,
                avg((outcome = 'resolved')::int) FILTER (WHERE category = 'dispute' AND status = 'closed') AS mediated,
                count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = i.grid_id AND ST_Covers(g.geom, i.location))) AS outside,
                count(*) FILTER (WHERE status <> 'closed') AS open
         FROM incidents i
         -- The demo's own: incidents filed through intake by other tests of the run carry a
         -- request hash, and those they insert themselves have numbers of their own.
         WHERE request_hash IS NULL AND number ~ '^SJ[0-9]{8}-[0-9]{8}$'`,
      );
      expect(r.n).toBe(10_000);
      expect(r.days).toBeGreaterThan(355);
      expect(r.disputes).toBeGreaterThan(600);
      expect(r.disputes).toBeLessThan(1500);
      expect(r.mediated).toBeGreaterThan(0.985);
      // Only points a few metres outside the jagged district edge fall back to the nearest grid.
      expect(r.outside).toBeLessThan(100);
      expect(r.open).toBeGreaterThan(20);
    });
  });

  describe('incident patterns', () => {
    it('when incidents are grouped by hour, then evenings outnumber the small hours several times over', async () => {
      const r = await one<{ evening: number; night: number }>(
        `SELECT count(*) FILTER (WHERE h BETWEEN 18 AND 22) AS evening, count(*) FILTER (WHERE h BETWEEN 3 AND 5) AS night
         FROM (SELECT extract(hour FROM occurred_at AT TIME ZONE 'Asia/Shanghai') AS h FROM incidents) t`,
      );
      expect(r.evening).toBeGreaterThan(4 * r.night);
    });

    it('when incidents near the bar street are grouped by hour, then most happen at night', async () => {
      const r = await one<{ night: number; n: number }>(
        `SELECT count(*) FILTER (WHERE extract(hour FROM i.occurred_at AT TIME ZONE 'Asia/Shanghai') IN (21, 22, 23, 0, 1, 2)) AS night, count(*) AS n
         FROM incidents i JOIN places p ON p.poi_kind = 'bar_street' AND ST_DWithin(p.location::geography, i.location::geography, 120)
         WHERE i.category = 'public_order'`,
      );
      expect(r.n).toBeGreaterThan(100);
      expect(r.night / r.n).toBeGreaterThan(0.6);
    });

    it('when days are compared, then public-order cases rise at weekends and everything rises in the Spring Festival week', async () => {
      const r = await one<{ weekday: number; weekend: number; festival: number; ordinary: number }>(
        `WITH shift AS (SELECT shift FROM dataset_loads ORDER BY id DESC LIMIT 1),
         per_day AS (
           SELECT ((occurred_at - (SELECT shift FROM shift)) AT TIME ZONE 'Asia/Shanghai')::date AS day,
                  count(*) AS n, count(*) FILTER (WHERE category = 'public_order') AS public_order
           FROM incidents GROUP BY 1
         )
         SELECT avg(public_order) FILTER (WHERE extract(isodow FROM day) < 5) AS weekday,
                avg(public_order) FILTER (WHERE extract(isodow FROM day) >= 6) AS weekend,
                avg(n) FILTER (WHERE day BETWEEN '2026-02-15' AND '2026-02-23') AS festival,
                avg(n) FILTER (WHERE day NOT BETWEEN '2026-02-15' AND '2026-02-23') AS ordinary
         FROM per_day`,
      );
      expect(r.weekend).toBeGreaterThan(r.weekday * 1.15);
      expect(r.festival).toBeGreaterThan(r.ordinary * 1.2);
    });

    it('when markets, schools and building sites are compared with open country, then they are hot spots', async () => {
      const r = await one<{ near_poi: number; per_km2_near: number; per_km2_all: number }>(
        `WITH near AS (
           SELECT ST_Union(ST_Buffer(location::geography, 200)::geometry) AS geom FROM places
           WHERE poi_kind IN ('market', 'school', 'construction_site', 'bar_street')
         )
         SELECT count(*) FILTER (WHERE ST_Intersects(i.location, near.geom)) AS near_poi,
                count(*) FILTER (WHERE ST_Intersects(i.location, near.geom)) / (ST_Area(near.geom::geography) / 1e6) AS per_km2_near,
                count(*) / (SELECT ST_Area(ST_Union(geom)::geography) / 1e6 FROM grids WHERE kind = 'general' AND level = 1) AS per_km2_all
         FROM incidents i, near GROUP BY near.geom`,
      );
      expect(r.near_poi).toBeGreaterThan(2000);
      expect(r.per_km2_near).toBeGreaterThan(10 * r.per_km2_all);
    });

    it('when an incident was escalated, then it is held by the center its escalation reached', async () => {
      const r = await one<{ escalated: number; wrong: number }>(
        `WITH e AS (
           SELECT i.id, i.center_id, count(*) FILTER (WHERE ev.action = 'escalate') AS ups
           FROM incidents i JOIN incident_events ev ON ev.incident_id = i.id GROUP BY i.id
         )
         SELECT count(*) FILTER (WHERE ups > 0) AS escalated,
                count(*) FILTER (WHERE c.level <> (ARRAY['village', 'town', 'district'])[ups + 1]) AS wrong
         FROM e JOIN centers c ON c.id = e.center_id`,
      );
      expect(r.escalated).toBeGreaterThan(50);
      expect(r.wrong).toBe(0);
    });

    it('when workflow events are read in order, then each step starts from the status the last one reached', async () => {
      const r = await one<{ broken: number; events: number }>(
        `SELECT count(*) FILTER (WHERE prev_to IS NOT NULL AND from_status IS DISTINCT FROM prev_to AND action <> 'supervise') AS broken,
                count(*) AS events
         FROM (SELECT action, from_status, lag(to_status) OVER (PARTITION BY incident_id ORDER BY at, id) AS prev_to
               FROM incident_events WHERE action <> 'supervise') t`,
      );
      expect(r.events).toBeGreaterThan(50_000);
      expect(r.broken).toBe(0);
    });
  });

  it('when the base map is read, then roads, water, built-up areas and place names are there', async () => {
    const r = await one<{ roads: number; streets: number; water: number; landuse: number; places: number }>(
      `SELECT (SELECT count(*) FROM basemap_roads) AS roads, (SELECT count(*) FROM basemap_roads WHERE class = 'street') AS streets,
              (SELECT count(*) FROM basemap_water) AS water, (SELECT count(*) FROM basemap_landuse) AS landuse,
              (SELECT count(*) FROM places WHERE name ~ '[一-龥]') AS places`,
    );
    expect(r.roads).toBeGreaterThan(200);
    expect(r.streets).toBeGreaterThan(50);
    expect(r.water).toBeGreaterThanOrEqual(3);
    expect(r.landuse).toBeGreaterThan(50);
    expect(r.places).toBeGreaterThan(100);
  });
});
