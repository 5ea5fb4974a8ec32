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
      NODE_ENV: 'development',
      TRUST_PROXY: 'false',
      SESSION_IDLE_MINUTES: 30,
      SESSION_MAX_HOURS: 12,
      PASSWORD_MIN_LENGTH: 8,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_LOCK_MINUTES: 30,
      LOGIN_RATE_LIMIT: 10,
      WRITE_RATE_LIMIT: 300,
      TILE_CACHE_MB: 256,
      BASEMAP_DATUM: 'wgs84',
      INTAKE_OUTSIDE: 'reject',
      INTAKE_BOUNDARY_M: 5,
      OVERDUE_SWEEP_SECONDS: 30,
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

  it.each([
    ['SESSION_IDLE_MINUTES', '0'],
    ['PASSWORD_MIN_LENGTH', '6'],
    ['LOGIN_MAX_FAILURES', 'five'],
    ['TRUST_PROXY', 'everyone; rm -rf'],
    ['NODE_ENV', 'prod'],
  ])('when the security setting %s is %s, then a ConfigError names it', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(key));
  });

  it('when TRUST_PROXY names a hop count or addresses, then it is accepted as written', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });

  it('when the base map is an external style, then its URL and datum are taken as written', () => {
    const url = 'https://t0.tianditu.gov.cn/style.json?tk=0123456789abcdef';
    expect(loadConfig({ BASEMAP_STYLE_URL: url, BASEMAP_DATUM: 'gcj02' })).toMatchObject({ BASEMAP_STYLE_URL: url, BASEMAP_DATUM: 'gcj02' });
  });

  it.each([
    ['BASEMAP_STYLE_URL', 'tiles.local/style.json'],
    ['BASEMAP_STYLE_URL', 'file:///etc/style.json'],
    ['BASEMAP_STYLE_URL', 'javascript:alert(1)'],
    ['BASEMAP_DATUM', 'bd09'],
    // The built-in base map is WGS84: gcj02 without an external style would move every overlay off it.
    ['BASEMAP_DATUM', 'gcj02'],
    ['BASEMAP_ORIGINS', 'https://t0.tianditu.gov.cn/path'],
    ['BASEMAP_ORIGINS', 'ftp://tiles.local'],
    ['CAMERA_STREAM_ORIGINS', 'http://10.20.0.5:8088/live'],
    ['CAMERA_STREAM_ORIGINS', 'rtsp://10.20.0.5:554'],
    ['CAMERA_STREAM_ORIGINS', '*'],
    ['CAMERA_STREAM_ORIGINS', 'http://10.20.0.5:8088 http://10.20.0.6:8088'],
  ])('when %s is %s, then a ConfigError names it', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(key));
  });

  it('when an external style loads from other hosts, then BASEMAP_ORIGINS lists them as origins', () => {
    const config = loadConfig({ BASEMAP_STYLE_URL: 'https://tiles.local/style.json', BASEMAP_ORIGINS: 'https://t0.tianditu.gov.cn, https://t1.tianditu.gov.cn/' });
    expect(config.BASEMAP_ORIGINS).toEqual(['https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn']);
  });

  it('when video gateways are named, then CAMERA_STREAM_ORIGINS lists them as origins', () => {
    const config = loadConfig({ CAMERA_STREAM_ORIGINS: 'http://10.20.0.5:8088, https://VIDEO.gov.local/,,' });
    expect(config.CAMERA_STREAM_ORIGINS).toEqual(['http://10.20.0.5:8088', 'https://video.gov.local']);
  });

  it('when CAMERA_STREAM_ORIGINS is unset or empty, then no gateway is allowed', () => {
    expect(loadConfig({}).CAMERA_STREAM_ORIGINS).toBeUndefined();
    expect(loadConfig({ CAMERA_STREAM_ORIGINS: '' }).CAMERA_STREAM_ORIGINS).toBeUndefined();
  });
});
