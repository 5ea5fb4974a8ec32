import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchOptions } from '../../server/dispatch/repository.js';
import { expectProblem } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// GET /api/incidents/:id/dispatch-options against the demo district, with patrol units
// moved next to an incident (position reports inserted, the trigger keeps last_location)
// and cameras set up around it: order by distance on the spheroid, the age filter, fields
// of view (wrap-around at north included), and the caller's jurisdiction. Everything the
// file adds is taken away again at the end.

interface Spot {
  incidentId: number;
  gridId: number;
  lon: number;
  lat: number;
}

interface UnitState {
  id: number;
  last_location: string | null;
  last_reported_at: Date | null;
  last_speed_kmh: number | null;
  last_heading: number | null;
}

describe('dispatch options', () => {
  let server: TestServer;
  let district: ApiSession;
  let village: ApiSession;
  /** An incident of operator.village's center. */
  let spot: Spot;
  /** An incident of the neighbouring village (operator.village2's). */
  let neighbourIncident: number;
  /** Units placed around the spot: two of the village's own team, one of the neighbour's, one of the district's. */
  let units: { near: number; stale: number; neighbour: number; districtUnit: number };
  let cameras: Record<'facing' | 'away' | 'acrossNorth' | 'short' | 'allRound' | 'neighbour', number>;
  let saved: UnitState[];
  const positionIds: number[] = [];
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];
  const options = async (s: ApiSession, incidentId: number, query = '') => {
    const response = await s.get(`/api/incidents/${incidentId}/dispatch-options${query}`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as DispatchOptions;
  };
  /** Reports a unit at `metres` from the spot in direction `azimuth` (degrees from north), `minutesAgo` ago. */
  const report = async (unitId: number, metres: number, azimuth: number, minutesAgo: number) => {
    const [row] = await sql<{ id: number }>(
      `INSERT INTO patrol_positions (unit_id, reported_at, location, speed_kmh, heading)
       SELECT $1, now() - make_interval(mins => $5), ST_Project(ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4::float8, radians($6))::geometry, 12, 90
       RETURNING id`,
      [unitId, spot.lon, spot.lat, metres, minutesAgo, azimuth],
    );
    positionIds.push(row!.id);
  };
  /** A camera of `centerId` at `metres` from the spot in direction `azimuth`, looking at `heading`. */
  const camera = async (centerId: number, metres: number, azimuth: number, heading: number, fov: number, rangeM: number) => {
    const [row] = await sql<{ id: number }>(
      `INSERT INTO cameras (code, name, source, location, heading, fov, range_m, status, stream_url, center_id)
       VALUES ($1, '调度测试摄像机', 'xueliang', ST_Project(ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4::float8, radians($5))::geometry,
               $6, $7, $8, 'online', 'https://video.example/live.m3u8', $9)
       RETURNING id`,
      [`DISPATCH-${randomUUID().slice(0, 8).toUpperCase()}`, spot.lon, spot.lat, metres, azimuth, heading, fov, rangeM, centerId],
    );
    return row!.id;
  };

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, 'operator.district');
    village = await signIn(server.baseUrl, 'operator.village');
    const [own] = await sql<Spot>(
      `SELECT i.id AS "incidentId", i.grid_id AS "gridId", ST_X(i.location) AS lon, ST_Y(i.location) AS lat
       FROM incidents AS i WHERE i.grid_id IS NOT NULL AND i.center_id = (SELECT center_id FROM users WHERE username = 'operator.village')
       ORDER BY i.id LIMIT 1`,
    );
    spot = own!;
    const [other] = await sql<{ id: number }>(
      `SELECT i.id FROM incidents AS i WHERE i.center_id = (SELECT center_id FROM users WHERE username = 'operator.village2') ORDER BY i.id LIMIT 1`,
    );
    neighbourIncident = other!.id;
    const unitsOf = async (username: string, n: number) =>
      (
        await sql<{ id: number }>(
          `SELECT u.id FROM patrol_units AS u JOIN patrol_teams AS t ON t.id = u.team_id
           WHERE t.center_id = (SELECT center_id FROM users WHERE username = $1) ORDER BY u.id LIMIT $2`,
          [username, n],
        )
      ).map((r) => r.id);
    const [near, stale] = await unitsOf('operator.village', 2);
    const [neighbour] = await unitsOf('operator.village2', 1);
    const [districtUnit] = await unitsOf('operator.district', 1);
    units = { near: near!, stale: stale!, neighbour: neighbour!, districtUnit: districtUnit! };
    const ids = Object.values(units);
    saved = await sql<UnitState>(
      'SELECT id, last_location::text, last_reported_at, last_speed_kmh, last_heading FROM patrol_units WHERE id = ANY($1::bigint[])',
      [ids],
    );
    // Forget their latest positions, so the reports below (some older than the demo's) become the latest.
    await sql('UPDATE patrol_units SET last_location = NULL, last_reported_at = NULL WHERE id = ANY($1::bigint[])', [ids]);
    await report(units.neighbour, 10, 270, 1);
    await report(units.stale, 20, 0, 180);
    await report(units.near, 40, 90, 2);
    await report(units.districtUnit, 60, 180, 1);

    const [ownCenter, neighbourCenter] = (
      await sql<{ center_id: number }>(
        `SELECT center_id FROM users WHERE username IN ('operator.village', 'operator.village2') ORDER BY username = 'operator.village2'`,
      )
    ).map((r) => r.center_id);
    cameras = {
      // East of the spot looking west at it.
      facing: await camera(ownCenter!, 50, 90, 270, 60, 100),
      // North of it, as far, looking north: its back to the spot.
      away: await camera(ownCenter!, 50, 0, 0, 60, 100),
      // South of it looking at 350° with 40° of view: the spot, due north (0°), lies across north.
      acrossNorth: await camera(ownCenter!, 50, 180, 350, 40, 100),
      // West of it looking east, but it sees only 40 m.
      short: await camera(ownCenter!, 50, 270, 90, 60, 40),
      // A dome that sees all around, whatever its heading.
      allRound: await camera(ownCenter!, 30, 45, 0, 360, 50),
      // The neighbouring village's camera, looking at the spot from 20 m south-east.
      neighbour: await camera(neighbourCenter!, 20, 135, 315, 60, 100),
    };
  });

  afterAll(async () => {
    if (server) {
      await sql('DELETE FROM cameras WHERE id = ANY($1::bigint[])', [Object.values(cameras ?? {})]);
      await sql('DELETE FROM patrol_positions WHERE id = ANY($1::bigint[])', [positionIds]);
      for (const u of saved ?? []) {
        await sql(
          `UPDATE patrol_units SET last_location = $2::geometry, last_reported_at = $3, last_speed_kmh = $4, last_heading = $5 WHERE id = $1`,
          [u.id, u.last_location, u.last_reported_at, u.last_speed_kmh, u.last_heading],
        );
      }
    }
    await server?.close();
  });

  it('when the district asks, then the units come nearest first, measured in metres, the stale one left out', async () => {
    const { units: got } = await options(district, spot.incidentId);
    expect(got.length).toBe(8);
    const distances = got.map((u) => u.distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const placed = new Set(Object.values(units));
    const mine = got.filter((u) => placed.has(u.id));
    expect(mine.map((u) => u.id)).toEqual([units.neighbour, units.near, units.districtUnit]);
    expect(mine.map((u) => u.distanceM)).toEqual([expect.closeTo(10, 0), expect.closeTo(40, 0), expect.closeTo(60, 0)]);
    const near = mine[1]!;
    expect(near).toMatchObject({ callsign: expect.any(String), kind: expect.stringMatching(/^(vehicle|ebike|foot)$/), members: expect.any(Number) });
    expect(near.teamName.length).toBeGreaterThan(0);
    expect(near.minutesSinceReport).toBeGreaterThanOrEqual(2);
    expect(Date.parse(near.lastReportedAt)).toBeLessThan(Date.now());
    expect(near.location[0]).toBeGreaterThan(spot.lon);
    expect(near.location[1]).toBeCloseTo(spot.lat, 5);
  });

  it('when maxAgeMin reaches back past the stale report, then that unit comes in at its place', async () => {
    const { units: got } = await options(district, spot.incidentId, '?maxAgeMin=240&units=3');
    expect(got.map((u) => u.id)).toEqual([units.neighbour, units.stale, units.near]);
    expect(got[1]!.minutesSinceReport).toBeGreaterThanOrEqual(180);
  });

  it('when fewer units are asked for, then only the nearest come', async () => {
    const { units: got } = await options(district, spot.incidentId, '?units=2');
    expect(got.map((u) => u.id)).toEqual([units.neighbour, units.near]);
  });

  it("when the village operator asks, then only its own teams' units come", async () => {
    const { units: got } = await options(village, spot.incidentId, '?maxAgeMin=240&units=50');
    const own = await sql<{ id: number }>(
      `SELECT u.id FROM patrol_units AS u JOIN patrol_teams AS t ON t.id = u.team_id
       WHERE t.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = (SELECT center_id FROM users WHERE username = 'operator.village'))`,
    );
    const ownIds = new Set(own.map((r) => r.id));
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((u) => ownIds.has(u.id))).toBe(true);
    expect(got.slice(0, 2).map((u) => u.id)).toEqual([units.stale, units.near]);
    expect(got.map((u) => u.id)).not.toContain(units.neighbour);
    expect(got.map((u) => u.id)).not.toContain(units.districtUnit);
  });

  it("when the village operator asks about the neighbouring village's incident, then it is not found", async () => {
    await expectProblem(await village.get(`/api/incidents/${neighbourIncident}/dispatch-options`), 404);
    expect((await options(district, neighbourIncident)).units.length).toBeGreaterThan(0);
  });

  it("when the workers are listed, then they are the grid's active staff, leader first, then the leaders above, phones masked", async () => {
    const { workers } = await options(village, spot.incidentId);
    const staff = await sql<{ staff_id: number; duty: string }>(
      `SELECT gs.staff_id, gs.duty FROM grid_staff AS gs JOIN staff AS s ON s.id = gs.staff_id AND s.active WHERE gs.grid_id = $1`,
      [spot.gridId],
    );
    const chain = await sql<{ grid_id: number; staff_id: number }>(
      `SELECT p.id AS grid_id, gs.staff_id FROM grids AS g
       JOIN grids AS p ON p.id IN (g.parent_id, (SELECT parent_id FROM grids WHERE id = g.parent_id))
       JOIN grid_staff AS gs ON gs.grid_id = p.id AND gs.duty = 'leader'
       JOIN staff AS s ON s.id = gs.staff_id AND s.active
       WHERE g.id = $1`,
      [spot.gridId],
    );
    const own = workers.filter((w) => w.gridId === spot.gridId);
    expect(own.map((w) => w.staffId).sort((a, b) => a - b)).toEqual(staff.map((s) => s.staff_id).sort((a, b) => a - b));
    expect(own[0]!.duty).toBe('leader');
    expect(workers.slice(own.length).map((w) => [w.gridId, w.staffId])).toEqual(
      expect.arrayContaining(chain.map((c) => [c.grid_id, c.staff_id])),
    );
    expect(workers.slice(own.length).every((w) => w.duty === 'leader')).toBe(true);
    expect(workers.length).toBe(own.length + chain.length);
    for (const w of workers) {
      expect(w.name.length).toBeGreaterThan(0);
      expect(w.gridName.length).toBeGreaterThan(0);
      if (w.phone !== null) expect(w.phone).toMatch(/^\d{3}\*+\d{4}$/);
    }
  });

  it('when cameras are listed, then those whose view covers the spot come nearest first, and those facing away or too short do not', async () => {
    const { cameras: got } = await options(district, spot.incidentId);
    const distances = got.map((c) => c.distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const ids = got.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([cameras.neighbour, cameras.allRound, cameras.facing, cameras.acrossNorth]));
    expect(ids).not.toContain(cameras.away);
    expect(ids).not.toContain(cameras.short);
    expect(ids.indexOf(cameras.neighbour)).toBeLessThan(ids.indexOf(cameras.allRound));
    expect(ids.indexOf(cameras.allRound)).toBeLessThan(Math.min(ids.indexOf(cameras.facing), ids.indexOf(cameras.acrossNorth)));
    const facing = got.find((c) => c.id === cameras.facing)!;
    expect(facing).toMatchObject({ source: 'xueliang', status: 'online', streamUrl: 'https://video.example/live.m3u8' });
    expect(facing.distanceM).toBeCloseTo(50, 0);
    expect(facing.bearing).toBeCloseTo(270, 0);
    const acrossNorth = got.find((c) => c.id === cameras.acrossNorth)!;
    expect(Math.min(acrossNorth.bearing!, 360 - acrossNorth.bearing!)).toBeLessThan(0.5);
    expect(got.length).toBeLessThanOrEqual(12);
  });

  it("when the village operator lists cameras, then the neighbouring village's camera is not among them", async () => {
    const ids = (await options(village, spot.incidentId)).cameras.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([cameras.allRound, cameras.facing, cameras.acrossNorth]));
    expect(ids).not.toContain(cameras.neighbour);
  });

  it('when the query is out of range, then the answer is a 400 naming it', async () => {
    for (const query of ['?units=0', '?units=51', '?maxAgeMin=0', '?maxAgeMin=abc']) {
      const problem = await expectProblem(await district.get(`/api/incidents/${spot.incidentId}/dispatch-options${query}`), 400);
      expect(problem['invalid-params']!.map((p) => p.name)).toContain(query.slice(1).split('=')[0]);
    }
  });
});
