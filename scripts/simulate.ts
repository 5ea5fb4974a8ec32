import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import { DEMO_PASSWORD } from '../geodata/seed/demo-accounts.js';
import { ApiClient } from './simulate/api-client.js';
import { CATEGORIES, gridArea, gridAt, hotlineCaller, near, pick, pickWeighted, pointIn, SEVERITIES, type GridArea } from './simulate/incident-samples.js';
import { RouteTrack, type LonLat } from './simulate/route-track.js';

// `npm run simulate`: brings the demo district to life on a running server, over HTTP as
// any client would. Every patrol unit of the signed-in user's jurisdiction moves along
// its route at the pace of its kind and reports its position; incidents are filed at a
// chosen rate near a unit or inside a level-3 grid. For demos, the big screen and
// benchmarks of the live stream. Ctrl-C (or --duration) stops it.
//
// The server allows WRITE_RATE_LIMIT writes per user a minute (300 by default): the
// simulator spends at most --max-writes of them (default 240, leaving the operator room
// to work). With more units than that allows per tick, a unit keeps its reports and
// sends them together on its turn (up to 100 a request). For live-looking movement of
// every unit, raise both.

const USAGE = `usage: npm run simulate -- [--url http://localhost:8080] [--user operator.district] [--password …]
  [--interval 5] [--rate 2] [--duration seconds] [--max-writes 240]`;

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:8080' },
    user: { type: 'string', default: 'operator.district' },
    password: { type: 'string', default: DEMO_PASSWORD },
    interval: { type: 'string', default: '5' },
    rate: { type: 'string', default: '2' },
    duration: { type: 'string' },
    'max-writes': { type: 'string', default: '240' },
    help: { type: 'boolean', default: false },
  },
});
const number = (name: string, text: string | undefined, min: number): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number of at least ${min}\n${USAGE}`);
    process.exit(64);
  }
  return n;
};
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const intervalS = number('interval', values.interval, 0.2);
const ratePerMin = number('rate', values.rate, 0);
const durationS = values.duration === undefined ? Infinity : number('duration', values.duration, 1);
const maxWrites = number('max-writes', values['max-writes'], 1);

/** Pace of each kind of unit, as the seed's track. */
const KMH: Readonly<Record<string, number>> = { vehicle: 25, ebike: 14, foot: 4.5 };
/** Reports a unit keeps while it waits for its turn (a request takes at most 100). */
const MAX_PENDING = 100;

interface Report {
  at: string;
  location: LonLat;
  speedKmh: number;
  heading: number;
}

interface Unit {
  id: number;
  callsign: string;
  kmh: number;
  track: RouteTrack;
  distanceM: number;
  location: LonLat;
  pending: Report[];
}

const counts = { positions: 0, requests: 0, incidents: 0, errors: 0 };
const runId = `sim-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
let incidentNo = 0;

const api = new ApiClient(values.url.replace(/\/+$/, ''), values.user, values.password);
let units: Unit[];
let grids: GridArea[];
try {
  await api.signIn();
  [units, grids] = await Promise.all([loadUnits(), loadGrids()]);
} catch (err) {
  console.error(`${(err as Error).message}\nIs the server running at ${api.baseUrl}?`);
  process.exit(1);
}
if (units.length === 0) console.warn('no patrol unit with a route in this jurisdiction: only incidents are filed');
const perTick = Math.max(1, Math.floor(((maxWrites - ratePerMin) * intervalS) / 60));
console.log(
  `simulating ${units.length} patrol units and ${ratePerMin} incidents a minute in ${grids.length} grids as ${values.user} at ${api.baseUrl}; ` +
    `a report every ${intervalS} s, ${Math.min(perTick, units.length)} units post per tick` +
    (perTick < units.length ? ` (each about every ${Math.round((units.length / perTick) * intervalS)} s; see --max-writes)` : ''),
);

let stopping = false;
process.on('SIGINT', () => {
  // A second Ctrl-C does not wait for the requests under way.
  if (stopping) process.exit(130);
  stopping = true;
});
const started = Date.now();
let last = started;
let incidentsDue = 0;
let minute = 0;
let reported = { ...counts };

while (!stopping && Date.now() - started < durationS * 1000) {
  const now = Date.now();
  const dt = (now - last) / 1000;
  last = now;
  for (const unit of units) move(unit, dt, now);

  // One request at a time (gentle on the server; the embedded database serves one write
  // transaction at a time anyway), the longest-waiting units first so every unit gets its turn.
  const due = units.filter((u) => u.pending.length > 0).sort((a, b) => a.pending[0]!.at.localeCompare(b.pending[0]!.at)).slice(0, perTick);
  for (const unit of due) await postPositions(unit);
  incidentsDue += (ratePerMin * dt) / 60;
  for (; incidentsDue >= 1 && !stopping; incidentsDue--) await fileIncident();

  if (now - started >= (minute + 1) * 60_000) {
    minute++;
    printLine(`minute ${minute}`, reported);
    reported = { ...counts };
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + intervalS * 1000 - Date.now())));
}
printLine('total');

function printLine(label: string, since = { positions: 0, requests: 0, incidents: 0, errors: 0 }): void {
  console.log(
    `${new Date().toISOString()} ${label}: ${counts.positions - since.positions} positions in ${counts.requests - since.requests} requests, ` +
      `${counts.incidents - since.incidents} incidents filed, ${counts.errors - since.errors} errors`,
  );
}

