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

/**
 * Distinct, bright hues for grids drawn over the dark base. Neighbouring indices
 * are far apart on the colour wheel because grids are coloured in code order and
 * adjacent codes are usually adjacent towns.
 */
export const gridPalette = [
  '#22d3ee', // cyan
  '#fbbf24', // amber
  '#f472b6', // pink
  '#a3e635', // lime
  '#a78bfa', // violet
  '#fb923c', // orange
  '#34d399', // emerald
  '#60a5fa', // blue
] as const;

export function gridColor(index: number): string {
  return gridPalette[index % gridPalette.length]!;
}

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
