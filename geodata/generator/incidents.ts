import { dist, pointInPolygon, toLonLat, type LonLat, type XY } from './frame.js';
import { mobile, personName, residentId } from './names.js';
import type { Place, PoiKind } from './places.js';
import type { Random } from './random.js';

export type Category = 'dispute' | 'safety_hazard' | 'public_order' | 'city_management' | 'livelihood' | 'other';
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type Status = 'received' | 'dispatched' | 'handling' | 'feedback' | 'reviewed' | 'revisited' | 'closed';

export interface IncidentEvent {
  action: 'receive' | 'dispatch' | 'accept' | 'feedback' | 'review' | 'revisit' | 'close' | 'return' | 'escalate' | 'supervise';
  from: Status | null; to: Status | null; actor: string; at: string;
  /** Levels above the incident's village center that the acting center sits (0 village, 1 town, 2 district). */
  up: number;
  note?: string; assignee_kind?: 'patrol_unit' | 'staff' | 'department'; assignee_name?: string;
}

export interface IncidentRecord {
  lonlat: LonLat; category: Category; severity: Severity; status: Status; title: string; description: string; address: string;
  source: 'grid_app' | 'hotline' | 'walk_in' | 'camera_alarm' | 'other';
  reporter_name: string; reporter_phone: string; reporter_id_number: string | null;
  occurred_at: string; reported_at: string; due_at: string; closed_at: string | null;
  outcome: 'resolved' | 'unresolved' | 'referred' | 'withdrawn' | null;
  /** How many levels it was escalated (上报): 0 stays in the village, 1 town, 2 district. */
  escalated: number;
  events: IncidentEvent[];
}

type Context = 'residential' | 'market' | 'construction' | 'bar' | 'school' | 'public_space' | 'factory' | 'hospital';

interface ContextModel {
  share: number;
  pois: PoiKind[];
  spread: number;
  categories: Partial<Record<Category, number>>;
  /** Relative frequency per hour of day, 0-23. */
  hours: number[];
  day: (date: Date, place: Place | undefined) => number;
}

const profile = (peaks: [number, number, number][]) =>
  Array.from({ length: 24 }, (_, h) => 0.08 + peaks.reduce((s, [at, width, height]) => s + height * Math.exp(-(Math.min(Math.abs(h - at), 24 - Math.abs(h - at)) ** 2) / (2 * width * width)), 0));

const isWeekend = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6;
const inTerm = (d: Date) => { const m = d.getUTCMonth(); return m !== 6 && m !== 7 && !(m === 1 && d.getUTCDate() < 28); };

const CONTEXTS: Record<Context, ContextModel> = {
  residential: { share: 0.45, pois: [], spread: 0, categories: { dispute: 0.08, safety_hazard: 0.25, livelihood: 0.27, city_management: 0.25, public_order: 0.1, other: 0.05 }, hours: profile([[20, 2, 1], [12, 1.5, 0.4], [9, 2, 0.4]]), day: (d) => (isWeekend(d) ? 1.2 : 1) },
  market: { share: 0.12, pois: ['market'], spread: 70, categories: { dispute: 0.1, city_management: 0.6, public_order: 0.15, safety_hazard: 0.15 }, hours: profile([[8, 1.8, 1], [17, 1.5, 0.4]]), day: (d) => (isWeekend(d) ? 1.3 : 1) },
  construction: { share: 0.12, pois: ['construction_site'], spread: 90, categories: { dispute: 0.12, safety_hazard: 0.6, city_management: 0.28 }, hours: profile([[10, 2, 1], [15, 2, 1]]), day: (d, p) => { const m = d.getUTCMonth(); const [a, b] = p?.active ?? [0, 11]; const month = (m + 1) % 12; return month >= a && month <= b ? (isWeekend(d) ? 0.5 : 1) : 0; } },
  bar: { share: 0.08, pois: ['bar_street'], spread: 55, categories: { public_order: 0.85, dispute: 0.1, safety_hazard: 0.05 }, hours: profile([[23, 1.8, 1], [1, 1.5, 0.8]]), day: (d) => ([5, 6].includes(d.getUTCDay()) ? 2.2 : 0.8) },
  school: { share: 0.08, pois: ['school'], spread: 80, categories: { safety_hazard: 0.6, public_order: 0.3, dispute: 0.1 }, hours: profile([[7.5, 0.8, 1], [17, 1, 1]]), day: (d) => (inTerm(d) && !isWeekend(d) ? 1 : 0.05) },
  public_space: { share: 0.07, pois: ['station', 'square', 'park'], spread: 90, categories: { public_order: 0.45, city_management: 0.35, livelihood: 0.15, dispute: 0.05 }, hours: profile([[19, 2.5, 1], [10, 2, 0.5]]), day: (d) => (isWeekend(d) ? 1.4 : 1) },
  factory: { share: 0.05, pois: ['factory'], spread: 60, categories: { dispute: 0.15, safety_hazard: 0.85 }, hours: profile([[10, 2.5, 1], [15, 2, 0.8]]), day: (d) => (isWeekend(d) ? 0.4 : 1) },
  hospital: { share: 0.03, pois: ['hospital'], spread: 50, categories: { dispute: 0.3, public_order: 0.5, safety_hazard: 0.2 }, hours: profile([[10, 2, 1], [21, 2, 0.6]]), day: () => 1 },
};

