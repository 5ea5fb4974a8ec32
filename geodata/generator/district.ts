import type pg from 'pg';
import { blob, dist, pointInPolygon, type XY } from './frame.js';
import { placeStem } from './names.js';
import { buildCells, guardRing, medoid, partitionAtoms, sampleAtoms, spreadSeeds, unionGroups, type Atom, type AtomField } from './partition.js';
import type { Random } from './random.js';

export interface DistrictPlan {
  /** Outline radius in metres. */
  radius: number;
  /** Atom spacing in the open countryside, metres. */
  ruralSpacing: number;
  towns: { name: string; kind: 'street' | 'town'; centre: XY; villages: number; weight: number; spread: number }[];
  /** Level-3 grids wanted in all. */
  blocks: number;
  specialist: Record<Department, number>;
}

export type Department = 'police' | 'judicial' | 'civil_affairs' | 'health' | 'market_supervision' | 'urban_management';

export interface Block { index: number; atoms: number[]; centre: XY; population: number }
export interface Village { index: number; name: string; kind: 'community' | 'village'; centre: XY; atoms: number[]; blocks: Block[] }
export interface Town { index: number; name: string; kind: 'street' | 'town'; centre: XY; atoms: number[]; villages: Village[] }

export interface District {
  plan: DistrictPlan;
  field: AtomField;
  atoms: Atom[];
  adjacency: number[][];
  towns: Town[];
  specialist: { department: Department; regions: number[][] }[];
  /** atom index → [town, village, block] indices */
  home: Map<number, [number, number, number]>;
}

export const DEMO_PLAN: DistrictPlan = {
  radius: 12_500,
  ruralSpacing: 360,
  towns: [
    { name: '临江街道', kind: 'street', centre: [-4000, -3000], villages: 12, weight: 9, spread: 2200 },
    { name: '新桥街道', kind: 'street', centre: [1500, 600], villages: 10, weight: 5, spread: 1700 },
    { name: '龙台镇', kind: 'town', centre: [-7500, 5500], villages: 14, weight: 2, spread: 650 },
    { name: '石滩镇', kind: 'town', centre: [6500, 7000], villages: 12, weight: 2, spread: 650 },
    { name: '白马镇', kind: 'town', centre: [3500, -8000], villages: 12, weight: 2, spread: 650 },
  ],
  blocks: 280,
  specialist: { police: 6, judicial: 5, civil_affairs: 4, health: 7, market_supervision: 4, urban_management: 5 },
};

/**
 * A district of about `blocks` level-3 grids, for benchmarks (e.g. 50,000 grids): the demo's
 * proportions (12 villages a town, ~4.7 blocks a village, one urban street in eight towns)
 * over an outline whose area grows with the count; atoms are sparser (~5 a block) to keep
 * PostGIS's Voronoi and unions tractable.
 */
export function scaledPlan(blocks: number, rnd: Random): DistrictPlan {
  const factor = blocks / DEMO_PLAN.blocks;
  if (factor <= 1) return { ...DEMO_PLAN, blocks };
  const radius = DEMO_PLAN.radius * Math.sqrt(factor);
  const villages = Math.round(60 * factor);
  const townCount = Math.round(villages / 12);
  const minGap = radius * Math.sqrt(1 / townCount) * 0.9;
  const centres: XY[] = [[-4000, -3000]];
  for (let attempt = 0; centres.length < townCount; attempt++) {
    const a = rnd.range(0, Math.PI * 2);
    const r = radius * 0.85 * Math.sqrt(rnd.next());
    const p: XY = [r * Math.cos(a), r * Math.sin(a)];
    // Relax the spacing if the disc fills up before every town has a place.
    if (centres.every((c) => dist(c, p) > minGap * (attempt > townCount * 50 ? 0.6 : 1))) centres.push(p);
  }
  const names = new Set<string>();
  return {
    radius,
    ruralSpacing: DEMO_PLAN.ruralSpacing * Math.sqrt(3),
    towns: centres.map((centre, i) => {
      const street = i % 8 === 0;
      return { name: placeStem(rnd, names) + (street ? '街道' : '镇'), kind: street ? 'street' : 'town', centre, villages: 12, weight: street ? 9 : 2, spread: street ? 2000 : 650 };
    }),
    blocks,
    specialist: Object.fromEntries(Object.entries(DEMO_PLAN.specialist).map(([k, v]) => [k, Math.round(v * factor)])) as Record<Department, number>,
  };
}

export function settlementField(plan: DistrictPlan): AtomField {
  // A bump is negligible 5 spreads away (e^-12.5); towns are hashed by that reach so a
  // province-sized plan sums only the few towns near a point.
  const cell = 5 * Math.max(...plan.towns.map((t) => t.spread));
  const buckets = new Map<string, DistrictPlan['towns']>();
  const key = (x: number, y: number) => `${Math.floor(x / cell)},${Math.floor(y / cell)}`;
  for (const t of plan.towns) buckets.set(key(...t.centre), [...(buckets.get(key(...t.centre)) ?? []), t]);
  const near = (p: XY) => {
    const [cx, cy] = [Math.floor(p[0] / cell), Math.floor(p[1] / cell)];
    const out: DistrictPlan['towns'] = [];
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) out.push(...(buckets.get(`${cx + dx},${cy + dy}`) ?? []));
    return out;
  };
  const bump = (p: XY, c: XY, spread: number) => Math.exp(-(dist(p, c) ** 2) / (2 * spread * spread));
  return {
    density: (p) => 1 + near(p).reduce((s, t) => s + t.weight * bump(p, t.centre, t.spread), 0),
    popDensity: (p) => 260 + near(p).reduce((s, t) => s + t.weight * 1500 * bump(p, t.centre, t.spread), 0),
  };
}

