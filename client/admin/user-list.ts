import type { Role, User } from '../http/api-types';

/** Filters of the user table, as the query of `GET /api/users`. */
export interface UserFilters {
  q: string;
  role: Role | '';
  centerId: number | null;
}

export const PAGE_SIZE = 50;

export function usersUrl(filters: UserFilters, after: string | null, limit = PAGE_SIZE): string {
  const query = new URLSearchParams();
  if (filters.q.trim()) query.set('q', filters.q.trim());
  if (filters.role) query.set('role', filters.role);
  if (filters.centerId !== null) query.set('centerId', String(filters.centerId));
  query.set('limit', String(limit));
  if (after) query.set('after', after);
  return `/api/users?${query}`;
}

/** The list after an edit: the changed user in place (or first, when new). */
export function upsertUser(list: readonly User[], user: User): User[] {
  const index = list.findIndex((item) => item.id === user.id);
  if (index < 0) return [user, ...list];
  return list.map((item, i) => (i === index ? user : item));
}

/** The next page appended, without duplicates should a user have moved between pages. */
export function appendPage(list: readonly User[], page: readonly User[]): User[] {
  const seen = new Set(list.map((u) => u.id));
  return [...list, ...page.filter((u) => !seen.has(u.id))];
}

export type UserState = 'active' | 'disabled' | 'locked' | 'mustChange';

/** Every state that applies, most severe first: a disabled account may also be locked. */
export function userStates(user: User, now = Date.now()): UserState[] {
  const states: UserState[] = [];
  if (user.disabled) states.push('disabled');
  if (isLocked(user, now)) states.push('locked');
  if (user.mustChangePassword) states.push('mustChange');
  return states.length > 0 ? states : ['active'];
}

export function isLocked(user: Pick<User, 'lockedUntil'>, now = Date.now()): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now;
}

/**
 * A random initial password that meets the policy: all four character classes,
 * 14 characters, without look-alikes (0/O, 1/l/I) since it is often read out or
 * written down for the new user, who must change it at first login anyway.
 */
export function generatePassword(random: (n: number) => number = cryptoRandom): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#%+=?!'];
  const all = sets.join('');
  const chars = sets.map((set) => set[random(set.length)]!);
  while (chars.length < 14) chars.push(all[random(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function cryptoRandom(n: number): number {
  const buffer = new Uint32Array(1);
  // Rejection sampling keeps every value equally likely.
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  do crypto.getRandomValues(buffer);
  while (buffer[0]! >= limit);
  return buffer[0]! % n;
}
