import { describe, expect, it } from 'vitest';
import { centerCode, gridCode } from '../../geodata/dataset.js';
import { DEMO_PLAN, scaledPlan } from '../../geodata/generator/district.js';
import { meander, toLonLat, toXY } from '../../geodata/generator/frame.js';
import { residentId } from '../../geodata/generator/names.js';
import { Random } from '../../geodata/generator/random.js';
import { demoShiftWeeks } from '../../geodata/seed/load.js';

describe('Random', () => {
  it('when two generators share a seed, then they draw the same sequence', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('when a part forks its own generator, then drawing from it leaves the parent untouched', () => {
    const a = new Random(7);
    const b = new Random(7);
    const fork = a.fork('cameras');
    fork.next();
    fork.next();
    expect(a.next()).toBe(b.next());
    expect(new Random(7).fork('cameras').next()).not.toBe(new Random(7).fork('patrols').next());
  });
});

describe('names', () => {
  it('when a resident ID is made, then its GB 11643 check digit is right', () => {
    const rnd = new Random(1);
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    for (let i = 0; i < 200; i++) {
      const id = residentId(rnd);
      expect(id).toMatch(/^511602\d{11}[\dX]$/);
      const sum = id.slice(0, 17).split('').reduce((s, d, k) => s + Number(d) * weights[k]!, 0);
      expect(id[17]).toBe('10X98765432'[sum % 11]);
    }
  });
});

describe('frame', () => {
  it('when a point goes to lon/lat and back, then it moves by less than a few centimetres', () => {
    const [x, y] = toXY(toLonLat([1234.56, -7890.12]));
    expect(Math.abs(x - 1234.56)).toBeLessThan(0.05);
    expect(Math.abs(y + 7890.12)).toBeLessThan(0.05);
  });

  it('when a road meanders between two points, then it still starts and ends on them', () => {
    const line = meander([0, 0], [1000, 0], 200, () => 0.9);
    expect(line[0]).toEqual([0, 0]);
    expect(line[line.length - 1]![0]).toBeCloseTo(1000, 9);
    expect(line[line.length - 1]![1]).toBeCloseTo(0, 9);
    expect(Math.max(...line.map((p) => Math.abs(p[1])))).toBeGreaterThan(10);
  });
});

describe('codes', () => {
  it('when codes are made for the hierarchy, then they nest and fit the schema', () => {
    expect(centerCode()).toBe('C-511699');
    expect(centerCode(0, 11)).toBe('C-511699-01-012');
    expect(gridCode(4, 2, 0)).toBe('G-05-003-01');
    for (const code of [centerCode(), centerCode(2), centerCode(2, 3), gridCode(0), gridCode(0, 1), gridCode(0, 1, 2)]) expect(code).toMatch(/^[A-Z0-9-]{2,40}$/);
  });
});

describe('demo clock', () => {
  const WEEK = 7 * 86_400_000;
  it('when the demo is loaded weeks after it was generated, then it moves forward by whole weeks only', () => {
    const last = Date.parse('2026-11-22T10:00:00+08:00');
    expect(demoShiftWeeks(last, last + 3 * WEEK + 86_400_000)).toBe(3);
    expect(demoShiftWeeks(last, last + 6 * 86_400_000)).toBe(0);
    expect(demoShiftWeeks(last, last - WEEK)).toBe(0);
  });
});

describe('scaled plan', () => {
  it('when 50,000 level-3 grids are asked for, then the district keeps the demo proportions', () => {
    const plan = scaledPlan(50_000, new Random(3));
    const villages = plan.towns.reduce((s, t) => s + t.villages, 0);
    expect(plan.blocks).toBe(50_000);
    expect(villages).toBeGreaterThan(10_000);
    expect(villages).toBeLessThan(11_000);
    expect(plan.towns.filter((t) => t.kind === 'street').length).toBeGreaterThan(plan.towns.length / 10);
    expect(new Set(plan.towns.map((t) => t.name)).size).toBe(plan.towns.length);
    // Area grows with the count: about 180 demo districts.
    expect((plan.radius / DEMO_PLAN.radius) ** 2).toBeCloseTo(50_000 / DEMO_PLAN.blocks, 5);
  });

  it('when no more grids than the demo are asked for, then the demo plan is used', () => {
    expect(scaledPlan(200, new Random(3))).toEqual({ ...DEMO_PLAN, blocks: 200 });
  });
});
