import path from 'node:path';

/** Environment parsed once into a typed, frozen Config (operations.md "Configuration"). */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  logLevel: string;
  rateLimitPerMin: number;
  /** FLOWYTE_WEB_ROOT: the built dashboard to serve (default dist/web); `off` serves the API only */
  webRoot: string | null | undefined;
  /** FLOWYTE_METRICS (on|off): serve GET /metrics; default on when listening on a loopback address only */
  metrics: boolean;
  /** FLOWYTE_LIVE_CACHE_VERSIONS: live versions kept prepared in memory (default 10 000) */
  liveCacheVersions: number;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function env(e: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = e[name];
  return v === undefined || v === '' ? undefined : v; // an empty variable counts as unset
}

function int(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`invalid ${name}: expected an integer ${min}–${max}, got "${raw}"`);
  }
  return Number(raw);
}

export function loadConfig(e: NodeJS.ProcessEnv = process.env): Config {
  const port = int('PORT', env(e, 'PORT') ?? '8080', 0, 65535);
  const host = env(e, 'HOST') ?? '127.0.0.1';
  const databaseUrl = env(e, 'DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('invalid DATABASE_URL: expected postgres://… or postgresql://…');
  }
  const dataDir = path.resolve(env(e, 'FLOWYTE_DATA_DIR') ?? './.flowyte/data');
  const logLevel = env(e, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`invalid LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const rateLimitPerMin = int('FLOWYTE_RATE_LIMIT_PER_MIN', env(e, 'FLOWYTE_RATE_LIMIT_PER_MIN') ?? '1200', 0, 10_000_000);
  const webEnv = env(e, 'FLOWYTE_WEB_ROOT');
  const webRoot = webEnv === undefined ? undefined : webEnv === 'off' ? null : path.resolve(webEnv);
  const metricsEnv = env(e, 'FLOWYTE_METRICS');
  if (metricsEnv !== undefined && metricsEnv !== 'on' && metricsEnv !== 'off') {
    throw new ConfigError(`invalid FLOWYTE_METRICS: expected on or off, got "${metricsEnv}"`);
  }
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  const metrics = metricsEnv === undefined ? loopback : metricsEnv === 'on';
  const liveCacheVersions = int('FLOWYTE_LIVE_CACHE_VERSIONS', env(e, 'FLOWYTE_LIVE_CACHE_VERSIONS') ?? '10000', 1, 10_000_000);
  return Object.freeze({ port, host, databaseUrl, dataDir, logLevel, rateLimitPerMin, webRoot, metrics, liveCacheVersions });
}
