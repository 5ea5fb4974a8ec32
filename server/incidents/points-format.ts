import { CATEGORIES, SEVERITIES, STATUSES } from './enums.js';

/**
 * The binary form of incident points (`GET /api/incidents/points`,
 * `application/vnd.pingan.points`): typed arrays a WebGL layer takes as they are, about
 * 15 bytes a point against ~150 for GeoJSON. Little-endian, every array 4-byte aligned:
 *
 *   offset 0   4 bytes   magic "PMP1"
 *          4   uint32    count n
 *          8   float64   origin: milliseconds since 1970 (UTC) that `seconds` count from
 *         16   float32   positions [lon, lat] × n (WGS84; float32 keeps ≈ 1 m here)
 *    16 + 8n   uint32    seconds after origin × n (points are oldest first)
 *   16 + 12n   uint8     category index × n (into CATEGORIES)
 *   16 + 13n   uint8     status index × n (into STATUSES)
 *   16 + 14n   uint8     severity index × n (into SEVERITIES)
 *
 * Pure code (no Node APIs): the web client decodes with the same module.
 */

export const POINTS_CONTENT_TYPE = 'application/vnd.pingan.points';
const MAGIC = [0x50, 0x4d, 0x50, 0x31]; // "PMP1"
const HEADER = 16;

export interface IncidentPoint {
  lon: number;
  lat: number;
  /** Reported, milliseconds since 1970 (UTC). */
  time: number;
  category: (typeof CATEGORIES)[number];
  status: (typeof STATUSES)[number];
  severity: (typeof SEVERITIES)[number];
}

export interface DecodedPoints {
  count: number;
  origin: number;
  positions: Float32Array;
  seconds: Uint32Array;
  categories: Uint8Array;
  statuses: Uint8Array;
  severities: Uint8Array;
}

export const pointsByteLength = (count: number): number => HEADER + 15 * count;

export function encodePoints(points: readonly IncidentPoint[]): Uint8Array {
  const n = points.length;
  const bytes = new Uint8Array(pointsByteLength(n));
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, n, true);
  const origin = n > 0 ? Math.floor(points[0]!.time / 1000) * 1000 : 0;
  view.setFloat64(8, origin, true);
  const { positions, seconds, categories, statuses, severities } = arraysOf(bytes.buffer, n);
  points.forEach((p, i) => {
    positions[2 * i] = p.lon;
    positions[2 * i + 1] = p.lat;
    seconds[i] = Math.round((p.time - origin) / 1000);
    categories[i] = CATEGORIES.indexOf(p.category);
    statuses[i] = STATUSES.indexOf(p.status);
    severities[i] = SEVERITIES.indexOf(p.severity);
  });
  return bytes;
}

export function decodePoints(buffer: ArrayBuffer): DecodedPoints {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a Pingan points buffer (magic PMP1)');
  const view = new DataView(buffer);
  const count = view.getUint32(4, true);
  if (bytes.length !== pointsByteLength(count)) throw new Error(`points buffer of ${bytes.length} bytes does not hold ${count} points`);
  return { count, origin: view.getFloat64(8, true), ...arraysOf(buffer, count) };
}

function arraysOf(buffer: ArrayBuffer, n: number) {
  return {
    positions: new Float32Array(buffer, HEADER, 2 * n),
    seconds: new Uint32Array(buffer, HEADER + 8 * n, n),
    categories: new Uint8Array(buffer, HEADER + 12 * n, n),
    statuses: new Uint8Array(buffer, HEADER + 13 * n, n),
    severities: new Uint8Array(buffer, HEADER + 14 * n, n),
  };
}
