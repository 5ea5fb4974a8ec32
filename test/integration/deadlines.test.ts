import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { demoUser, signIn, type ApiSession } from '../support/session.js';

// Deadlines (办理时限) changed through PATCH /api/incident-deadlines by leaders who may
// edit at the same time: a change made on hours another leader changed meanwhile is
// refused whole (409), never applied over theirs. The demo deadlines are put back at the end.

interface Deadline {
  category: string;
  severity: string;
  hours: number;
}

describe('deadlines changed by two leaders at once', () => {
  let server: TestServer;
  let district: ApiSession;
  let town: ApiSession;
  let original: Deadline[];

  const hoursOf = async (category: string, severity: string) => {
    const { rows } = await server.db.query<{ hours: number }>('SELECT hours FROM incident_deadlines WHERE category = $1 AND severity = $2', [category, severity]);
    return rows[0]!.hours;
  };
  const patch = (leader: ApiSession, deadlines: Record<string, unknown>[]) => leader.send('PATCH', '/api/incident-deadlines', { deadlines });

  beforeAll(async () => {
    server = await startTestServer();
    district = await signIn(server.baseUrl, demoUser('leader', 'district'));
    town = await signIn(server.baseUrl, demoUser('leader', 'town'));
    original = ((await (await district.get('/api/incident-deadlines')).json()) as { deadlines: Deadline[] }).deadlines;
  });

  afterAll(async () => {
    if (original) expect((await patch(district, original as unknown as Record<string, unknown>[])).status).toBe(200);
    await server?.close();
  });

  it('when a leader saves hours another leader changed after they were read, then nothing of the save is applied and the answer says what they are now', async () => {
    const seen = await hoursOf('public_order', 'high');
    const seenLow = await hoursOf('public_order', 'low');
    const first = await patch(town, [{ category: 'public_order', severity: 'high', hours: seen + 1, previousHours: seen }]);
    expect(first.status, await first.clone().text()).toBe(200);

    const late = await patch(district, [
      { category: 'public_order', severity: 'low', hours: seenLow + 5, previousHours: seenLow },
      { category: 'public_order', severity: 'high', hours: seen + 2, previousHours: seen },
    ]);
    const problem = (await expectProblem(late, 409, PROBLEM('deadlines-changed'))) as unknown as { current: Deadline[]; detail: string };
    expect(problem.current).toEqual([{ category: 'public_order', severity: 'high', hours: seen + 1 }]);
    expect(problem.detail).toContain(`public_order/high is now ${seen + 1} h`);
    expect(await hoursOf('public_order', 'high')).toBe(seen + 1);
    expect(await hoursOf('public_order', 'low'), 'the unchanged cell of a refused save is not applied either').toBe(seenLow);

    // Decided again on what is there now: accepted.
    const again = await patch(district, [{ category: 'public_order', severity: 'high', hours: seen + 2, previousHours: seen + 1 }]);
    expect(again.status).toBe(200);
    const { deadlines } = (await again.json()) as { deadlines: Deadline[] };
    expect(deadlines.find((d) => d.category === 'public_order' && d.severity === 'high')?.hours).toBe(seen + 2);
  });

  it('when eight saves of the same hours race, each from what it read, then exactly one is applied and the others are refused', async () => {
    const seen = await hoursOf('livelihood', 'medium');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => patch(i % 2 === 0 ? district : town, [{ category: 'livelihood', severity: 'medium', hours: seen + 10 + i, previousHours: seen }])),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const winner = answers.findIndex((a) => a.status === 200);
    expect(await hoursOf('livelihood', 'medium')).toBe(seen + 10 + winner);
  });

  it('when a save gives no previous hours, then it is applied over whatever is there (scripts and older clients)', async () => {
    const response = await patch(district, [{ category: 'other', severity: 'critical', hours: 3 }]);
    expect(response.status).toBe(200);
    expect(await hoursOf('other', 'critical')).toBe(3);
  });
});