function fail(what: string, detail: unknown): void {
  counts.errors++;
  const text = typeof detail === 'string' ? detail : detail instanceof Error ? detail.message : JSON.stringify(detail);
  console.error(`${new Date().toISOString()} ${what}: ${text.slice(0, 300)}`);
}

/** Units of the jurisdiction with a route, starting where they last reported (else anywhere on it). */
async function loadUnits(): Promise<Unit[]> {
  const [positions, routes] = await Promise.all([api.get('/api/patrols/positions'), api.get('/api/patrols/routes')]);
  if (positions.status !== 200 || routes.status !== 200) throw new Error(`could not load the patrol units (${positions.status}, ${routes.status})`);
  const tracks = new Map<number, RouteTrack>();
  for (const f of (routes.body as FeatureCollection<LineString, { id: number }>).features) {
    const trackOf = new RouteTrack(f.geometry.coordinates as LonLat[]);
    if (trackOf.lengthM > 0) tracks.set(f.properties.id, trackOf);
  }
  type UnitProperties = { unit_id: number; callsign: string; kind: string; route_id: number | null };
  return (positions.body as FeatureCollection<Point, UnitProperties>).features.flatMap((f): Unit[] => {
    const routeTrack = f.properties.route_id === null ? undefined : tracks.get(f.properties.route_id);
    if (!routeTrack) return [];
    const distanceM = routeTrack.locate(f.geometry.coordinates as LonLat);
    return [{ id: f.properties.unit_id, callsign: f.properties.callsign, kmh: KMH[f.properties.kind] ?? 5, track: routeTrack, distanceM, location: routeTrack.at(distanceM).location, pending: [] }];
  });
}

async function loadGrids(): Promise<GridArea[]> {
  const answer = await api.get('/api/grids?level=3&kind=general');
  if (answer.status !== 200) throw new Error(`could not load the grids (${answer.status})`);
  return (answer.body as FeatureCollection<Polygon | MultiPolygon, { name: string }>).features.map((f) => gridArea(f.properties.name, f.geometry));
}

/** Moves a unit on by `dt` seconds at about its pace, and notes the report it would send. */
function move(unit: Unit, dt: number, now: number): void {
  const kmh = unit.kmh * (0.85 + Math.random() * 0.3);
  unit.distanceM += (kmh / 3.6) * dt;
  const { location, heading } = unit.track.at(unit.distanceM);
  unit.location = location;
  unit.pending.push({
    at: new Date(now).toISOString(),
    location: [round(location[0], 7), round(location[1], 7)],
    speedKmh: round(kmh, 1),
    heading: round(heading, 1) % 360,
  });
  if (unit.pending.length > MAX_PENDING) unit.pending.shift();
}

async function postPositions(unit: Unit): Promise<void> {
  const reports = unit.pending.splice(0);
  try {
    counts.requests++;
    const answer = await api.post(`/api/patrols/units/${unit.id}/positions`, { reports });
    if (answer.status === 201) {
      counts.positions += (answer.body as { stored: number }).stored;
      return;
    }
    fail(`positions of ${unit.callsign}`, answer.body);
    // A refusal of the content would repeat; anything else may pass next time.
    if (answer.status !== 400 && answer.status !== 404) unit.pending.unshift(...reports.slice(-(MAX_PENDING - unit.pending.length)));
  } catch (err) {
    fail(`positions of ${unit.callsign}`, err);
    unit.pending.unshift(...reports.slice(-(MAX_PENDING - unit.pending.length)));
  }
}

/** One incident, as a patrol or the public would report it, near a unit or in a grid. */
async function fileIncident(): Promise<void> {
  const [category, , titles] = pickWeighted(CATEGORIES.map((c) => [c, c[1]] as const));
  const title = pick(titles);
  const unit = units.length > 0 && Math.random() < 0.5 ? pick(units) : undefined;
  const nearUnit = unit && near(unit.location, 150);
  let grid = nearUnit && gridAt(grids, nearUnit);
  let location = grid && nearUnit;
  for (let i = 0; !location && i < 10 && grids.length > 0; i++) {
    grid = pick(grids);
    location = pointIn(grid);
  }
  if (!location || !grid) {
    fail('incident', 'no grid to file it in');
    return;
  }
  const fromPatrol = unit !== undefined && location === nearUnit;
  const source = fromPatrol ? 'grid_app' : pickWeighted([['hotline', 60], ['walk_in', 20], ['grid_app', 20]] as const);
  const body = {
    category,
    severity: pickWeighted(SEVERITIES),
    title,
    description: fromPatrol ? `${unit.callsign}巡逻中发现${title}，请派员核实处置。` : `群众反映${grid.name}${title}，请尽快核实处置。`,
    location: [round(location[0], 7), round(location[1], 7)],
    address: grid.name,
    source,
    // Reported a little after it happened.
    occurredAt: new Date(Date.now() - (1 + Math.random() * 30) * 60_000).toISOString(),
    ...(source === 'hotline' && hotlineCaller()),
  };
  try {
    const answer = await api.post('/api/incidents', body, { 'Idempotency-Key': `${runId}-${++incidentNo}` });
    if (answer.status === 200 || answer.status === 201) counts.incidents++;
    else fail(`incident ${title}`, answer.body);
  } catch (err) {
    fail(`incident ${title}`, err);
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
