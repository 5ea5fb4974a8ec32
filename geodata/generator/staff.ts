import type { District } from './district.js';
import { mobile, personName } from './names.js';
import type { Random } from './random.js';

export interface StaffMember {
  code: string; name: string; phone: string; role: 'grid_leader' | 'grid_worker' | 'mediator' | 'volunteer'; center: string;
  grids: { grid: string; duty: 'leader' | 'worker' }[];
}

/**
 * A leader for every grid at every level; one or two workers per level-3 grid (two in town,
 * where blocks are denser); mediators at the town centers and volunteers in the villages.
 */
export function buildStaff(d: District, codes: { center: (t: number, v?: number) => string; grid: (t: number, v?: number, b?: number) => string }, rnd: Random): StaffMember[] {
  const staff: StaffMember[] = [];
  const add = (role: StaffMember['role'], center: string, grids: StaffMember['grids']) =>
    staff.push({ code: `ST-${String(staff.length + 1).padStart(5, '0')}`, name: personName(rnd), phone: mobile(rnd), role, center, grids });
  d.towns.forEach((t, ti) => {
    add('grid_leader', codes.center(ti), [{ grid: codes.grid(ti), duty: 'leader' }]);
    t.villages.forEach((v, vi) => {
      add('grid_leader', codes.center(ti, vi), [{ grid: codes.grid(ti, vi), duty: 'leader' }]);
      v.blocks.forEach((_, bi) => {
        const grid = codes.grid(ti, vi, bi);
        add('grid_leader', codes.center(ti, vi), [{ grid, duty: 'leader' }]);
        for (let k = 0; k < (v.kind === 'community' ? 2 : 1); k++) add('grid_worker', codes.center(ti, vi), [{ grid, duty: 'worker' }]);
      });
    });
  });
  for (let i = 0; i < 20; i++) add('mediator', codes.center(i % d.towns.length), []);
  const villages = d.towns.flatMap((t, ti) => t.villages.map((_, vi) => codes.center(ti, vi)));
  for (let i = 0; i < 240; i++) add('volunteer', villages[i % villages.length]!, []);
  return staff;
}
