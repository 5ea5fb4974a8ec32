import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: session cookies, CSRF tokens, access tokens. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** What the database keeps of a secret. */
export const secretHash = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

export const SESSION_COOKIE = 'pm_session';

/** Personal access tokens carry a prefix so secret scanners and people can recognise them. */
export const TOKEN_PREFIX = 'pm_';
const TOKEN_PATTERN = /^pm_[A-Za-z0-9_-]{43}$/;
const SESSION_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const isSessionSecret = (value: unknown): value is string => typeof value === 'string' && SESSION_PATTERN.test(value);
export const isTokenSecret = (value: string): boolean => TOKEN_PATTERN.test(value);

/** The credentials of an `Authorization: Bearer …` header, '' for a malformed one, undefined without one. */
export function bearerOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
