import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeofenceAlert } from '../../server/geofences/repository.js';
import { expectProblem } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Key areas (重点区域) through /api/geofences, and the alerts the database raises when an
// incident is stored inside one (trigger geofence_alerts_raise, then live_alerts_added).
// Incidents are inserted with SQL, as intake would store them; everything the file adds
// is taken away at the end.

interface Feature {
  type: 'Feature';
  id: number;
  geometry: { type: 'MultiPolygon'; coordinates: [number, number][][][] };
  properties: { id: number; name: string; kind: string; startsAt: string; endsAt: string | null; centerId: number; active: boolean; alerts: number };
}

/** A square of `half` degrees either side of a point, as a GeoJSON Polygon (counter-clockwise, closed). */
const square = (lon: number, lat: number, half: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - half, lat - half],
      [lon + half, lat - half],
      [lon + half, lat + half],
      [lon - half, lat + half],
      [lon - half, lat - half],
    ],
  ],
});

describe('key areas', () => {
  let server: TestServer;
  let operator: ApiSession;
  let neighbour: ApiSession;
  let districtOperator: ApiSession;
  /** Inside a level-3 grid of operator.village's center. */
  let spot: { lon: number; lat: number };
  let villageCenter: number;
  let neighbourCenter: number;
  const fences: number[] = [];
  const incidents: number[] = [];
  const sql = async <R>(text: string, params: unknown[] = []) => (await server.db.query(text, params)).rows as R[];

  const mark = (s: ApiSession, body: Record<string, unknown>) =>
    s.send('POST', '/api/geofences', { name: '学校周边', kind: 'school', geometry: square(spot.lon, spot.lat, 0.0005), ...body });
  const created = async (s: ApiSession, body: Record<string, unknown> = {}) => {
    const response = await mark(s, body);
    const text = await response.text();
    expect(response.status, text).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const fence = JSON.parse(text) as Feature;
    fences.push(fence.id);
    return fence;
  };
  const listed = async (s: ApiSession) => {
    const response = await s.get('/api/geofences');
    expect(response.status).toBe(200);
    return ((await response.json()) as { type: string; features: Feature[] }).features;
  };
  const alerts = async (s: ApiSession, query = '') => {
    const response = await s.get(`/api/geofences/alerts${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { alerts: GeofenceAlert[] }).alerts;
  };
  /** Stores an incident `east` degrees east of the spot, reported `minutesAgo` ago, attributed to the grid it falls in. */
  const incidentAt = async (east: number, minutesAgo = 0) => {
    const [row] = await sql<{ id: number; number: string }>(
      `INSERT INTO incidents (number, category, severity, title, location, source, grid_id, center_id, occurred_at, reported_at)
       SELECT $3, 'public_order', 'medium', '重点区域测试', ST_SetSRID(ST_MakePoint($1, $2), 4326), 'hotline', g.id, g.center_id,
              now() - make_interval(mins => $4), now() - make_interval(mins => $4)
       FROM grids AS g WHERE g.kind = 'general' AND g.level = 3 AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
       ORDER BY g.id LIMIT 1
       RETURNING id, number`,
      [spot.lon + east, spot.lat, `GF-${randomUUID().slice(0, 13).toUpperCase()}`, minutesAgo],
    );
    expect(row, 'the test point lies in a grid').toBeDefined();
    incidents.push(row!.id);
    return row!;
  };
  const alertsOf = (incidentId: number) =>
    sql<{ geofence_id: number }>('SELECT geofence_id FROM geofence_alerts WHERE incident_id = $1 ORDER BY geofence_id', [incidentId]);

  beforeAll(async () => {
    server = await startTestServer();
    operator = await signIn(server.baseUrl, 'operator.village');
    neighbour = await signIn(server.baseUrl, 'operator.village2');
    districtOperator = await signIn(server.baseUrl, 'operator.district');
    const [row] = await sql<{ lon: number; lat: number; center: number; neighbour: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, g.center_id AS center,
              (SELECT center_id FROM users WHERE username = 'operator.village2') AS neighbour
       FROM grids AS g, ST_PointOnSurface(g.geom) AS p
       WHERE g.kind = 'general' AND g.level = 3 AND g.center_id = (SELECT center_id FROM users WHERE username = 'operator.village')
       ORDER BY g.id LIMIT 1`,
    );
    spot = { lon: row!.lon, lat: row!.lat };
    villageCenter = row!.center;
    neighbourCenter = row!.neighbour;
  });

  afterAll(async () => {
    if (server) {
      await sql('DELETE FROM geofences WHERE id = ANY($1::bigint[])', [fences]);
      await sql('DELETE FROM geofence_alerts WHERE incident_id = ANY($1::bigint[])', [incidents]);
      await sql('DELETE FROM incidents WHERE id = ANY($1::bigint[])', [incidents]);
    }
    await server?.close();
  });

  it('when an operator marks a key area, then it is listed as GeoJSON with its window and no alerts yet, and the change is audited', async () => {
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const fence = await created(operator, { name: '实验小学周边', endsAt });
    expect(fence).toMatchObject({
      type: 'Feature',
      geometry: { type: 'MultiPolygon' },
      properties: { id: fence.id, name: '实验小学周边', kind: 'school', endsAt, centerId: villageCenter, active: true, alerts: 0 },
    });
    expect(Date.parse(fence.properties.startsAt)).toBeLessThanOrEqual(Date.now());
    expect(fence.geometry.coordinates[0]![0]).toHaveLength(5);
    const response = await operator.get('/api/geofences');
    expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const collection = (await response.json()) as { type: string; features: Feature[] };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.find((f) => f.id === fence.id)).toEqual(fence);
    const [audit] = await sql<{ outcome: string; object_type: string }>(
      `SELECT outcome, object_type FROM audit_log WHERE action = 'geofence.create' AND object_id = $1`,
      [String(fence.id)],
    );
    expect(audit).toEqual({ outcome: 'success', object_type: 'geofence' });
  });

  it('when an incident is stored inside an active key area, then it raises an alert and a live alert event; outside, before the window or in a future area, none', async () => {
    const active = await created(operator, { name: '汽车站', kind: 'station' });
    const future = await created(operator, { name: '周末庙会', kind: 'event', startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.properties.active).toBe(false);

    const inside = await incidentAt(0.0001);
    const inAlerts = await alertsOf(inside.id);
    expect(inAlerts.map((a) => a.geofence_id)).toContain(active.id);
    expect(inAlerts.map((a) => a.geofence_id)).not.toContain(future.id);
    const [alertRow] = await sql<{ id: number }>('SELECT id FROM geofence_alerts WHERE geofence_id = $1 AND incident_id = $2', [active.id, inside.id]);
    const live = await sql<{ center_id: number; ref_id: number }>(`SELECT center_id, ref_id FROM live_events WHERE kind = 'alert' AND incident_id = $1`, [inside.id]);
    expect(live).toContainEqual({ center_id: villageCenter, ref_id: alertRow!.id });

    const outside = await incidentAt(0.003);
    expect(await alertsOf(outside.id)).toEqual([]);
    // Inside, but reported a day before the area was marked.
    const before = await incidentAt(0.0002, 24 * 60);
    expect((await alertsOf(before.id)).map((a) => a.geofence_id)).not.toContain(active.id);

    const listedAlerts = await alerts(operator);
    expect(listedAlerts).toContainEqual({
      id: alertRow!.id,
      geofenceId: active.id,
      name: '汽车站',
      kind: 'station',
      incidentId: inside.id,
      incidentNumber: inside.number,
      incidentTitle: '重点区域测试',
      at: expect.any(String),
    });
    expect(listedAlerts.map((a) => a.incidentId)).not.toContain(outside.id);
    const ats = listedAlerts.map((a) => Date.parse(a.at));
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    expect((await listed(operator)).find((f) => f.id === active.id)!.properties.alerts).toBe(1);
    expect((await alerts(neighbour)).map((a) => a.id)).not.toContain(alertRow!.id);
    expect((await alerts(operator, `?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).map((a) => a.id)).not.toContain(alertRow!.id);
    expect(await alerts(operator, '?limit=1')).toHaveLength(1);
  });

  it('when a key area is ended, then it leaves the list, keeps its alerts, and incidents after raise none', async () => {
    const fence = await created(operator, { name: '工地', kind: 'site' });
    const during = await incidentAt(0.0001);
    expect((await alertsOf(during.id)).map((a) => a.geofence_id)).toContain(fence.id);

    expect((await operator.send('DELETE', `/api/geofences/${fence.id}`)).status).toBe(204);
    expect((await listed(operator)).map((f) => f.id)).not.toContain(fence.id);
    const [row] = await sql<{ ended: boolean }>('SELECT ends_at <= now() AS ended FROM geofences WHERE id = $1', [fence.id]);
    expect(row).toEqual({ ended: true });
    expect((await alerts(operator)).map((a) => a.geofenceId)).toContain(fence.id);

    const after = await incidentAt(0.0001);
    expect((await alertsOf(after.id)).map((a) => a.geofence_id)).not.toContain(fence.id);
    await expectProblem(await operator.send('DELETE', `/api/geofences/${fence.id}`), 404);
    const [audit] = await sql<{ detail: { outcome: string } }>(
      `SELECT detail FROM audit_log WHERE action = 'geofence.end' AND outcome = 'success' AND object_id = $1`,
      [String(fence.id)],
    );
    expect(audit!.detail.outcome).toBe('ended');
  });

  it('when a key area that has not started is ended, then it is removed', async () => {
    const fence = await created(operator, { startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect((await operator.send('DELETE', `/api/geofences/${fence.id}`)).status).toBe(204);
    expect(await sql('SELECT id FROM geofences WHERE id = $1', [fence.id])).toEqual([]);
  });

  it("when another village's operator lists or ends a key area, then it is not theirs to see", async () => {
    const fence = await created(operator);
    expect((await listed(neighbour)).map((f) => f.id)).not.toContain(fence.id);
    await expectProblem(await neighbour.send('DELETE', `/api/geofences/${fence.id}`), 404);
    expect((await listed(operator)).map((f) => f.id)).toContain(fence.id);
    expect((await listed(districtOperator)).map((f) => f.id)).toContain(fence.id);
  });

  it("when the district marks an area for a village center, then it is the village's", async () => {
    const fence = await created(districtOperator, { centerId: villageCenter });
    expect(fence.properties.centerId).toBe(villageCenter);
    expect((await listed(operator)).map((f) => f.id)).toContain(fence.id);
  });

  it('when the area is a MultiPolygon, then each part is kept', async () => {
    const a = square(spot.lon, spot.lat, 0.0002).coordinates;
    const b = square(spot.lon + 0.001, spot.lat, 0.0002).coordinates;
    const fence = await created(operator, { geometry: { type: 'MultiPolygon', coordinates: [a, b] } });
    expect(fence.geometry.coordinates).toHaveLength(2);
  });

  it('when the name is SQL, then it is stored and shown verbatim', async () => {
    const name = "x'); DROP TABLE geofences; --";
    const fence = await created(operator, { name });
    expect(fence.properties.name).toBe(name);
    expect((await listed(operator)).find((f) => f.id === fence.id)!.properties.name).toBe(name);
  });

  it('when a leader or an analyst marks a key area, then it is refused', async () => {
    for (const username of ['leader.village', 'analyst.village']) {
      const s = await signIn(server.baseUrl, username);
      await expectProblem(await mark(s, {}), 403, 'urn:pingan:problem:forbidden');
    }
  });

  it('when the area crosses itself, then the answer is a 422 saying so', async () => {
    const { lon, lat } = spot;
    const d = 0.0005;
    const bowtie = { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat + d], [lon + d, lat - d], [lon - d, lat + d], [lon - d, lat - d]]] };
    const problem = await expectProblem(await mark(operator, { geometry: bowtie }), 422);
    expect(problem.detail).toMatch(/Self-intersection/);
  });

  it("when the area lies outside the center's grids, or the center is not the caller's, then it is refused", async () => {
    const far = await mark(operator, { geometry: square(0.5, 0.5, 0.001) });
    expect((await expectProblem(far, 422)).detail).toMatch(/jurisdiction/);
    const other = await mark(operator, { centerId: neighbourCenter });
    const problem = await expectProblem(other, 400);
    expect(problem['invalid-params']!.map((p) => p.name)).toContain('centerId');
  });
});
