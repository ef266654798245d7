import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { syncRateBuckets } from '../../src/storage/repos/rate-limits.js';
import { call, makeHarness, TestClock, type Harness } from '../helpers/harness.js';
import { DB_KIND } from '../helpers/db.js';

/**
 * The organization-wide rate-limit bucket several processes share (api.md "Rate limits";
 * src/http/rate-limit.ts): the statement, and two apps on one database standing for two
 * processes. The three-process flood is test/e2e/three-processes.test.ts.
 */

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

async function harness(...args: Parameters<typeof makeHarness>): Promise<Harness> {
  const h = await makeHarness(...args);
  harnesses.push(h);
  return h;
}

async function tat(h: Harness, orgId: string): Promise<number | null> {
  const [row] = await h.db.query<{ tat: number }>('SELECT tat FROM rate_limit_buckets WHERE organization_id = $1', [orgId]);
  return row ? row.tat : null;
}

/** Polls the shared row until `ok` holds (a sync is a background statement). */
async function until(h: Harness, orgId: string, ok: (t: number | null) => boolean): Promise<number | null> {
  const t0 = Date.now();
  for (;;) {
    const t = await tat(h, orgId);
    if (ok(t)) return t;
    if (Date.now() - t0 > 3000) throw new Error(`shared bucket stayed at ${t}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('rate_limit_buckets', () => {
  it('one statement charges each organization its requests (an idle bucket refilled first) and returns every bucket', async () => {
    const h = await harness();
    const T = 200;
    const now = 1_800_000_000_000;
    expect(await syncRateBuckets(h.db, ['org_a', 'org_b'], [3, 0], now, T)).toEqual(
      expect.arrayContaining([
        { organizationId: 'org_a', tat: now + 3 * T }, // new: full, then 3 charged
        { organizationId: 'org_b', tat: now }, // only asked about: full
      ]),
    );
    // in debt: charged on top
    expect(await syncRateBuckets(h.db, ['org_a'], [1], now + 100, T)).toEqual([{ organizationId: 'org_a', tat: now + 4 * T }]);
    // idle long enough to be full again: refilled up to full (never beyond), then charged
    expect(await syncRateBuckets(h.db, ['org_a'], [2], now + 10_000, T)).toEqual([{ organizationId: 'org_a', tat: now + 10_000 + 2 * T }]);
    expect(await syncRateBuckets(h.db, [], [], now, T)).toEqual([]);
    if (DB_KIND === 'postgres') {
      // soft state: no WAL, so a sync never waits for a flush to disk
      const [rel] = await h.db.query<{ p: string }>("SELECT relpersistence AS p FROM pg_class WHERE relname = 'rate_limit_buckets'");
      expect(rel!.p).toBe('u');
    }
  });

  it('the embedded database keeps its buckets in memory; PostgreSQL shares them by default', async () => {
    const h = await harness({ rateLimitPerMin: 60 });
    const t = await h.tenant();
    for (let i = 0; i < 3; i++) expect((await call(h.app, 'GET', '/api/v1/me', { key: t.key })).statusCode).toBe(200);
    if (DB_KIND === 'postgres') expect(await until(h, t.orgId, (x) => x !== null && x > Date.now() + 1500)).not.toBeNull();
    else {
      await new Promise((r) => setTimeout(r, 300)); // two sync intervals
      expect(await tat(h, t.orgId)).toBeNull();
    }
  });

  it('two apps on one database share each organization\'s bucket: one may allow its allowance before it hears, then refuses', async () => {
    const clock = new TestClock();
    const h = await harness({ rateLimitPerMin: 60, clock, sharedRateLimit: true }); // a bucket of 10, one a second; allowance 1
    const other = await buildApp({ db: h.db, rateLimitPerMin: 60, clock, sharedRateLimit: true, webRoot: null });
    try {
      const t = await h.tenant();
      const t0 = clock.now();
      const seen: number[] = [];
      for (let i = 0; i < 11; i++) seen.push((await call(h.app, 'GET', '/api/v1/me', { key: t.key })).statusCode);
      expect(seen).toEqual([...Array(10).fill(200), 429]);
      await until(h, t.orgId, (x) => x === t0 + 10_000); // all ten reported

      // the other process has not heard of this organization: it allows one (its allowance)…
      const first = await call(other, 'GET', '/api/v1/me', { key: t.key });
      expect(first.statusCode).toBe(200);
      // …and the next waits for its sync, which tells it the bucket is spent
      const second = await call(other, 'GET', '/api/v1/me', { key: t.key });
      expect(second.statusCode).toBe(429);
      expect(second.headers['ratelimit-limit']).toBe('10');
      expect(second.headers['ratelimit-remaining']).toBe('0');
      expect(second.headers['retry-after']).toBe('2'); // 11 charged: the bucket is one in debt
      // the overdraft is charged, so it is paid back: 11 requests cost 11 seconds
      expect(await until(h, t.orgId, (x) => x === t0 + 11_000)).toBe(t0 + 11_000);
      // 401 and 403 consume nothing on either
      const reader = await t.mint(['agents:read']);
      for (const app of [h.app, other]) {
        expect((await call(app, 'POST', '/api/v1/agents', { key: reader.key, body: { name: 'n' } })).statusCode).toBe(403);
        expect((await call(app, 'GET', '/api/v1/me', { key: `flowyte_sk_live_${'2'.repeat(32)}` })).statusCode).toBe(401);
      }
      await new Promise((r) => setTimeout(r, 250));
      expect(await tat(h, t.orgId)).toBe(t0 + 11_000);
    } finally {
      await other.close();
    }
  });
});
