import { PNG } from 'pngjs';

export interface PixelStats {
  width: number;
  height: number;
  /** Colours counted at 4 bits per channel, so antialiasing noise does not inflate it. */
  distinctColours: number;
  /** Share of pixels farther than `tolerance` (sum of channel differences) from `background`. */
  nonBackgroundShare: number;
}

/** How much of a screenshot is something other than the page background. */
export function pixelStats(png: Buffer, background: readonly [number, number, number], tolerance = 12): PixelStats {
  // pngjs always decodes to RGBA.
  const { width, height, data } = PNG.sync.read(png);
  const colours = new Set<number>();
  let nonBackground = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
    if (Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]) > tolerance) {
      nonBackground++;
    }
  }
  const total = width * height;
  return { width, height, distinctColours: colours.size, nonBackgroundShare: total === 0 ? 0 : nonBackground / total };
}

/** Share of pixels that differ by more than `tolerance` (sum of channel differences) between two same-sized screenshots. */
export function changedShare(a: Buffer, b: Buffer, tolerance = 24): number {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  if (x.width !== y.width || x.height !== y.height) return 1;
  let changed = 0;
  for (let i = 0; i < x.data.length; i += 4) {
    const d = Math.abs(x.data[i]! - y.data[i]!) + Math.abs(x.data[i + 1]! - y.data[i + 1]!) + Math.abs(x.data[i + 2]! - y.data[i + 2]!);
    if (d > tolerance) changed++;
  }
  return changed / (x.width * x.height);
}
