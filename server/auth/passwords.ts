import argon2 from 'argon2';

/**
 * Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 80 ms a
 * hash on a small server, which keeps a login wave at shift change responsive while an
 * offline guess stays expensive. Hashes made with other parameters are upgraded at the
 * next successful login.
 */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export interface PasswordCheck {
  ok: boolean;
  /** True when the stored hash should be replaced by one with today's parameters. */
  rehash: boolean;
}

let decoyHash: Promise<string> | undefined;

/**
 * Checks `password` against `hash`. Without a hash (unknown user, account without a
 * password) a decoy is checked instead, so the answer takes as long either way and its
 * timing does not tell which user names exist.
 */
export async function checkPassword(hash: string | null | undefined, password: string): Promise<PasswordCheck> {
  if (!hash) {
    decoyHash ??= hashPassword('decoy password for unknown users');
    await argon2.verify(await decoyHash, password).catch(() => false);
    return { ok: false, rehash: false };
  }
  const ok = await argon2.verify(hash, password).catch(() => false);
  return { ok, rehash: ok && argon2.needsRehash(hash, HASH_OPTIONS) };
}

export interface PasswordPolicy {
  minLength: number;
}

const CHARACTER_CLASSES: readonly RegExp[] = [/\p{Lu}/u, /\p{Ll}/u, /\p{Nd}/u, /[^\p{Lu}\p{Ll}\p{Nd}]/u];

/**
 * Why `password` is not acceptable for `username`, or an empty list. 等保 level 3 asks
 * for complexity and no trivially guessable passwords: at least `minLength` characters
 * from three of the four classes (upper, lower, digit, other), and not the user name.
 */
export function passwordProblems(password: string, username: string, policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`must be at least ${policy.minLength} characters long`);
  if (CHARACTER_CLASSES.filter((re) => re.test(password)).length < 3) {
    problems.push('must mix at least three of: upper-case letters, lower-case letters, digits, other characters');
  }
  const name = username.toLowerCase();
  if (name.length > 0 && password.toLowerCase().includes(name)) problems.push('must not contain the user name');
  if ([...password].length > 128) problems.push('must be at most 128 characters long');
  return problems;
}
