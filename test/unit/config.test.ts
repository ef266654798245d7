import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig: FLOWYTE_METRICS and FLOWYTE_WEB_ROOT', () => {
  it('metrics are on by default on a loopback address, off when listening beyond it', () => {
    expect(loadConfig({}).metrics).toBe(true);
    expect(loadConfig({ HOST: '::1' }).metrics).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0' }).metrics).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', FLOWYTE_METRICS: 'on' }).metrics).toBe(true);
    expect(loadConfig({ FLOWYTE_METRICS: 'off' }).metrics).toBe(false);
  });

  it('any other FLOWYTE_METRICS value stops start-up naming the variable', () => {
    expect(() => loadConfig({ FLOWYTE_METRICS: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ FLOWYTE_METRICS: 'yes' })).toThrow(/FLOWYTE_METRICS/);
  });

  it('FLOWYTE_LIVE_CACHE_VERSIONS: default 10 000, a positive integer', () => {
    expect(loadConfig({}).liveCacheVersions).toBe(10_000);
    expect(loadConfig({ FLOWYTE_LIVE_CACHE_VERSIONS: '500' }).liveCacheVersions).toBe(500);
    expect(() => loadConfig({ FLOWYTE_LIVE_CACHE_VERSIONS: '0' })).toThrow(/FLOWYTE_LIVE_CACHE_VERSIONS/);
  });

  it('FLOWYTE_DB_QUERY_TIMEOUT_MS: default 3000, an integer 100–600000 in milliseconds', () => {
    expect(loadConfig({}).queryTimeoutMs).toBe(3000);
    expect(loadConfig({ FLOWYTE_DB_QUERY_TIMEOUT_MS: '15000' }).queryTimeoutMs).toBe(15_000);
    for (const bad of ['99', '600001', '2.5', '3s', '-1']) {
      expect(() => loadConfig({ FLOWYTE_DB_QUERY_TIMEOUT_MS: bad })).toThrow(/FLOWYTE_DB_QUERY_TIMEOUT_MS/);
    }
  });

  it('the web root: default (undefined → dist/web), a path, or off', () => {
    expect(loadConfig({}).webRoot).toBeUndefined();
    expect(loadConfig({ FLOWYTE_WEB_ROOT: 'off' }).webRoot).toBeNull();
    expect(loadConfig({ FLOWYTE_WEB_ROOT: 'build/web' }).webRoot).toBe(path.resolve('build/web'));
  });
});
