/** [longitude, latitude] in WGS84 degrees. */
export type LonLat = [lon: number, lat: number];

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** East and north metres from `a` to `b`: flat-earth, exact enough within a district. */
function offsetM(a: LonLat, b: LonLat): { east: number; north: number } {
  const cosLat = Math.cos(((a[1] + b[1]) / 2) * RAD);
  return { east: (b[0] - a[0]) * RAD * cosLat * EARTH_RADIUS_M, north: (b[1] - a[1]) * RAD * EARTH_RADIUS_M };
}

/**
 * A patrol route walked by distance, as the seed's track (geodata/seed/sql/
 * insert-patrol-track.sql) walks it: past the end a unit starts the route again.
 */
export class RouteTrack {
  readonly lengthM: number;
  /** Metres from the start to each vertex. */
  private readonly along: number[];

  constructor(private readonly coords: readonly LonLat[]) {
    this.along = [0];
    for (let i = 1; i < coords.length; i++) {
      const { east, north } = offsetM(coords[i - 1]!, coords[i]!);
      this.along.push(this.along[i - 1]! + Math.hypot(east, north));
    }
    this.lengthM = this.along[this.along.length - 1]!;
  }

  /** Where a unit is `distanceM` metres along, and its heading (degrees clockwise from north). */
  at(distanceM: number): { location: LonLat; heading: number } {
    const d = ((distanceM % this.lengthM) + this.lengthM) % this.lengthM;
    let i = 1;
    while (i < this.along.length - 1 && this.along[i]! < d) i++;
    const [a, b] = [this.coords[i - 1]!, this.coords[i]!];
    const span = this.along[i]! - this.along[i - 1]!;
    const t = span > 0 ? (d - this.along[i - 1]!) / span : 0;
    const { east, north } = offsetM(a, b);
    const heading = ((Math.atan2(east, north) / RAD) % 360 + 360) % 360;
    return { location: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], heading };
  }

  /** Metres along the route of the point on it nearest to `p`. */
  locate(p: LonLat): number {
    let best = { distance: Infinity, along: 0 };
    for (let i = 1; i < this.coords.length; i++) {
      const a = this.coords[i - 1]!;
      const ab = offsetM(a, this.coords[i]!);
      const ap = offsetM(a, p);
      const span2 = ab.east ** 2 + ab.north ** 2;
      const t = span2 > 0 ? Math.min(1, Math.max(0, (ap.east * ab.east + ap.north * ab.north) / span2)) : 0;
      const distance = Math.hypot(ap.east - t * ab.east, ap.north - t * ab.north);
      if (distance < best.distance) best = { distance, along: this.along[i - 1]! + t * Math.sqrt(span2) };
    }
    return best.along;
  }
}
