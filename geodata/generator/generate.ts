import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type pg from 'pg';
import { buildCameras, buildPatrols, roadGraph } from './assets.js';
import { buildBasemap } from './basemap.js';
import { buildDistrict, gridGeometry, type DistrictPlan } from './district.js';
import { toLonLat } from './frame.js';
import { generateIncidents, type AtomHome } from './incidents.js';
import { mobile } from './names.js';
import { buildPlaces, DISTRICT_NAME } from './places.js';
import { Random } from './random.js';
import { buildStaff } from './staff.js';
import { centerCode, gridCode, DEPARTMENT_CODES, type DemoManifest } from '../dataset.js';

export const GENERATOR_VERSION = '1';
export const DEMO_SEED = 20251124;
/** Monday 2025-11-24 00:00 China time: the demo year is the 52 weeks from here. */
export const PERIOD_START = Date.parse('2025-11-24T00:00:00+08:00');

export interface GenerateOptions {
  seed: number;
  plan: DistrictPlan;
  incidents: number;
  cameras: { xueliang: number; tianwang: number; social: number };
  outDir: string;
  log: (msg: string) => void;
}

const lines = (items: unknown[]) => `[\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]\n`;
const featureCollection = (features: unknown[]) => `{"type":"FeatureCollection","features":${lines(features)}}\n`;

/**
 * Generates the demo district with PostGIS doing the geometry (through `client`) and writes it
 * to `outDir`. The same seed and plan give the same files.
 */
