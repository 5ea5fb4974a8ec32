// One palette for the map style and the legend, so the legend never drifts from
// what is drawn. Tuned for a dark command-center wall: the base map stays quiet
// (low contrast, desaturated) so grids and, later, incidents carry the colour.

export const basemapColors = {
  background: '#071226',
  landuse: { urban: '#15294a', town: '#12243f', village: '#0f1f37' },
  water: '#0d3a6b',
  waterOutline: '#17528f',
  river: '#1a5a98',
  stream: '#15497e',
  road: {
    expressway: '#5d7699',
    primary: '#465f82',
    secondary: '#3a5070',
    street: '#2d405c',
    rural: '#27384f',
  },
  roadCasing: '#050d1c',
  label: {
    district: '#dbe6f5',
    town: '#b4c5dc',
    village: '#8497b1',
    poi: '#7fa7c9',
    road: '#7388a6',
    water: '#5f97cf',
  },
  labelHalo: '#061021',
} as const;

/** Grid levels must tell apart at a glance: 一级 cyan and widest, 二级 amber, 三级 lime and thinnest. */
export const gridLevelColors: Record<1 | 2 | 3, string> = { 1: '#22d3ee', 2: '#fbbf24', 3: '#a3e635' };

/** Specialist grids (专属网格) per department: muted hues, drawn dashed over the general grids. */
export const departmentColors: Record<string, string> = {
  police: '#60a5fa',
  judicial: '#c084fc',
  civil_affairs: '#34d399',
  health: '#f87171',
  market_supervision: '#fb923c',
  urban_management: '#facc15',
};

/** Incident categories; the heat map has its own ramp. */
export const categoryColors: Record<string, string> = {
  dispute: '#f59e0b',
  safety_hazard: '#ef4444',
  public_order: '#d946ef',
  city_management: '#3b82f6',
  livelihood: '#10b981',
  other: '#94a3b8',
};

/** Camera networks: 雪亮 (xueliang), 天网 (tianwang), social cameras. */
export const cameraSourceColors: Record<string, string> = { xueliang: '#38bdf8', tianwang: '#f472b6', social: '#a3e635' };
export const cameraOfflineColor = '#475569';
export const cameraFaultColor = '#f59e0b';

export const centerColors: Record<string, string> = { district: '#f8fafc', town: '#e2e8f0', village: '#cbd5e1' };
export const patrolColor = '#4ade80';
export const overdueColor = '#ff2d55';
/** Key areas (重点区域): warm orange, apart from every grid and category colour. */
export const geofenceColor = '#fb7185';
export const selectionColor = '#ffffff';
/** The spot a form picked on the map (登记事件): a yellow no category or overlay uses. */
export const pickColor = '#facc15';

/** `#rrggbb` as the [r, g, b] deck.gl takes. */
export function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Heat-map ramp, low to high: transparent blue to white-hot. */
export const heatRamp: [number, number, number][] = [
  [37, 52, 148],
  [44, 127, 184],
  [65, 182, 196],
  [161, 218, 180],
  [254, 217, 118],
  [253, 141, 60],
  [240, 59, 32],
  [255, 255, 204],
];

// Text is drawn by MapLibre from local fonts (no `glyphs` URL, see basemap-style.ts).
// The names are CSS font families; the first entry's weight word is what MapLibre
// reads to pick the weight, the rest is the fallback chain across Linux, Windows
// and macOS intranet desktops.
const cjkFamilies = [
  'Noto Sans CJK SC',
  'Source Han Sans SC',
  'Microsoft YaHei',
  'PingFang SC',
  'WenQuanYi Micro Hei',
  'Heiti SC',
];

export const fontStacks: { regular: string[]; bold: string[] } = {
  regular: cjkFamilies,
  bold: ['Noto Sans CJK SC Bold', ...cjkFamilies],
};

/** The same chain in CSS syntax, for MapLibre's `localIdeographFontFamily` option. */
export const cjkFontFamilyCss = [...cjkFamilies.map((f) => `"${f}"`), 'sans-serif'].join(', ');
