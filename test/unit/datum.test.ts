import { readFileSync } from 'node:fs';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { datumShift, fromDatum, geometryToDatum, tileCentre, tileDatumShift, toDatum, toMercator } from '../../server/tiles/datum.js';
import { cellX, cellY } from '../../server/incidents/cells.js';

// The datum shift of server/tiles/datum.ts, and the measurement behind its choice of a
// per-vertex transform: how wrong one constant shift per tile (taken at the tile centre)
// would be over the demo district, in metres and in pixels of 512-px tiles.

const manifest = JSON.parse(readFileSync(new URL('../../geodata/demo/manifest.json', import.meta.url), 'utf8')) as { outline: [number, number][] };
const lons = manifest.outline.map((p) => p[0]);
const lats = manifest.outline.map((p) => p[1]);
const DISTRICT = { minLon: Math.min(...lons), minLat: Math.min(...lats), maxLon: Math.max(...lons), maxLat: Math.max(...lats) };
const WORLD = 2 * Math.PI * 6378137;

interface Measure {
  /** Worst distance between a vertex moved by the tile-centre shift and the same vertex moved by gcoord, metres. */
  metres: number;
  pixels: number;
  /** The same in tile units (4096 across). */
  units: number;
  /** Worst difference between the shifts of two neighbouring tiles (the step a line crossing their edge shows), pixels. */
  step: number;
}

/** Tiles of zoom z meeting the district (every `stride`-th in each direction), vertices on an n × n grid per tile. */
function measure(z: number, n = 17, maxTiles = 40): Measure {
  const [x0, x1, y0, y1] = [cellX(DISTRICT.minLon, z), cellX(DISTRICT.maxLon, z), cellY(DISTRICT.maxLat, z), cellY(DISTRICT.minLat, z)];
  const stride = Math.max(1, Math.ceil(Math.max(x1 - x0 + 1, y1 - y0 + 1) / maxTiles));
  const size = WORLD / 2 ** z;
  let metres = 0;
  let step = 0;
  for (let x = x0; x <= x1; x += stride) {
    for (let y = y0; y <= y1; y += stride) {
      const shift = tileDatumShift({ z, x, y }, 'gcj02');
      for (const [dx, dy] of [[1, 0], [0, 1]] as const) {
        const other = tileDatumShift({ z, x: x + dx, y: y + dy }, 'gcj02');
        step = Math.max(step, Math.hypot(other.dx - shift.dx, other.dy - shift.dy));
      }
      // The stored places of what is drawn in the tile: about the place drawn at its centre.
      const [cx, cy] = toMercator(fromDatum(tileCentre({ z, x, y }), 'gcj02'));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const mx = cx + (i / (n - 1) - 0.5) * size;
          const my = cy + (j / (n - 1) - 0.5) * size;
          const p = [(mx / WORLD) * 360, (Math.atan(Math.sinh(my / 6378137)) * 180) / Math.PI];
          const exact = datumShift(p, 'gcj02');
          metres = Math.max(metres, Math.hypot(exact.dx - shift.dx, exact.dy - shift.dy));
        }
      }
    }
  }
  return { metres, pixels: metres / (size / 512), units: metres / (size / 4096), step: step / (size / 512) };
}

describe('datum shift', () => {
  it('when a point is moved into GCJ-02, then it is where gcoord puts it, and outside China it stays', () => {
    const p: [number, number] = [106.66, 30.5];
    expect(toDatum(p, 'gcj02')).toEqual(gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02));
    expect(toDatum(p, 'wgs84')).toEqual(p);
    expect(toDatum([2.35, 48.85], 'gcj02')).toEqual([2.35, 48.85]);
    expect(datumShift([2.35, 48.85], 'gcj02')).toEqual({ dx: 0, dy: 0 });
    const back = fromDatum(toDatum(p, 'gcj02'), 'gcj02');
    expect(Math.abs(back[0] - p[0]) + Math.abs(back[1] - p[1])).toBeLessThan(1e-6);
    // The tile shift is the one of the place drawn at the tile's centre.
    const t = { z: 18, x: 211_000, y: 107_000 };
    const { dx, dy } = tileDatumShift(t, 'gcj02');
    const at = datumShift(fromDatum(tileCentre(t), 'gcj02'), 'gcj02');
    expect(Math.hypot(at.dx - dx, at.dy - dy)).toBeLessThan(0.01);
    // In the demo district GCJ-02 is some 430 m east and 350 m south of WGS84 (in Mercator metres).
    const here = datumShift(p, 'gcj02');
    expect(Math.hypot(here.dx, here.dy)).toBeGreaterThan(300);
    expect(Math.hypot(here.dx, here.dy)).toBeLessThan(700);
  });

  it('when a geometry is moved, then every vertex is, and the input is left as it was', () => {
    const ring = [[106.6, 30.5], [106.7, 30.5], [106.7, 30.6], [106.6, 30.5]];
    const polygon = { type: 'Polygon' as const, coordinates: [ring] };
    const moved = geometryToDatum(polygon, 'gcj02');
    expect(moved.coordinates[0]).toEqual(ring.map((p) => gcoord.transform(p as [number, number], gcoord.WGS84, gcoord.GCJ02)));
    expect(polygon.coordinates[0]).toBe(ring);
    expect(ring[0]).toEqual([106.6, 30.5]);
    const collection = geometryToDatum({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [106.6, 30.5] }] }, 'gcj02');
    expect(collection.geometries[0]).toEqual({ type: 'Point', coordinates: toDatum([106.6, 30.5], 'gcj02') });
  });

  it('when one shift per tile is measured against the per-vertex transform, then it is off by up to about a pixel, too much to draw with', () => {
    const rows = [10, 14, 18].map((z) => ({ z, ...measure(z) }));
    console.log(
      '[datum] tile-centre shift vs per vertex over the demo district:\n' +
        rows.map((r) => `  z${r.z}: ${r.metres.toFixed(2)} m = ${r.pixels.toFixed(2)} px (${r.units.toFixed(1)} tile units); step at an edge ${r.step.toFixed(2)} px`).join('\n'),
    );
    // Not far below a pixel (hence the per-vertex transform) …
    for (const r of rows.filter((r) => r.z >= 14)) expect(r.pixels).toBeGreaterThan(0.3);
  });

  it('when the tile box is moved back by the tile-centre shift, then what that misses stays inside the 64-unit buffer at every zoom', () => {
    for (let z = 0; z <= 18; z++) expect(measure(z, 9, 12).units, `zoom ${z}`).toBeLessThan(32);
  });
});