export async function buildDistrict(client: pg.PoolClient, plan: DistrictPlan, rnd: Random): Promise<{ district: District; outline: XY[] }> {
  const outline = blob([0, 0], plan.radius, 0.16, () => rnd.next(), 160);
  const field = settlementField(plan);
  const atoms = sampleAtoms(outline, field, plan.ruralSpacing, plan.towns.map((t) => t.centre), rnd.fork('atoms'));
  const adjacency = await buildCells(client, atoms, guardRing(outline, field, plan.ruralSpacing));
  const all = atoms.map((a) => a.index);
  const nearestAtom = (p: XY, among: number[]) => among.reduce((b, i) => (dist(atoms[i]!.xy, p) < dist(atoms[b]!.xy, p) ? i : b), among[0]!);

  // Towns grow from their designed centres without relaxing, so the urban streets stay
  // compact: growth counts atoms, and atoms are dense in town.
  const townSeeds = plan.towns.map((t) => nearestAtom(t.centre, all));
  const townAtoms = partitionAtoms(all, atoms, adjacency, townSeeds, 0);
  const perBlock = atoms.length / plan.blocks;
  const names = new Set<string>();
  const home = new Map<number, [number, number, number]>();
  let villageIndex = 0;
  let blockIndex = 0;
  const towns: Town[] = plan.towns.map((t, ti) => {
    const members = townAtoms[ti]!;
    // Sparse atoms (large generated districts) can leave a town fewer atoms than villages.
    const villageCount = Math.min(t.villages, members.length);
    const villageAtoms = partitionAtoms(members, atoms, adjacency, spreadSeeds(members, atoms, villageCount, rnd.fork(`town${ti}`)), 6);
    const villages = villageAtoms.map((va, vi) => {
      const centre = atoms[medoid(va, atoms)]!.xy;
      const kind = field.density(centre) > 2.2 ? 'community' : 'village';
      const k = Math.min(va.length, Math.max(2, Math.min(9, Math.round(va.length / perBlock))));
      const blockAtoms = partitionAtoms(va, atoms, adjacency, spreadSeeds(va, atoms, k, rnd.fork(`v${ti}-${vi}`)), 6);
      const blocks = blockAtoms.map((ba, bi) => {
        for (const a of ba) home.set(a, [ti, villageIndex, blockIndex]);
        blockIndex++;
        return {
          index: bi,
          atoms: ba,
          centre: atoms[medoid(ba, atoms)]!.xy,
          population: ba.reduce((s, a) => s + atoms[a]!.population, 0),
        };
      });
      const stem = placeStem(rnd, names);
      villageIndex++;
      return { index: vi, name: stem + (kind === 'community' ? '社区' : '村'), kind, centre, atoms: va, blocks } satisfies Village;
    });
    // A planned centre can fall outside a large generated outline; its seed atom is inside.
    const centre = pointInPolygon(t.centre, outline) ? t.centre : atoms[townSeeds[ti]!]!.xy;
    return { index: ti, name: t.name, kind: t.kind, centre, atoms: members, villages };
  });

  const specialist = (Object.entries(plan.specialist) as [Department, number][]).map(([department, k]) => ({
    department,
    regions: partitionAtoms(all, atoms, adjacency, spreadSeeds(all, atoms, k, rnd.fork(department)), 5),
  }));
  return { district: { plan, field, atoms, adjacency, towns, specialist, home }, outline };
}

type MultiPolygon = number[][][][];

export interface GridGeometry {
  district: MultiPolygon;
  towns: MultiPolygon[];
  /** In the order of towns, then villages within each town. */
  villages: MultiPolygon[];
  /** Per village (same order as `villages`), its blocks. */
  blocks: MultiPolygon[][];
  /** Per department (order of `District.specialist`), its regions. */
  specialist: MultiPolygon[][];
}

/** Every geometry of the hierarchy, each the union of its atoms' cells. */
export async function gridGeometry(client: pg.PoolClient, d: District): Promise<GridGeometry> {
  const villagesOf = d.towns.flatMap((t) => t.villages);
  const towns = await unionGroups(client, d.towns.map((t) => t.atoms));
  const villages = await unionGroups(client, villagesOf.map((v) => v.atoms));
  const blocksFlat = await unionGroups(client, villagesOf.flatMap((v) => v.blocks.map((b) => b.atoms)));
  const [district] = await unionGroups(client, [d.atoms.map((a) => a.index)]);
  const specialist: MultiPolygon[][] = [];
  for (const s of d.specialist) specialist.push(await unionGroups(client, s.regions));
  let cursor = 0;
  const blocks = villagesOf.map((v) => v.blocks.map(() => blocksFlat[cursor++]!));
  return { district: district!, towns, villages, blocks, specialist };
}
