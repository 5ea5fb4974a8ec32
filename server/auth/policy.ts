import type { Config } from '../config.js';

/** The account-security settings of one server, read from configuration once. */
export interface AccessPolicy {
  sessionIdleSeconds: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  passwordMinLength: number;
}

export type AccessConfig = Pick<
  Config,
  'SESSION_IDLE_MINUTES' | 'SESSION_MAX_HOURS' | 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCK_MINUTES' | 'PASSWORD_MIN_LENGTH'
>;

export function accessPolicy(config: AccessConfig): AccessPolicy {
  return {
    sessionIdleSeconds: config.SESSION_IDLE_MINUTES * 60,
    sessionMaxHours: config.SESSION_MAX_HOURS,
    loginMaxFailures: config.LOGIN_MAX_FAILURES,
    loginLockMinutes: config.LOGIN_LOCK_MINUTES,
    passwordMinLength: config.PASSWORD_MIN_LENGTH,
  };
}
