import { z } from 'zod';
import { intParam } from '../http/params.js';

/** Deepest zoom a tile may be asked for (MapLibre's limit is 22 as well). */
export const MAX_TILE_ZOOM = 22;

/** `{z}/{x}/{y}` of the XYZ pyramid: x and y within 0 … 2^z − 1. */
export const TileParams = z
  .object({ z: intParam(0, MAX_TILE_ZOOM), x: intParam(0, 2 ** MAX_TILE_ZOOM - 1), y: intParam(0, 2 ** MAX_TILE_ZOOM - 1) })
  .superRefine((t, ctx) => {
    const last = 2 ** t.z - 1;
    for (const axis of ['x', 'y'] as const) {
      if (t[axis] > last) ctx.addIssue({ code: 'custom', path: [axis], message: `must be at most ${last} at zoom ${t.z}` });
    }
  });
