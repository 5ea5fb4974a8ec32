import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Department } from './generator/district.js';

/** Where the generated demo district lives in the repository. */
export const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'demo');

export interface DemoManifest {
  dataset: string;
  version: string;
  seed: number;
  name: string;
  periodStart: string;
  outline: [number, number][];
  counts: Record<string, number>;
}

// Codes follow the hierarchy so a code alone tells where an object sits.
export const centerCode = (town?: number, village?: number) =>
  ['C-511699', town === undefined ? '' : `-${String(town + 1).padStart(2, '0')}`, village === undefined ? '' : `-${String(village + 1).padStart(3, '0')}`].join('');

export const gridCode = (town: number, village?: number, block?: number) =>
  ['G', String(town + 1).padStart(2, '0'), ...(village === undefined ? [] : [String(village + 1).padStart(3, '0')]), ...(block === undefined ? [] : [String(block + 1).padStart(2, '0')])].join('-');

export const DEPARTMENT_CODES: Record<Department, { code: string; name: string }> = {
  police: { code: 'POL', name: '公安' },
  judicial: { code: 'JUD', name: '司法' },
  civil_affairs: { code: 'CIV', name: '民政' },
  health: { code: 'HEA', name: '卫健' },
  market_supervision: { code: 'MKT', name: '市场监管' },
  urban_management: { code: 'URB', name: '城管' },
};
