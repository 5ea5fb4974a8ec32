import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    expect(loadConfig({})).toEqual({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      DB_POOL_SIZE: 10,
      SEED_DEMO: 'auto',
      LOG_LEVEL: 'info',
      CLIENT_DIR: './dist/client',
    });
  });

  it('when a variable is set to the empty string, then it counts as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '' });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('when values are given, then they are parsed to their types', () => {
    expect(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'postgres://u:p@db:5432/pingan', DB_POOL_SIZE: '4', SEED_DEMO: 'never' }),
    ).toMatchObject({ PORT: 0, HOST: '127.0.0.1', DATABASE_URL: 'postgres://u:p@db:5432/pingan', DB_POOL_SIZE: 4, SEED_DEMO: 'never' });
  });

  it.each(['abc', '70000', '-1', '80.5'])('when PORT is %s, then a ConfigError names PORT', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT/);
  });

  it('when several values are wrong, then the one error names each of them', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'x', SEED_DEMO: 'always', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/PORT[\s\S]*SEED_DEMO[\s\S]*LOG_LEVEL|PORT/);
    for (const key of ['PORT', 'SEED_DEMO', 'LOG_LEVEL']) expect((error as Error).message).toContain(key);
  });
});
