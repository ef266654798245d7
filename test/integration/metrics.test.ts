import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness, type Tenant } from '../helpers/harness.js';

/** GET /metrics: Prometheus text, off the API prefix, only when enabled. */

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = line.match(/^([a-z_]+)(\{[^}]*\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let h: Harness;
  let off: Harness;
  let t: Tenant;
  beforeAll(async () => {
    h = await makeHarness({ metrics: true, rateLimitPerMin: 30 }); // a burst of 5 per organization
    off = await makeHarness({ webRoot: null });
    t = await h.tenant();
  });
  afterAll(async () => {
    await h?.close();
    await off?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, o: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    h.app.inject({ method, url, headers: { ...(o.key ? { authorization: `Bearer ${o.key}` } : {}), ...o.headers }, ...(o.body !== undefined ? { payload: o.body as object } : {}) });

  it('is absent unless enabled (a JSON 404, not the dashboard)', async () => {
    const r = await off.app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('not_found');
  });

  it('counts requests by route pattern and status, cache lookups, replays, rejections, events and the pool', async () => {
    // a fresh tenant per limit window: 5 requests a minute
    const created = await call('POST', '/api/v1/agents', { key: t.key, body: { name: 'Metered' }, headers: { 'idempotency-key': 'k-1' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().data.id;
    expect((await call('POST', '/api/v1/agents', { key: t.key, body: { name: 'Metered' }, headers: { 'idempotency-key': 'k-1' } })).statusCode).toBe(201); // replay
    expect((await call('POST', `/api/v1/agents/${id}/publish`, { key: t.key, body: {} })).statusCode).toBe(201);
    expect((await call('GET', `/api/v1/agents/${id}/live?channel=voice`, { key: t.key })).statusCode).toBe(200); // pointer miss
    expect((await call('GET', `/api/v1/agents/${id}/live?channel=chat`, { key: t.key })).statusCode).toBe(200); // pointer hit
    expect((await call('GET', `/api/v1/agents/${id}`, { key: t.key })).statusCode).toBe(429); // the 6th in the minute
    expect((await call('GET', '/nowhere.txt')).statusCode).toBe(404);

    const r = await call('GET', '/metrics');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    const text = r.body;
    const count = (route: string, method: string, status: string) => sample(text, 'flowyte_http_request_duration_seconds_count', { route, method, status });
    expect(count('/api/v1/agents', 'POST', '201')).toBe(2);
    expect(count('/api/v1/agents/:id/live', 'GET', '200')).toBe(2);
    expect(count('/api/v1/agents/:id', 'GET', '429')).toBe(1);
    expect(count('unmatched', 'GET', '404')).toBe(1);
    expect(sample(text, 'flowyte_idempotency_replays_total')).toBe(1);
    expect(sample(text, 'flowyte_rate_limit_rejections_total')).toBe(1);
    expect(sample(text, 'flowyte_live_cache_lookups_total', { cache: 'pointer', result: 'miss' })).toBe(1);
    expect(sample(text, 'flowyte_live_cache_lookups_total', { cache: 'pointer', result: 'hit' })).toBe(1);
    expect(sample(text, 'flowyte_live_cache_lookups_total', { cache: 'version', result: 'miss' })).toBe(1);
    expect(sample(text, 'flowyte_change_events_received_total')).toBeGreaterThanOrEqual(2); // create and publish (and the tenant's key)
    expect(sample(text, 'flowyte_db_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'flowyte_db_connections', { state: 'size' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    // no key material in what operators scrape
    expect(text).not.toContain(t.key);
  });

  it('an agent change invalidates its cached live pointer, and the counter shows it', async () => {
    const t2 = await h.tenant('Other');
    const before = sample((await call('GET', '/metrics')).body, 'flowyte_live_cache_invalidations_total') ?? 0;
    const created = await call('POST', '/api/v1/agents', { key: t2.key, body: { name: 'Invalidated' } });
    const id = created.json().data.id;
    await call('POST', `/api/v1/agents/${id}/publish`, { key: t2.key, body: {} });
    expect((await call('GET', `/api/v1/agents/${id}/live?channel=voice`, { key: t2.key })).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/agents/${id}/publish`, { key: t2.key, body: {} })).statusCode).toBe(409); // nothing to publish: no change
    const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/agents/${id}`, headers: { authorization: `Bearer ${t2.key}` }, payload: { tone: 'new' } });
    expect(patched.statusCode).toBe(200);
    const after = sample((await call('GET', '/metrics')).body, 'flowyte_live_cache_invalidations_total') ?? 0;
    expect(after - before).toBe(1);
  });
});
