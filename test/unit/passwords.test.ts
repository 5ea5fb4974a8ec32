import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, passwordProblems } from '../../server/auth/passwords.js';

// The password policy (等保: length, three of four character classes, not the user name)
// and the argon2id hashing that stores passwords.

const POLICY = { minLength: 8 };
/** A user name none of the sample passwords contains. */
const USER = 'qq.user';
const LENGTH = 'must be at least 8 characters long';
const CLASSES = 'must mix at least three of: upper-case letters, lower-case letters, digits, other characters';
const NAME = 'must not contain the user name';
const TOO_LONG = 'must be at most 128 characters long';

describe('passwordProblems', () => {
  it.each([
    ['Pingan@2026', 'operator.village'],
    ['Abcdefg1', USER], // exactly 8, upper + lower + digit
    ['abcdefg1!', USER], // lower + digit + other
    ['ABCDEFG1!', USER], // upper + digit + other
    ['Abcdefgh!', USER], // upper + lower + other
    ['密码密码Aa1x', USER], // Han characters count as "other"
    ['Ärger-Über1', USER], // non-ASCII upper and lower case letters count as such
    ['Pass word 12', USER], // a space is an "other" character
    ['Aa1!'.repeat(32), USER], // 128 characters: the longest allowed
  ])('when the password is %j, then it is acceptable', (password, username) => {
    expect(passwordProblems(password, username, POLICY)).toEqual([]);
  });

  it.each([
    ['Ab1!xyz', USER, [LENGTH]],
    ['', USER, [LENGTH, CLASSES]],
    ['abcdefgh', USER, [CLASSES]],
    ['abcdefgh1234', USER, [CLASSES]],
    ['ABCDEFGH!!!!', USER, [CLASSES]],
    ['12345678!!', USER, [CLASSES]],
    ['密码密码密码密码', USER, [CLASSES]],
    ['Xoperator.village1!', 'operator.village', [NAME]],
    ['XOPERATOR.VILLAGE1!', 'operator.village', [NAME]], // case does not matter
    ['1!Zhang.San', 'ZHANG.san', [NAME]],
    ['ab', USER, [LENGTH, CLASSES]],
    [`${'Aa1!'.repeat(32)}x`, USER, [TOO_LONG]],
  ])('when the password is %j for user %j, then the problems are %j', (password, username, problems) => {
    expect(passwordProblems(password, username, POLICY)).toEqual(problems);
  });

  it('when the policy asks for more characters, then the minimum follows it', () => {
    expect(passwordProblems('Abcdefg1!x', USER, { minLength: 12 })).toEqual(['must be at least 12 characters long']);
    expect(passwordProblems('Abcdefg1!xyz', USER, { minLength: 12 })).toEqual([]);
  });

  it('when characters lie outside the basic plane, then each counts once towards the length', () => {
    // Seven characters, nine UTF-16 code units.
    expect(passwordProblems('Ab1😀😀xy', USER, POLICY)).toEqual([LENGTH]);
    expect(passwordProblems('Ab1😀😀xyz', USER, POLICY)).toEqual([]);
  });

  it('when the user name is empty, then it is not looked for', () => {
    expect(passwordProblems('Pingan@2026', '', POLICY)).toEqual([]);
  });
});

describe('hashPassword and checkPassword', () => {
  it('when a password is hashed, then it is argon2id with 19 MiB, 2 passes and 1 lane, salted, and only that password matches', async () => {
    const hash = await hashPassword('Pingan@2026');
    const [, type, version, params] = hash.split('$');
    expect([type, version]).toEqual(['argon2id', 'v=19']);
    expect(params!.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    expect(hash).not.toContain('Pingan@2026');
    expect(await hashPassword('Pingan@2026')).not.toBe(hash);
    expect(await checkPassword(hash, 'Pingan@2026')).toEqual({ ok: true, rehash: false });
    expect(await checkPassword(hash, 'pingan@2026')).toEqual({ ok: false, rehash: false });
  });

  it('when there is no hash (unknown user), then the check fails without throwing', async () => {
    expect(await checkPassword(null, 'Pingan@2026')).toEqual({ ok: false, rehash: false });
    expect(await checkPassword(undefined, 'decoy password for unknown users')).toEqual({ ok: false, rehash: false });
  });

  it('when the stored hash is malformed, then the check fails without throwing', async () => {
    expect(await checkPassword('not a hash', 'Pingan@2026')).toEqual({ ok: false, rehash: false });
  });

  it('when the stored hash used other parameters, then the right password asks for a rehash and a wrong one does not', async () => {
    const old = await argon2.hash('Pingan@2026', { type: argon2.argon2id, memoryCost: 8192, timeCost: 3, parallelism: 1 });
    expect(await checkPassword(old, 'Pingan@2026')).toEqual({ ok: true, rehash: true });
    expect(await checkPassword(old, 'Wrong@2026')).toEqual({ ok: false, rehash: false });
  });
});
