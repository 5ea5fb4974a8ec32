import type { Role } from '../../server/auth/permissions.js';
import { hashPassword } from '../../server/auth/passwords.js';

/**
 * Demo accounts: every role at the district, the first town and its first village,
 * plus an operator of the neighbouring village, so scoping can be seen by signing in
 * side by side. Listed in the README. All share one password; with NODE_ENV=production
 * each must be changed at first login.
 */
export const DEMO_PASSWORD = 'Pingan@2026';

type Slot = 'district' | 'town' | 'village' | 'village2';

const ROLE_NAMES: readonly { role: Role; short: string; title: string }[] = [
  { role: 'district_admin', short: 'admin', title: '系统管理员' },
  { role: 'operator', short: 'operator', title: '值班员' },
  { role: 'leader', short: 'leader', title: '领导' },
  { role: 'analyst', short: 'analyst', title: '研判分析员' },
  { role: 'planner', short: 'planner', title: '网格规划员' },
  { role: 'grid_worker', short: 'worker', title: '网格员' },
  { role: 'auditor', short: 'auditor', title: '安全审计员' },
];

const SLOT_NAMES: Readonly<Record<Slot, string>> = { district: '区级', town: '街镇', village: '村社区', village2: '邻村' };

export interface DemoAccount {
  username: string;
  display_name: string;
  role: Role;
  slot: Slot;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  ...(['district', 'town', 'village'] as const).flatMap((slot) =>
    ROLE_NAMES.map(({ role, short, title }) => ({ username: `${short}.${slot}`, display_name: `${SLOT_NAMES[slot]}${title}`, role, slot })),
  ),
  { username: 'operator.village2', display_name: `${SLOT_NAMES.village2}值班员`, role: 'operator', slot: 'village2' },
];

/** The accounts as rows for insert-demo-accounts.sql, each with its own salted hash. */
export async function demoAccountRows(): Promise<(DemoAccount & { password_hash: string })[]> {
  return Promise.all(DEMO_ACCOUNTS.map(async (a) => ({ ...a, password_hash: await hashPassword(DEMO_PASSWORD) })));
}
