/**
 * The password policy of docs/access.md, checked while typing so the user sees which
 * rule is still missing. The server checks again and has the last word (its
 * `invalid-params` reasons are shown beside the field).
 */
import { reactive } from 'vue';

/** The server's policy; the session store updates it from each session answer. */
export const passwordPolicy = reactive({ minLength: 8, minClasses: 3 });

export interface PasswordChecks {
  length: boolean;
  classes: boolean;
  withoutUsername: boolean;
  /** How many of upper case, lower case, digits and other characters occur. */
  classCount: number;
}

export function checkPassword(password: string, username: string): PasswordChecks {
  const classCount = [/\p{Lu}/u, /\p{Ll}/u, /\p{Nd}/u, /[^\p{Lu}\p{Ll}\p{Nd}]/u].filter((re) => re.test(password)).length;
  const name = username.trim().toLowerCase();
  return {
    length: [...password].length >= passwordPolicy.minLength,
    classes: classCount >= passwordPolicy.minClasses,
    withoutUsername: name === '' || !password.toLowerCase().includes(name),
    classCount,
  };
}

export function passwordAcceptable(checks: PasswordChecks): boolean {
  return checks.length && checks.classes && checks.withoutUsername;
}
