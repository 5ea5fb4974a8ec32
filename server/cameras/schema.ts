import { z } from 'zod';
import { bboxParam, enumParam, idParam, intParam } from '../http/params.js';

export const CAMERA_SOURCES = ['xueliang', 'tianwang', 'social'] as const;
export const CAMERA_STATUSES = ['online', 'offline', 'fault'] as const;

export const CamerasQuery = z.object({
  bbox: bboxParam().optional(),
  source: enumParam(CAMERA_SOURCES).optional(),
  status: enumParam(CAMERA_STATUSES).optional(),
  grid: idParam().optional(),
  after: idParam().optional(),
  limit: intParam(1, 10_000).default(1000),
});

export type CameraFilter = z.output<typeof CamerasQuery>;

export const CameraIdParams = z.object({ id: idParam() });
