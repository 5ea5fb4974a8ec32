import { describe, expect, it } from 'vitest';
import { contains, near } from '../../scripts/simulate/incident-samples.js';
import { RouteTrack, type LonLat } from '../../scripts/simulate/route-track.js';

// The simulator's geometry (scripts/simulate/): walking a patrol route by distance,
// finding where on it a unit last reported, and placing incidents inside grids.

/** A closed square of about 1 km a side near the demo district: east, north, west, south. */
const SQUARE: LonLat[] = [[106.6, 30.45], [106.61042, 30.45], [106.61042, 30.459], [106.6, 30.459], [106.6, 30.45]];

describe('RouteTrack', () => {
  const track = new RouteTrack(SQUARE);

  it('when a square of about 1 km sides is measured, then its length is about 4 km', () => {
    expect(track.lengthM).toBeGreaterThan(3950);
    expect(track.lengthM).toBeLessThan(4050);
  });

  it('when a unit walks it, then it heads east, then north, then west, then south', () => {
    const quarter = track.lengthM / 4;
    expect([0.5, 1.5, 2.5, 3.5].map((q) => Math.round(track.at(q * quarter).heading))).toEqual([90, 0, 270, 180]);
    expect(track.at(0).location).toEqual(SQUARE[0]);
  });

  it('when a unit walks past the end, then it starts the route again', () => {
    const a = track.at(123);
    const b = track.at(track.lengthM + 123);
    expect(b.location[0]).toBeCloseTo(a.location[0], 9);
    expect(b.location[1]).toBeCloseTo(a.location[1], 9);
  });

  it('when a point on or beside the route is located, then the distance along it is where that point lies', () => {
    for (const d of [0, 250, 1500, 2600, 3900]) {
      const [lon, lat] = track.at(d).location;
      expect(track.locate([lon, lat])).toBeCloseTo(d, 3);
    }
    // 50 m south of the first side, 300 m along it.
    const [lon, lat] = track.at(300).location;
    expect(track.locate([lon, lat - 50 / 111_320])).toBeCloseTo(300, 0);
  });
});

describe('contains', () => {
  const withHole = { type: 'Polygon' as const, coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]] };

  it('when a point is inside the outer ring and outside the hole, then it is contained; in the hole or outside, not', () => {
    expect(contains(withHole, [2, 2])).toBe(true);
    expect(contains(withHole, [5, 5])).toBe(false);
    expect(contains(withHole, [11, 5])).toBe(false);
  });

  it('when the area is a MultiPolygon, then a point in any of its parts is contained', () => {
    const two = { type: 'MultiPolygon' as const, coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] };
    expect(contains(two, [5.8, 5.2])).toBe(true);
    expect(contains(two, [3, 3])).toBe(false);
  });
});

describe('near', () => {
  it('when points are placed near a spot, then none is farther than the radius', () => {
    const spot: LonLat = [106.6, 30.45];
    for (let i = 0; i < 200; i++) {
      const [lon, lat] = near(spot, 150);
      const east = (lon - spot[0]) * 111_320 * Math.cos((spot[1] * Math.PI) / 180);
      const north = (lat - spot[1]) * 111_320;
      expect(Math.hypot(east, north)).toBeLessThanOrEqual(150.5);
    }
  });
});