export async function generateDemo(client: pg.PoolClient, o: GenerateOptions): Promise<DemoManifest> {
  const rnd = new Random(o.seed);
  const t0 = Date.now();
  const { district: d, outline } = await buildDistrict(client, o.plan, rnd.fork('district'));
  o.log(`district: ${d.atoms.length} atoms in ${Date.now() - t0} ms`);
  const geometry = await gridGeometry(client, d);
  const basemap = await buildBasemap(client, d, outline, rnd.fork('basemap'));
  const places = buildPlaces(d, outline, rnd.fork('places'));
  o.log(`base map: ${basemap.roads.length} roads, ${places.length} places`);

  const rndCenters = rnd.fork('centers');
  const centers = [
    { code: centerCode(), name: `${DISTRICT_NAME}综治中心`, level: 'district', parent: null, lonlat: toLonLat([d.towns[1]!.centre[0] + 300, d.towns[1]!.centre[1] + 200]), address: `${DISTRICT_NAME}管委会`, phone: mobile(rndCenters) },
    ...d.towns.flatMap((t, ti) => [
      { code: centerCode(ti), name: `${t.name}综治中心`, level: 'town', parent: centerCode(), lonlat: toLonLat([t.centre[0] + 80, t.centre[1] + 60]), address: `${t.name}${t.kind === 'street' ? '办事处' : '人民政府'}`, phone: mobile(rndCenters) },
      ...t.villages.map((v, vi) => ({ code: centerCode(ti, vi), name: `${v.name}综治中心`, level: 'village', parent: centerCode(ti), lonlat: toLonLat([v.centre[0] + 30, v.centre[1] + 20]), address: `${t.name}${v.name}${v.kind === 'community' ? '居委会' : '村委会'}`, phone: mobile(rndCenters) })),
    ]),
  ];

  const grids: unknown[] = [];
  const feature = (geometryCoords: number[][][][], props: Record<string, unknown>) => ({ type: 'Feature', properties: props, geometry: { type: 'MultiPolygon', coordinates: geometryCoords } });
  let vFlat = 0;
  d.towns.forEach((t, ti) => {
    const townPop = t.villages.flatMap((v) => v.blocks).reduce((s, b) => s + b.population, 0);
    grids.push(feature(geometry.towns[ti]!, { code: gridCode(ti), name: t.name, kind: 'general', level: 1, department: null, parent: null, center: centerCode(ti), population: townPop, households: Math.round(townPop / 2.7) }));
    t.villages.forEach((v, vi) => {
      const pop = v.blocks.reduce((s, b) => s + b.population, 0);
      grids.push(feature(geometry.villages[vFlat]!, { code: gridCode(ti, vi), name: v.name, kind: 'general', level: 2, department: null, parent: gridCode(ti), center: centerCode(ti, vi), population: pop, households: Math.round(pop / 2.7) }));
      v.blocks.forEach((b, bi) => {
        grids.push(feature(geometry.blocks[vFlat]![bi]!, { code: gridCode(ti, vi, bi), name: `${v.name}第${bi + 1}网格`, kind: 'general', level: 3, department: null, parent: gridCode(ti, vi), center: centerCode(ti, vi), population: b.population, households: Math.round(b.population / 2.7) }));
      });
      vFlat++;
    });
  });
  d.specialist.forEach((s, si) => {
    s.regions.forEach((region, ri) => {
      const pop = region.reduce((sum, a) => sum + d.atoms[a]!.population, 0);
      grids.push(feature(geometry.specialist[si]![ri]!, { code: `S-${DEPARTMENT_CODES[s.department].code}-${String(ri + 1).padStart(2, '0')}`, name: `${DEPARTMENT_CODES[s.department].name}${ri + 1}号专业网格`, kind: 'specialist', level: 1, department: s.department, parent: null, center: centerCode(), population: pop, households: Math.round(pop / 2.7) }));
    });
  });

  const staff = buildStaff(d, { center: centerCode, grid: gridCode }, rnd.fork('staff'));
  const cameras = buildCameras(d, basemap, places, o.cameras, rnd.fork('cameras'));
  const graph = await roadGraph(client, basemap.roads);
  const patrols = buildPatrols(d, graph, (t, v) => (t < 0 ? centerCode() : centerCode(t, v)), rnd.fork('patrols'));
  o.log(`assets: ${staff.length} staff, ${cameras.length} cameras, ${patrols.length} patrol teams`);

  // `home` numbers villages across the district; the incident model wants them within their town.
  const firstVillage = d.towns.reduce<number[]>((acc, t, i) => [...acc, i === 0 ? 0 : acc[i - 1]! + d.towns[i - 1]!.villages.length], []);
  const atoms: AtomHome[] = d.atoms.map((a) => {
    const [town, village] = d.home.get(a.index)!;
    return { xy: a.xy, population: a.population, town, village: village - firstVillage[town]! };
  });
  const model = { atoms, places, outline, townNames: d.towns.map((t) => t.name), villageNames: d.towns.map((t) => t.villages.map((v) => v.name)), start: PERIOD_START };
  const incidents = [...generateIncidents(model, o.incidents, rnd.fork('incidents'), true)];

  const manifest: DemoManifest = {
    dataset: 'demo', version: GENERATOR_VERSION, seed: o.seed, name: DISTRICT_NAME, periodStart: new Date(PERIOD_START).toISOString(),
    outline: outline.map(toLonLat),
    counts: {
      centers: centers.length, grids: grids.length, staff: staff.length, cameras: cameras.length, patrolTeams: patrols.length,
      patrolMembers: patrols.reduce((s, p) => s + p.members, 0), places: places.length, roads: basemap.roads.length, incidents: incidents.length,
      incidentEvents: incidents.reduce((s, i) => s + i.events.length, 0),
    },
  };
  await mkdir(o.outDir, { recursive: true });
  const write = (name: string, text: string) => writeFile(path.join(o.outDir, name), text);
  await write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  await write('centers.json', lines(centers));
  await write('grids.geojson', featureCollection(grids));
  await write('staff.json', lines(staff));
  await write('cameras.json', lines(cameras));
  await write('patrols.json', lines(patrols));
  await write('places.json', lines(places.map(({ xy: _xy, ...p }) => p)));
  await write('atoms.json', lines(atoms.map((a) => [...toLonLat(a.xy), a.population, a.town, a.village])));
  await write('roads.geojson', featureCollection(basemap.roads.map((r) => ({ type: 'Feature', properties: { class: r.class, name: r.name }, geometry: { type: 'LineString', coordinates: r.coords } }))));
  await write('waterways.geojson', featureCollection(basemap.waterways.map((w) => ({ type: 'Feature', properties: { class: w.class, name: w.name }, geometry: { type: 'LineString', coordinates: w.coords } }))));
  await write('water.geojson', featureCollection(basemap.water.map((w) => ({ type: 'Feature', properties: { name: w.name }, geometry: { type: 'MultiPolygon', coordinates: w.coordinates } }))));
  await write('landuse.geojson', featureCollection(basemap.landuse.map((l) => ({ type: 'Feature', properties: { kind: l.kind, name: l.name }, geometry: { type: 'MultiPolygon', coordinates: l.coordinates } }))));
  await writeFile(path.join(o.outDir, 'incidents.json.gz'), gzipSync(lines(incidents), { level: 9 }));
  o.log(`wrote ${o.outDir} in ${Date.now() - t0} ms: ${JSON.stringify(manifest.counts)}`);
  return manifest;
}