const TITLES: Record<Category, Partial<Record<Context | 'any', string[]>>> = {
  dispute: { residential: ['邻里噪音纠纷', '楼上漏水邻里纠纷', '婚姻家庭纠纷', '赡养老人纠纷', '宅基地边界纠纷', '土地承包经营纠纷', '物业服务纠纷'], market: ['摊位租赁纠纷', '消费缺斤少两纠纷'], construction: ['农民工讨薪纠纷', '施工扰民纠纷'], factory: ['劳动合同纠纷', '工资拖欠纠纷'], hospital: ['医疗费用纠纷', '医患纠纷'], any: ['经济纠纷', '邻里矛盾'] },
  safety_hazard: { residential: ['电动车楼道充电', '消防通道堵塞', '燃气管道老化', '危房裂缝隐患', '高空坠物隐患'], construction: ['工地临边防护缺失', '塔吊作业安全隐患', '深基坑无围挡'], school: ['校门口交通拥堵隐患', '校园周边违规停车'], factory: ['厂区危化品存放不规范', '消防器材过期'], any: ['道路井盖缺失', '河道溺水隐患', '路面塌陷'] },
  public_order: { bar: ['酒后滋事', '打架斗殴', '醉酒人员倒地'], school: ['可疑人员校门口徘徊', '学生欺凌线索'], public_space: ['扒窃线索', '聚集喧哗', '流浪人员求助'], hospital: ['医闹', '号贩子扰序'], any: ['盗窃电动车', '聚众赌博线索', '电信诈骗线索', '夜间噪音扰民'] },
  city_management: { market: ['占道经营', '流动摊贩', '乱倒垃圾'], construction: ['渣土车抛洒', '夜间违规施工'], any: ['违章搭建', '乱堆乱放', '垃圾清运不及时', '共享单车乱停放'] },
  livelihood: { any: ['路灯不亮', '停水报修', '困难群众求助', '老人走失求助', '下水道堵塞'] },
  other: { any: ['群众咨询', '政策咨询', '其他事项'] },
};

const DEPARTMENTS: Record<Category, string> = {
  dispute: '司法所', safety_hazard: '应急管理', public_order: '派出所', city_management: '城管执法', livelihood: '民政', other: '综治中心',
};

/** Deadlines (hours) by severity: what the center must close a case within. */
export const DEADLINE_HOURS: Record<Severity, number> = { critical: 24, high: 72, medium: 168, low: 360 };

const FESTIVALS: [string, string, number][] = [
  ['2026-01-01', '2026-01-03', 1.2], ['2026-02-15', '2026-02-23', 1.6], ['2026-04-04', '2026-04-06', 1.2],
  ['2026-05-01', '2026-05-05', 1.3], ['2026-06-19', '2026-06-21', 1.2], ['2026-09-25', '2026-09-27', 1.3], ['2026-10-01', '2026-10-07', 1.4],
];

/** What the incident model needs of an atom: where it is, who lives there, which town and village. */
export interface AtomHome { xy: XY; population: number; town: number; village: number }

