/**
 * The demo district sits on real coordinates around Guang'an, Sichuan (WGS84). Shapes are
 * drawn in a local metric frame (x east, y north, metres from ORIGIN) and converted here;
 * an equirectangular frame is exact to well under a metre over a 30 km district.
 */
export const ORIGIN = { lon: 106.66, lat: 30.5 } as const;
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON = 111_320 * Math.cos((ORIGIN.lat * Math.PI) / 180);

export type XY = readonly [number, number];
export type LonLat = [number, number];

/** Coordinates are rounded to 1e-7° (about 1 cm), the grid every generated vertex sits on. */
export const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

export function toLonLat([x, y]: XY): LonLat {
  return [round7(ORIGIN.lon + x / M_PER_DEG_LON), round7(ORIGIN.lat + y / M_PER_DEG_LAT)];
}

export function toXY([lon, lat]: readonly [number, number]): [number, number] {
  return [(lon - ORIGIN.lon) * M_PER_DEG_LON, (lat - ORIGIN.lat) * M_PER_DEG_LAT];
}

export const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

export function pointInPolygon([x, y]: XY, ring: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** An irregular closed outline: a circle whose radius wobbles with a few harmonics. */
export function blob(center: XY, radius: number, wobble: number, rnd: () => number, vertices = 96): XY[] {
  const harmonics = [2, 3, 4, 5, 7].map((k) => ({ k, a: (rnd() * wobble) / Math.sqrt(k), phase: rnd() * Math.PI * 2 }));
  const ring: XY[] = [];
  for (let i = 0; i < vertices; i++) {
    const t = (i / vertices) * Math.PI * 2;
    const r = radius * (1 + harmonics.reduce((s, h) => s + h.a * Math.sin(h.k * t + h.phase), 0));
    ring.push([center[0] + r * Math.cos(t), center[1] + r * Math.sin(t)]);
  }
  return ring;
}

/** Walks a polyline from a to b with a smooth sideways meander, `amplitude` metres at most. */
export function meander(a: XY, b: XY, amplitude: number, rnd: () => number, step = 150): XY[] {
  const length = dist(a, b);
  // Coincident ends (a town seat on a village centre) make no road, not NaN coordinates.
  if (length < 1) return [a];
  const n = Math.max(2, Math.ceil(length / step));
  const nx = -(b[1] - a[1]) / length;
  const ny = (b[0] - a[0]) / length;
  const waves = [1, 2, 3].map((k) => ({ k, a: (rnd() - 0.5) * 2 * amplitude / k, phase: rnd() * Math.PI }));
  const line: XY[] = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    // sin(πt)-shaped envelope keeps both ends pinned where they were asked to be.
    const off = Math.sin(Math.PI * t) * waves.reduce((s, w) => s + w.a * Math.sin(w.k * Math.PI * t + w.phase), 0);
    line.push([a[0] + (b[0] - a[0]) * t + nx * off, a[1] + (b[1] - a[1]) * t + ny * off]);
  }
  return line;
}

/** A meandering polyline through several control points. */
export function meanderThrough(points: readonly XY[], amplitude: number, rnd: () => number, step = 150): XY[] {
  return points.slice(1).flatMap((p, i) => meander(points[i]!, p, amplitude, rnd, step).slice(i === 0 ? 0 : 1));
}

export function bearing(a: XY, b: XY): number {
  const deg = (Math.atan2(b[0] - a[0], b[1] - a[1]) * 180) / Math.PI;
  return (deg + 360) % 360;
}
