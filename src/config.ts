import path from 'node:path';
import { DEFAULT_QUERY_TIMEOUT_MS } from './storage/db.js';

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
  /** FLOWYTE_CORS_ORIGINS: the exact origins CORS allows; empty (the default) turns CORS off */
  corsOrigins: readonly string[];
  /** FLOWYTE_DB_QUERY_TIMEOUT_MS: PostgreSQL only, how long a request's query may take (default 3000) */
  queryTimeoutMs: number;
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

/**
 * FLOWYTE_CORS_ORIGINS: comma-separated exact origins, each as a browser sends it in `Origin`
 * (`scheme://host[:port]`: http or https, lower-case host, no default port, no path, no
 * trailing slash, no wildcard); spaces around commas are ignored.
 */
function corsOrigins(raw: string | undefined): readonly string[] {
  if (raw === undefined) return Object.freeze([]);
  const out = new Set<string>();
  for (const part of raw.split(',')) {
    const o = part.trim();
    let canonical: string | null = null;
    try {
      const u = new URL(o);
      if (u.protocol === 'http:' || u.protocol === 'https:') canonical = u.origin;
    } catch {
      // not a URL at all
    }
    if (canonical !== o) {
      const hint = canonical ? ` (did you mean ${canonical}?)` : '';
      throw new ConfigError(
        `invalid FLOWYTE_CORS_ORIGINS: ${JSON.stringify(o.slice(0, 200))} is not an exact origin${hint}; expected comma-separated origins such as https://app.example.com,http://localhost:5173`,
      );
    }
    out.add(o);
  }
  return Object.freeze([...out]);
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
  const cors = corsOrigins(env(e, 'FLOWYTE_CORS_ORIGINS'));
  const queryTimeoutMs = int('FLOWYTE_DB_QUERY_TIMEOUT_MS', env(e, 'FLOWYTE_DB_QUERY_TIMEOUT_MS') ?? String(DEFAULT_QUERY_TIMEOUT_MS), 100, 600_000);
  return Object.freeze({ port, host, databaseUrl, dataDir, logLevel, rateLimitPerMin, webRoot, metrics, liveCacheVersions, corsOrigins: cors, queryTimeoutMs });
}
