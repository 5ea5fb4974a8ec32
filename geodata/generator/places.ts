import { pointInPolygon, toLonLat, type LonLat, type XY } from './frame.js';
import type { District } from './district.js';
import { placeStem } from './names.js';
import type { Random } from './random.js';

export type PoiKind = 'market' | 'school' | 'hospital' | 'construction_site' | 'bar_street' | 'station' | 'government' | 'park' | 'square' | 'factory';

export interface Place {
  kind: 'district' | 'town' | 'village' | 'poi';
  poi_kind: PoiKind | null;
  name: string;
  rank: number;
  lonlat: LonLat;
  xy: XY;
  /** For hot-spot timing: a construction site is busy only between these months (0-11) of the year. */
  active?: [number, number];
}

export const DISTRICT_NAME = '渠江经济技术开发区';

export function buildPlaces(d: District, outline: XY[], rnd: Random): Place[] {
  const places: Place[] = [];
  const stems = new Set<string>();
  const add = (kind: Place['kind'], poi: PoiKind | null, name: string, rank: number, xy: XY, active?: [number, number]) => {
    places.push({ kind, poi_kind: poi, name, rank, xy, lonlat: toLonLat(xy), ...(active ? { active } : {}) });
  };
  const near = (c: XY, spread: number): XY => {
    for (;;) {
      const p: XY = [rnd.normal(c[0], spread), rnd.normal(c[1], spread)];
      if (pointInPolygon(p, outline)) return p;
    }
  };
  add('district', null, DISTRICT_NAME, 1, [0, 0]);
  for (const t of d.towns) {
    add('town', null, t.name, 2, t.centre);
    for (const v of t.villages) add('village', null, v.name, 3, v.centre);
  }
  const stem = () => placeStem(rnd, stems);
  const [core, newTown] = [d.towns[0]!, d.towns[1]!];
  // The district's own institutions, in the old core and the development zone's new town.
  add('poi', 'government', '经开区管委会', 3, near(newTown.centre, 150));
  add('poi', 'hospital', '区人民医院', 3, near(core.centre, 500));
  add('poi', 'hospital', '区中医医院', 4, near(core.centre, 700));
  add('poi', 'station', '汽车客运站', 3, near(core.centre, 700));
  add('poi', 'station', '广安南站', 3, near(newTown.centre, 1200));
  add('poi', 'bar_street', '滨江酒吧街', 4, near([core.centre[0] + 1500, core.centre[1] + 400], 150));
  add('poi', 'park', '滨江公园', 4, near([core.centre[0] + 1600, core.centre[1] - 300], 200));
  const trades = ['精密制造', '电子科技', '新材料', '食品', '汽配', '建材', '智能装备', '纺织'];
  for (const [ti, t] of d.towns.entries()) {
    const short = t.name.slice(0, 2);
    add('poi', 'government', t.name + (t.kind === 'street' ? '办事处' : '人民政府'), 4, near(t.centre, 120));
    if (t.kind === 'street') {
      // Urban streets: markets, schools, a hospital, squares, nightlife, building sites, factories.
      const spread = ti === 0 ? 1100 : 900;
      for (let i = 0; i < 3; i++) add('poi', 'market', `${stem()}农贸市场`, 4, near(t.centre, spread * 0.8));
      for (let i = 0; i < 5; i++) add('poi', 'school', `${stem()}${i % 3 === 0 ? '中学' : '小学'}`, 4, near(t.centre, spread));
      add('poi', 'hospital', `${short}社区卫生服务中心`, 4, near(t.centre, 500));
      add('poi', 'square', `${short}广场`, 4, near(t.centre, 300));
      add('poi', 'park', `${stem()}公园`, 4, near(t.centre, 600));
      if (ti % 2 === 1) add('poi', 'bar_street', `${short}夜市`, 4, near(t.centre, 500));
      // Building sites come and go: some work all year, others start or stop mid-year.
      for (let i = 0; i < 6; i++) {
        const start = i % 3 === 0 ? rnd.int(4, 7) : 0;
        const end = i % 4 === 1 ? rnd.int(6, 9) : 11;
        add('poi', 'construction_site', `${stem()}${ti % 2 === 1 ? '产业园' : '安置房'}项目工地`, 5, near(t.centre, spread * 1.4), [start, end]);
      }
      if (ti % 2 === 1) for (const trade of trades) add('poi', 'factory', `${stem()}${trade}有限公司`, 5, near(t.centre, 1400));
    } else {
      add('poi', 'market', `${short}场镇农贸市场`, 4, near(t.centre, 200));
      add('poi', 'school', `${short}中学`, 4, near(t.centre, 300));
      add('poi', 'school', `${short}中心小学`, 4, near(t.centre, 300));
      add('poi', 'hospital', `${t.name}卫生院`, 4, near(t.centre, 200));
      for (const v of t.villages.filter((_, i) => i % 5 === 0)) add('poi', 'school', `${v.name.replace(/村|社区$/, '')}村小`, 5, near(v.centre, 120));
    }
  }
  return places;
}
