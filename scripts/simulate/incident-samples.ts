import turfBbox from '@turf/bbox';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { LonLat } from './route-track.js';

/** Picks one of `items` with probability proportional to its weight. */
export function pickWeighted<T>(items: readonly (readonly [T, number])[]): T {
  let r = Math.random() * items.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** What a district's desks receive in a day, by category (weights) with typical titles. */
export const CATEGORIES = [
  ['dispute', 25, ['邻里纠纷', '噪音扰民纠纷', '停车位纠纷', '物业费纠纷', '家庭矛盾调解', '拖欠工资劳资纠纷', '装修漏水纠纷', '宠物扰邻纠纷']],
  ['safety_hazard', 20, ['消防通道堵塞', '电动车楼道充电', '燃气管道老化', '高空坠物隐患', '井盖缺失', '私拉乱接电线', '外墙瓷砖脱落', '施工围挡破损']],
  ['public_order', 15, ['夜间聚众喧哗', '可疑人员徘徊', '醉酒滋事', '电动车被盗', '路边打架斗殴', '店铺门前聚众赌博']],
  ['city_management', 25, ['占道经营', '乱堆乱放', '违章搭建', '共享单车乱停放', '垃圾未及时清运', '油烟扰民', '乱贴小广告']],
  ['livelihood', 12, ['路灯不亮', '小区停水', '下水道堵塞', '独居老人需要帮扶', '电梯故障困人', '公交站牌损坏', '低保政策咨询']],
  ['other', 3, ['流浪犬出没', '道路积水', '树木倒伏', '群众来访咨询']],
] as const;

/** Most matters are minor. */
export const SEVERITIES = [['low', 45], ['medium', 38], ['high', 14], ['critical', 3]] as const;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];

/** A caller as a hotline desk notes them: 张先生, 13812345678. */
export function hotlineCaller(): { reporterName: string; reporterPhone: string } {
  const phone = `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  return { reporterName: `${pick(SURNAMES)}${pick(['先生', '女士'])}`, reporterPhone: phone };
}

type Area = Polygon | MultiPolygon;

/** Even-odd ray casting over every ring: holes fall out, and so do the gaps of a MultiPolygon. */
export function contains(area: Area, [x, y]: LonLat): boolean {
  const rings: Position[][] = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat();
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as LonLat;
      const [xj, yj] = ring[j] as LonLat;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** A grid area with its extent, for quick "is this point in it" checks. */
export interface GridArea {
  name: string;
  geometry: Area;
  bbox: [number, number, number, number];
}

export const gridArea = (name: string, geometry: Area): GridArea => ({ name, geometry, bbox: turfBbox(geometry) as [number, number, number, number] });

export function gridAt(grids: readonly GridArea[], p: LonLat): GridArea | undefined {
  return grids.find((g) => p[0] >= g.bbox[0] && p[0] <= g.bbox[2] && p[1] >= g.bbox[1] && p[1] <= g.bbox[3] && contains(g.geometry, p));
}

/** A random point inside a grid (tries points of its extent until one falls inside). */
export function pointIn(grid: GridArea): LonLat | undefined {
  const [minX, minY, maxX, maxY] = grid.bbox;
  for (let i = 0; i < 100; i++) {
    const p: LonLat = [minX + Math.random() * (maxX - minX), minY + Math.random() * (maxY - minY)];
    if (contains(grid.geometry, p)) return p;
  }
  return undefined;
}

/** A point up to `radiusM` metres from `p`. */
export function near([lon, lat]: LonLat, radiusM: number): LonLat {
  const r = radiusM * Math.sqrt(Math.random());
  const angle = Math.random() * 2 * Math.PI;
  const degLat = r / 111_320;
  return [lon + (degLat * Math.cos(angle)) / Math.cos((lat * Math.PI) / 180), lat + degLat * Math.sin(angle)];
}
