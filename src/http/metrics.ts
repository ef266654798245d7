import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../storage/db.js';
import type { ChangeFeed } from '../events/change-feed.js';
import type { LiveConfigService } from '../domain/live/live-config.js';
import type { IdempotencyService } from '../domain/idempotency.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * `GET /metrics` in the Prometheus text format (prom-client), off the API prefix. The hot path
 * pays one histogram observation per request (onResponse); everything else is a plain counter
 * the services keep anyway, read at scrape time.
 */
export interface MetricSources {
  db: Db;
  changes: ChangeFeed;
  live: LiveConfigService;
  idempotency: IdempotencyService;
  limiter: RateLimiter;
}

/** Counters read at scrape time: `value()` is the running total a service keeps. */
function totalCounter(registry: Registry, name: string, help: string, value: () => number, labelNames: string[] = [], byLabel?: () => [Record<string, string>, number][]) {
  return new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      if (byLabel) for (const [labels, v] of byLabel()) this.inc(labels, v);
      else this.inc(value());
    },
  });
}

export function registerMetrics(app: FastifyInstance, s: MetricSources): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const requests = new Histogram({
    name: 'flowyte_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status: count and latency',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // one child per (route, method, status), found once: the hot path does no label hashing
  const children = new Map<string, ReturnType<typeof requests.labels>>();
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `${route} ${req.method} ${reply.statusCode}`;
    let child = children.get(key);
    if (!child) {
      // unmatched paths share one label value: a scanner cannot grow the label set
      child = requests.labels(route, req.method, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });

  totalCounter(registry, 'flowyte_live_cache_lookups_total', 'Live-config cache lookups by cache (pointer: agent → live version; version: the prepared version) and result', () => 0, ['cache', 'result'], () => [
    [{ cache: 'pointer', result: 'hit' }, s.live.stats.pointerHits],
    [{ cache: 'pointer', result: 'miss' }, s.live.stats.pointerMisses],
    [{ cache: 'version', result: 'hit' }, s.live.stats.versionHits],
    [{ cache: 'version', result: 'miss' }, s.live.stats.versionMisses],
  ]);
  totalCounter(registry, 'flowyte_live_cache_invalidations_total', 'Cached live pointers dropped because their agent changed (any process)', () => s.live.stats.invalidations);
  totalCounter(registry, 'flowyte_change_events_received_total', 'Change events received through the post-commit seam (this process and, on PostgreSQL, the others)', () => s.changes.stats.events);
  totalCounter(registry, 'flowyte_change_resyncs_total', 'Times the change listener (re)connected and every cache was dropped', () => s.changes.stats.resyncs);
  totalCounter(registry, 'flowyte_idempotency_replays_total', 'Stored answers replayed for a repeated Idempotency-Key', () => s.idempotency.replays);
  totalCounter(registry, 'flowyte_rate_limit_rejections_total', 'Requests refused with 429 rate_limited', () => s.limiter.rejected);
  totalCounter(registry, 'flowyte_rate_limit_syncs_total', 'Statements that shared this process\'s rate-limit buckets with the other processes (PostgreSQL), by result', () => 0, ['result'], () => [
    [{ result: 'ok' }, s.limiter.syncs - s.limiter.syncFailures],
    [{ result: 'failed' }, s.limiter.syncFailures],
  ]);
  new Gauge({
    name: 'flowyte_db_connections',
    help: 'Database connections by state (in_use, waiting: requests queued for one; size: the pool maximum)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = s.db.poolStats();
      this.set({ state: 'in_use' }, p.inUse);
      this.set({ state: 'waiting' }, p.waiting);
      this.set({ state: 'size' }, p.size);
    },
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
}
