import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter, type RateDecision, type SharedBuckets } from '../../src/http/rate-limit.js';

/**
 * The per-organization limiter (api.md "Rate limits"), alone and sharing its buckets between
 * several processes through a fake of `rate_limit_buckets` (the same arithmetic as the SQL in
 * src/storage/repos/rate-limits.ts). Time is fake: timers, the statement's latency and the
 * limiter's clock all move together.
 */

/** The shared table: `tat = greatest(tat, now) + allowed × emission`, applied half-way through the round trip. */
class FakeBuckets implements SharedBuckets {
  tats = new Map<string, number>();
  calls: { ids: string[]; allowed: number[] }[] = [];
  latencyMs = 2;
  failing = false;
  hanging = false;
  async sync(ids: string[], allowed: number[], now: number, emissionMs: number) {
    this.calls.push({ ids: [...ids], allowed: [...allowed] });
    if (this.hanging) return new Promise<never>(() => undefined);
    await new Promise((r) => setTimeout(r, this.latencyMs / 2));
    if (this.failing) throw new Error('connection refused');
    const rows = ids.map((id, i) => {
      const tat = Math.max(this.tats.get(id) ?? -Infinity, now) + allowed[i]! * emissionMs;
      this.tats.set(id, tat);
      return { organizationId: id, tat };
    });
    await new Promise((r) => setTimeout(r, this.latencyMs / 2));
    return rows;
  }
  /** requests reported for one organization, over every call */
  reported(id: string): number {
    return this.calls.reduce((n, c) => n + (c.allowed[c.ids.indexOf(id)] ?? 0), 0);
  }
}