export interface IncidentModel {
  atoms: AtomHome[];
  places: Place[];
  outline: XY[];
  townNames: string[];
  villageNames: string[][];
  /** First instant of the period (UTC ms); the period runs 364 days (52 whole weeks). */
  start: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** China Standard Time, in which the hour-of-day patterns are lived. */
const CST = 8 * HOUR;

export function* generateIncidents(model: IncidentModel, count: number, rnd: Random, withEvents: boolean): Generator<IncidentRecord> {
  const { atoms, places } = model;
  const contexts = Object.entries(CONTEXTS) as [Context, ContextModel][];
  const nearestAtom = atomIndex(atoms);
  const pickAtom = rnd.sampler(atoms, (a) => a.population);
  const placesOf = new Map(contexts.map(([name, c]) => [name, places.filter((p) => p.poi_kind && c.pois.includes(p.poi_kind))]));
  const end = model.start + 364 * DAY;
  const dayWeight = (t: number) => {
    const date = new Date(t + CST);
    const iso = date.toISOString().slice(0, 10);
    const festival = FESTIVALS.find(([a, b]) => iso >= a && iso <= b)?.[2] ?? 1;
    const m = date.getUTCMonth();
    const season = m >= 5 && m <= 7 ? 1.15 : m === 11 || m <= 1 ? 0.95 : 1;
    const trend = 0.92 + 0.16 * ((t - model.start) / (end - model.start));
    return festival * season * trend;
  };
  // The day by rejection against the context's calendar, then an hour from its profile.
  const pickMoment = (candidates: Place[], cm: ContextModel): { place: Place | undefined; t: number } => {
    for (let attempt = 0; ; attempt++) {
      const place = candidates.length > 0 ? rnd.pick(candidates) : undefined;
      const day = model.start + rnd.int(0, 363) * DAY;
      const w = dayWeight(day) * cm.day(new Date(day + CST), place);
      if (rnd.next() * 2.6 < w || attempt > 200) {
        const hour = rnd.weighted([...cm.hours.keys()], (h) => cm.hours[h]!);
        return { place, t: day + hour * HOUR + rnd.int(0, 3599) * 1000 };
      }
    }
  };
  for (let n = 0; n < count; n++) {
    const [context, cm] = rnd.weighted(contexts, ([, c]) => c.share);
    const candidates = placesOf.get(context)!;
    const { place, t } = pickMoment(candidates, cm);
    let xy: XY;
    do {
      if (place) xy = [rnd.normal(place.xy[0], cm.spread), rnd.normal(place.xy[1], cm.spread)];
      else { const a = pickAtom(); xy = [a.xy[0] + rnd.normal(0, 60), a.xy[1] + rnd.normal(0, 60)]; }
    } while (!pointInPolygon(xy, model.outline));
    const category = rnd.weighted(Object.keys(cm.categories) as Category[], (c) => cm.categories[c]!);
    const titles = TITLES[category][context] ?? TITLES[category].any!;
    const title = rnd.pick(titles);
    const night = new Date(t + CST).getUTCHours() >= 21 || new Date(t + CST).getUTCHours() < 5;
    const severity = rnd.weighted<Severity>(['low', 'medium', 'high', 'critical'], (s) =>
      ({ low: 0.5, medium: 0.35, high: category === 'public_order' && night ? 0.25 : 0.12, critical: 0.03 })[s]);
    const source = rnd.weighted(['grid_app', 'hotline', 'walk_in', 'camera_alarm', 'other'] as const, (s) =>
      ({ grid_app: context === 'residential' ? 0.5 : 0.35, hotline: 0.25, walk_in: category === 'dispute' ? 0.3 : 0.08, camera_alarm: context === 'bar' || context === 'public_space' ? 0.25 : 0.06, other: 0.05 })[s]);
    const { town: ti, village: vi } = nearestAtom(xy);
    const village = model.villageNames[ti]![vi]!;
    const address = place ? `${model.townNames[ti]}${village}${place.name}附近` : `${model.townNames[ti]}${village}${rnd.int(1, 12)}${village.endsWith('村') ? '组' : '栋'}`;
    const reported = t + rnd.int(2, 40) * 60_000;
    const occurred = t;
    const due = reported + DEADLINE_HOURS[severity] * HOUR;
    const escalated = category === 'dispute' || severity === 'critical' ? (rnd.chance(0.12) ? (rnd.chance(0.25) ? 2 : 1) : 0) : rnd.chance(0.02) ? 1 : 0;
    const record: IncidentRecord = {
      lonlat: toLonLat(xy), category, severity, status: 'received', title, description: `${address}：${title}。`, address, source,
      reporter_name: personName(rnd), reporter_phone: mobile(rnd), reporter_id_number: source === 'walk_in' ? residentId(rnd) : null,
      occurred_at: new Date(occurred).toISOString(), reported_at: new Date(reported).toISOString(), due_at: new Date(due).toISOString(),
      closed_at: null, outcome: null, escalated, events: [],
    };
    lifecycle(record, reported, end, rnd, withEvents);
    yield record;
  }
}

/** Walks one incident through the workflow up to the end of the period, with realistic delays. */
function lifecycle(r: IncidentRecord, reported: number, end: number, rnd: Random, withEvents: boolean): void {
  const handleHours = { critical: [2, 14], high: [6, 60], medium: [12, 130], low: [24, 300] }[r.severity] as [number, number];
  const operator = personName(rnd);
  const handler = r.category === 'public_order' ? { kind: 'patrol_unit' as const, name: `PT-${String(rnd.int(1, 60)).padStart(3, '0')}-1` }
    : r.category === 'dispute' ? { kind: 'staff' as const, name: personName(rnd) } : { kind: 'department' as const, name: DEPARTMENTS[r.category] };
  const steps: { gap: number; e: Omit<IncidentEvent, 'at'> }[] = [{ gap: 0, e: { action: 'receive', from: null, to: 'received', actor: operator, up: 0 } }];
  for (let up = 1; up <= r.escalated; up++)
    steps.push({ gap: rnd.range(0.3, 6) * HOUR, e: { action: 'escalate', from: 'received', to: 'received', actor: operator, up: up - 1, note: '超出本级处置能力，上报上级综治中心' } });
  steps.push({ gap: rnd.range(5, 60) * 60_000, e: { action: 'dispatch', from: 'received', to: 'dispatched', actor: operator, up: r.escalated, assignee_kind: handler.kind, assignee_name: handler.name } });
  steps.push({ gap: rnd.range(10, 120) * 60_000, e: { action: 'accept', from: 'dispatched', to: 'handling', actor: handler.name, up: r.escalated } });
  steps.push({ gap: rnd.range(...handleHours) * HOUR, e: { action: 'feedback', from: 'handling', to: 'feedback', actor: handler.name, up: r.escalated, note: '已现场处置' } });
  if (rnd.chance(0.03)) {
    steps.push({ gap: rnd.range(1, 24) * HOUR, e: { action: 'return', from: 'feedback', to: 'handling', actor: operator, up: r.escalated, note: '处置不到位，退回重办' } });
    steps.push({ gap: rnd.range(...handleHours) * HOUR, e: { action: 'feedback', from: 'handling', to: 'feedback', actor: handler.name, up: r.escalated, note: '已重新处置' } });
  }
  steps.push({ gap: rnd.range(1, 24) * HOUR, e: { action: 'review', from: 'feedback', to: 'reviewed', actor: operator, up: r.escalated } });
  steps.push({ gap: rnd.range(1, 72) * HOUR, e: { action: 'revisit', from: 'reviewed', to: 'revisited', actor: operator, up: r.escalated, note: '群众表示满意' } });
  steps.push({ gap: rnd.range(0.5, 24) * HOUR, e: { action: 'close', from: 'revisited', to: 'closed', actor: operator, up: r.escalated } });

  let t = reported;
  let supervised = false;
  for (const step of steps) {
    t += step.gap;
    const due = Date.parse(r.due_at);
    // 督办: an overdue case gets a supervision note the moment it passes its deadline.
    if (!supervised && t > due && due < end) {
      supervised = true;
      if (withEvents) r.events.push({ action: 'supervise', from: r.status, to: r.status, actor: '督办专员', at: new Date(due).toISOString(), up: Math.min(2, r.escalated + 1), note: '已超期，督促办理' });
    }
    if (t >= end) return;
    r.status = step.e.to ?? r.status;
    if (withEvents) r.events.push({ ...step.e, at: new Date(t).toISOString() });
  }
  r.closed_at = new Date(t).toISOString();
  r.outcome = r.category === 'dispute'
    ? rnd.chance(0.996) ? 'resolved' : 'unresolved'
    : rnd.weighted(['resolved', 'referred', 'withdrawn'] as const, (o) => ({ resolved: 0.97, referred: 0.02, withdrawn: 0.01 })[o]);
}

/** Nearest-atom lookup through a coarse spatial hash. */
function atomIndex(atoms: AtomHome[]): (p: XY) => AtomHome {
  const cell = 600;
  const key = (x: number, y: number) => `${Math.floor(x / cell)},${Math.floor(y / cell)}`;
  const map = new Map<string, AtomHome[]>();
  for (const a of atoms) map.set(key(a.xy[0], a.xy[1]), [...(map.get(key(a.xy[0], a.xy[1])) ?? []), a]);
  return (p) => {
    const [cx, cy] = [Math.floor(p[0] / cell), Math.floor(p[1] / cell)];
    let best: AtomHome | undefined;
    for (let r = 1; !best; r++)
      for (let dx = -r; dx <= r; dx++)
        for (let dy = -r; dy <= r; dy++)
          for (const a of map.get(`${cx + dx},${cy + dy}`) ?? []) if (!best || dist(a.xy, p) < dist(best.xy, p)) best = a;
    return best;
  };
}