const clock = { now: () => Date.now() };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
  vi.setSystemTime(Date.parse('2026-12-01T10:00:00.000Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

/** close() under fake time: its last report takes a (fake) round trip. */
async function closeAll(...limiters: RateLimiter[]): Promise<void> {
  const closing = Promise.all(limiters.map((l) => l.close()));
  await vi.advanceTimersByTimeAsync(50);
  await closing;
}

/** Settles a take, synchronous or not. */
async function settle(d: RateDecision | Promise<RateDecision>): Promise<RateDecision> {
  if (!(d instanceof Promise)) return d;
  let out: RateDecision | undefined;
  void d.then((x) => (out = x));
  for (let i = 0; i < 2000 && !out; i++) await vi.advanceTimersByTimeAsync(1);
  if (!out) throw new Error('take never settled');
  return out;
}

interface Tally {
  allowed: number;
  refused: number;
}

/**
 * `processes` limiters on one store (none: each alone, as before sharing), flooded by
 * organization A with `perMsPerProcess` concurrent requests a millisecond on each for `ms`;
 * organization B meanwhile asks 4 times a second, round-robin. Counts the decisions made in the window.
 */
async function flood(o: { perMinute: number; processes: number; ms: number; perMsPerProcess: number; store: FakeBuckets | null; allowance?: number }) {
  const limiters = Array.from({ length: o.processes }, () => new RateLimiter(o.perMinute, clock, o.store ? { store: o.store, allowance: o.allowance } : undefined));
  const end = Date.now() + o.ms;
  const a: Tally = { allowed: 0, refused: 0 };
  const b: Tally = { allowed: 0, refused: 0 };
  const byProcess = limiters.map(() => 0);
  let bRemaining = Infinity;
  const record = (d: RateDecision | Promise<RateDecision>, t: Tally, onAllowed: () => void = () => undefined) => {
    const count = (x: RateDecision) => {
      if (Date.now() >= end) return; // decided after the window: not counted
      if (x.allowed) {
        t.allowed++;
        onAllowed();
      } else t.refused++;
    };
    if (d instanceof Promise) void d.then(count);
    else count(d);
  };
  for (let t = 0; t < o.ms; t++) {
    limiters.forEach((l, i) => {
      for (let k = 0; k < o.perMsPerProcess; k++) record(l.take('org_A'), a, () => byProcess[i]!++);
    });
    if (t % 250 === 0) {
      const d = limiters[(t / 250) % o.processes]!.take('org_B');
      record(d, b);
      void Promise.resolve(d).then((x) => (bRemaining = Math.min(bRemaining, x.remaining)));
    }
    await vi.advanceTimersByTimeAsync(1);
  }
  await closeAll(...limiters);
  return { a, b, byProcess, bRemaining, limiters };
}

describe('RateLimiter alone (one process)', () => {
  it('is api.md\'s token bucket: a burst of a sixth of the rate, refilled continuously; headers follow it', () => {
    const l = new RateLimiter(60, clock); // capacity 10, a token a second
    expect(l.peek('org_A')).toMatchObject({ allowed: true, limit: 10, remaining: 10, resetSeconds: 0 });
    const first = l.take('org_A') as RateDecision;
    expect(first).toMatchObject({ allowed: true, limit: 10, remaining: 9, resetSeconds: 1 });
    for (let i = 0; i < 9; i++) expect((l.take('org_A') as RateDecision).allowed).toBe(true);
    const refused = l.take('org_A') as RateDecision;
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 10, retryAfterSeconds: 1 });
    vi.advanceTimersByTime(999);
    expect((l.take('org_A') as RateDecision).allowed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(l.take('org_A')).toMatchObject({ allowed: true, remaining: 0 });
    expect(l.peek('org_A')).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect((l.take('org_B') as RateDecision).remaining).toBe(9); // another organization, another bucket
    vi.advanceTimersByTime(60_000);
    expect(l.peek('org_A').remaining).toBe(10); // never more than the capacity
    expect(l.rejected).toBe(2);
  });

  it('a fractional emission interval (7 a minute) still counts whole tokens exactly', () => {
    const l = new RateLimiter(42, clock); // capacity 7, one every 1 428.57… ms
    const seen = Array.from({ length: 7 }, () => l.take('o') as RateDecision);
    expect(seen.map((d) => d.allowed)).toEqual(Array(7).fill(true));
    expect(seen.map((d) => d.remaining)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect((l.take('o') as RateDecision).allowed).toBe(false);
    vi.advanceTimersByTime(1428); // just short of one token
    expect((l.take('o') as RateDecision).allowed).toBe(false);
    vi.advanceTimersByTime(1);
    expect((l.take('o') as RateDecision).allowed).toBe(true);
  });
});

describe('RateLimiter sharing its buckets (several processes on one PostgreSQL)', () => {
  it('three processes flooded at once allow the organization-wide bucket within 10 % (300/min, 1200/min, 60 000/min)', async () => {
    for (const perMinute of [300, 1200, 60_000]) {
      const store = new FakeBuckets();
      const ms = 5000;
      const { a, byProcess } = await flood({ perMinute, processes: 3, ms, perMsPerProcess: 3, store });
      const capacity = Math.floor(perMinute / 6);
      const expected = capacity + (perMinute / 60_000) * ms; // full at the start, refilled for the window
      const allowance = Math.max(1, Math.floor(capacity / 100));
      expect(a.allowed, `${perMinute}/min`).toBeLessThanOrEqual(expected + 3 * allowance); // the documented bound
      expect(a.allowed, `${perMinute}/min`).toBeGreaterThanOrEqual(expected * 0.9);
      expect(Math.abs(a.allowed - expected) / expected, `${perMinute}/min`).toBeLessThan(0.1);
      // every process served a share: no process starved, none had the bucket to itself
      for (const n of byProcess) expect(n, `${perMinute}/min`).toBeGreaterThan(0);
      // and everything allowed was reported
      expect(store.reported('org_A'), `${perMinute}/min`).toBeGreaterThanOrEqual(a.allowed);
    }
  });

  it('without sharing, three processes allow about three times the rate (what the shared bucket prevents)', async () => {
    const { a } = await flood({ perMinute: 300, processes: 3, ms: 5000, perMsPerProcess: 3, store: null });
    expect(a.allowed).toBeGreaterThan(2.5 * (50 + 25));
  });

  it('the worst case is the documented bound: processes that have not heard yet each allow their allowance; the overdraft is then paid back', async () => {
    const store = new FakeBuckets();
    const [p1, p2, p3] = [0, 1, 2].map(() => new RateLimiter(300, clock, { store, allowance: 10 })); // capacity 50, one every 200 ms
    const tStart = Date.now();
    let n = 0;
    for (let i = 0; i < 60; i++) if ((await settle(p1!.take('org_A'))).allowed) n++;
    expect(n).toBe(50);
    await vi.advanceTimersByTimeAsync(150); // p1 has reported everything
    expect(store.tats.get('org_A')! - tStart).toBeGreaterThanOrEqual(50 * 200);
    // p2 and p3 have never seen the organization: each allows its allowance on its own…
    for (const p of [p2!, p3!]) {
      for (let i = 0; i < 10; i++) expect(p.take('org_A')).toMatchObject({ allowed: true });
      // …and the next request waits for the sync, which tells it the bucket is empty
      expect((await settle(p.take('org_A'))).allowed).toBe(false);
    }
    await vi.advanceTimersByTimeAsync(150);
    // 70 allowed = capacity + 2 × allowance (≤ 3 × allowance), all charged: the bucket is 20 requests in debt
    expect(store.tats.get('org_A')! - tStart).toBeGreaterThanOrEqual(70 * 200);
    expect(store.tats.get('org_A')! - tStart).toBeLessThan(70 * 200 + 100);
    // so nobody is allowed again until the debt and the next token are paid: 21 × 200 ms after the start
    let waited = 0;
    for (;;) {
      if ((await settle(p3!.take('org_A'))).allowed) {
        waited = Date.now() - tStart;
        break;
      }
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(waited).toBeGreaterThanOrEqual(21 * 200);
    expect(waited).toBeLessThan(21 * 200 + 200);
    await closeAll(p1!, p2!, p3!);
  });

  it('a flooding organization does not starve another: separate buckets, one statement for both', async () => {
    const store = new FakeBuckets();
    const { b, bRemaining } = await flood({ perMinute: 300, processes: 3, ms: 3000, perMsPerProcess: 3, store });
    expect(b).toEqual({ allowed: 12, refused: 0 });
    expect(bRemaining).toBeGreaterThanOrEqual(50 - 12 - 1);
    // the two organizations went to the database together, never one statement each
    expect(store.calls.some((c) => c.ids.includes('org_A') && c.ids.includes('org_B'))).toBe(true);
    for (const c of store.calls) expect(new Set(c.ids).size).toBe(c.ids.length);
  });

  it('costs one statement per interval per process plus one per allowance used, however many requests are refused', async () => {
    const slow = new FakeBuckets();
    await flood({ perMinute: 1200, processes: 3, ms: 3000, perMsPerProcess: 1, store: slow });
    const fast = new FakeBuckets();
    const { a } = await flood({ perMinute: 1200, processes: 3, ms: 3000, perMsPerProcess: 6, store: fast }); // 18 000 requests a second
    const bound = 3 * (3000 / 100 + 2) + a.allowed / 2; // 3 processes × (30 intervals + 2), + allowed / allowance (2)
    expect(slow.calls.length).toBeLessThanOrEqual(bound);
    expect(fast.calls.length).toBeLessThanOrEqual(bound);
    // six times the requests, about the same number of statements
    expect(fast.calls.length).toBeLessThan(slow.calls.length * 1.5);
  });

  it('an idle process runs no statement; an active one reports within the interval, then stops', async () => {
    const store = new FakeBuckets();
    const l = new RateLimiter(1200, clock, { store });
    await vi.advanceTimersByTimeAsync(5000);
    expect(store.calls).toHaveLength(0);
    expect((l.take('org_A') as RateDecision).allowed).toBe(true); // under the allowance (2): no waiting, no statement yet
    expect(store.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(store.calls).toEqual([{ ids: ['org_A'], allowed: [1] }]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(store.calls).toHaveLength(1);
  });

  it('a process learns what the others consumed: headers then show the organization-wide bucket', async () => {
    const store = new FakeBuckets();
    const p1 = new RateLimiter(300, clock, { store }); // capacity 50, 5 a second
    const p2 = new RateLimiter(300, clock, { store });
    for (let i = 0; i < 50; i++) expect((await settle(p1.take('org_A'))).allowed).toBe(true);
    expect((await settle(p1.take('org_A'))).allowed).toBe(false);
    // p2 has not heard yet: it may allow at most its allowance (1) on its own…
    expect((await settle(p2.take('org_A'))).allowed).toBe(true);
    // …then it knows: refused, with the organization's figures
    const d = await settle(p2.take('org_A'));
    expect(d).toMatchObject({ allowed: false, limit: 50, remaining: 0 });
    expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(store.tats.get('org_A')! - Date.now()).toBeGreaterThan(50 * 200 - 50); // 51 charged, ~10 s to full
    await closeAll(p1, p2);
  });

  it('past its allowance, a request waits for the sync in flight instead of guessing', async () => {
    const store = new FakeBuckets();
    store.latencyMs = 40;
    const l = new RateLimiter(1200, clock, { store }); // allowance 2
    expect((l.take('org_A') as RateDecision).allowed).toBe(true);
    expect((l.take('org_A') as RateDecision).allowed).toBe(true); // the allowance used: a sync starts
    const third = l.take('org_A');
    expect(third).toBeInstanceOf(Promise);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.calls).toEqual([{ ids: ['org_A'], allowed: [2] }]);
    let settled = false;
    void (third as Promise<RateDecision>).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(30);
    expect(settled).toBe(false);
    expect((await settle(third)).allowed).toBe(true);
    expect(settled).toBe(true);
    await closeAll(l);
  });

  it('a database that does not answer holds a request at most maxWaitMs, then the process decides alone', async () => {
    const store = new FakeBuckets();
    store.hanging = true;
    const l = new RateLimiter(1200, clock, { store, maxWaitMs: 300 });
    l.take('org_A');
    l.take('org_A');
    const t0 = Date.now();
    const d = await settle(l.take('org_A'));
    expect(d.allowed).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(Date.now() - t0).toBeLessThan(400);
    // no other request waits on that database: they are decided alone until a sync succeeds
    expect(l.take('org_A')).toMatchObject({ allowed: true });
    expect(l.take('org_A')).toMatchObject({ allowed: true });
  });

  it('a failing database: reported once, the process limits alone (the bucket still holds there), then catches up', async () => {
    const store = new FakeBuckets();
    store.failing = true;
    const errors: unknown[] = [];
    const l = new RateLimiter(300, clock, { store, onError: (e) => errors.push(e) });
    const seen: boolean[] = [];
    for (let i = 0; i < 60; i++) {
      seen.push((await settle(l.take('org_A'))).allowed);
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(seen.filter(Boolean)).toHaveLength(50); // its own bucket: 50 (and no request hung)
    expect(errors).toHaveLength(1);
    expect(l.syncFailures).toBeGreaterThanOrEqual(1);
    const failedCalls = store.calls.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(store.calls.length - failedCalls).toBeLessThanOrEqual(4); // retried about once a second, not per request
    store.failing = false;
    await vi.advanceTimersByTimeAsync(1100);
    // what it allowed meanwhile reaches the shared bucket, capped at one bucketful
    expect(store.tats.get('org_A')).toBeGreaterThan(Date.now() + 40 * 200);
    expect(store.calls.at(-1)!.allowed).toEqual([50]);
    await closeAll(l);
  });

  it('close() reports what is unreported and stops the timers', async () => {
    const store = new FakeBuckets();
    const l = new RateLimiter(1200, clock, { store });
    l.take('org_A');
    await closeAll(l);
    expect(store.calls).toEqual([{ ids: ['org_A'], allowed: [1] }]);
    expect(vi.getTimerCount()).toBe(0);
    expect((l.take('org_A') as RateDecision).allowed).toBe(true); // alone after close, never waiting
  });
});
