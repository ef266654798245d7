import type { Clock } from '../clock.js';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
}

/**
 * The organization-wide buckets several processes share (PostgreSQL: `rate_limit_buckets`,
 * src/storage/repos/rate-limits.ts). One call is one statement for every organization given:
 * it adds `allowed[i]` requests to organization `organizationIds[i]`'s bucket — an idle bucket
 * refilled up to full at `now` first — and returns each bucket's theoretical arrival time after.
 */
export interface SharedBuckets {
  sync(organizationIds: string[], allowed: number[], now: number, emissionMs: number): Promise<{ organizationId: string; tat: number }[]>;
}

export interface SharedOptions {
  store: SharedBuckets;
  /** how often a process reports and learns while an organization is active (default 100 ms) */
  syncIntervalMs?: number;
  /**
   * Requests a process may allow for one organization on what it knows, before it must report
   * them and learn the organization-wide state (default max(1, ⌊capacity / 100⌋)). The error
   * bound: the organization's bucket is overdrawn by at most processes × allowance.
   */
  allowance?: number;
  /** longest a request waits for a sync before this process decides alone (default 2000 ms) */
  maxWaitMs?: number;
  /** a sync not answered by then counts as failed (default 5000 ms) */
  syncTimeoutMs?: number;
  /** the first failed sync since the last success (the process then limits on its own, retrying once a second, until one succeeds) */
  onError?: (err: unknown) => void;
}

interface Bucket {
  /** GCRA theoretical arrival time (ms): the organization-wide state last learned plus what this process allowed since */
  tat: number;
  /** allowed here and not yet reported */
  unsent: number;
  /** allowed here and in the statement in flight */
  sending: number;
  /** asked about (allowed or refused) since the last sync began */
  asked: boolean;
}

/**
 * Slack for float arithmetic on epoch milliseconds (an ulp there is ~0.0002 ms): 10 µs, far
 * below any emission interval a realistic rate has.
 */
const TOLERANCE_MS = 0.01;

/**
 * Per-organization token bucket (api.md "Rate limits"): refills `perMinute` tokens a minute,
 * holds ten seconds' worth — kept as a GCRA theoretical arrival time (the instant the bucket is
 * full again), which is the same bucket in one number.
 *
 * Alone (embedded database, or no shared store) the bucket lives in process memory. With a
 * shared store (several processes on one PostgreSQL) each process still decides every request
 * from memory, and off the request path reports the requests it allowed and learns the
 * organization-wide bucket back, in one statement for every organization active since the last
 * sync: every `syncIntervalMs`, and at once when an organization has used this process's
 * `allowance` since its last report. A process never holds more than `allowance` unreported
 * requests of one organization: one more waits for the sync in flight (a burst faster than
 * `allowance` requests per database round trip; it then decides on fresh figures). So with P
 * processes the organization's bucket is overdrawn by at most P × allowance requests, and the
 * overdraft is charged (the bucket goes into debt) so it is paid back, not carried: over any
 * window the organization gets the bucket's figure within P × allowance.
 */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();
  readonly capacity: number;
  /** ms per token */
  readonly emissionMs: number;
  readonly allowance: number;
  private shared: Required<Omit<SharedOptions, 'onError'>> & Pick<SharedOptions, 'onError'> | null;

  /** Requests refused for want of a token (read by /metrics). */
  rejected = 0;
  /** Sync statements run, and those that failed (read by /metrics). */
  syncs = 0;
  syncFailures = 0;

  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private flight: Promise<void> | null = null;
  /** a sync was asked for while one was in flight */
  private again = false;
  /** the last sync failed: decide alone, without the allowance, until one succeeds */
  private degraded = false;
  /** a failure has been reported to onError since the last success */
  private reported = false;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(private perMinute: number, private clock: Clock, shared?: SharedOptions) {
    this.capacity = Math.max(1, Math.floor(perMinute / 6));
    this.emissionMs = perMinute > 0 ? 60_000 / perMinute : Infinity;
    this.allowance = Math.max(1, Math.floor(shared?.allowance ?? this.capacity / 100));
    this.shared =
      shared && perMinute > 0
        ? {
            store: shared.store,
            syncIntervalMs: shared.syncIntervalMs ?? 100,
            allowance: this.allowance,
            maxWaitMs: shared.maxWaitMs ?? 2000,
            syncTimeoutMs: shared.syncTimeoutMs ?? 5000,
            onError: shared.onError,
          }
        : null;
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  /**
   * Consumes one token when there is one. Synchronous, except for a request that would take
   * this process past its allowance while its report is in flight: that one waits for the sync.
   */
  take(orgId: string): RateDecision | Promise<RateDecision> {
    return this.takeAt(orgId, false) ?? this.waitAndTake(orgId);
  }

  /** The bucket's state without consuming (for answers that cost nothing, such as 403). */
  peek(orgId: string): RateDecision {
    const now = this.clock.now();
    const base = Math.max(this.buckets.get(orgId)?.tat ?? -Infinity, now);
    return this.decision(base, now, this.fits(base, now));
  }

  /** One more request fits in a bucket whose (clipped) theoretical arrival time is `base`. */
  private fits(base: number, now: number): boolean {
    return base + this.emissionMs - now <= this.capacity * this.emissionMs + TOLERANCE_MS;
  }

  /** The decision, or null when this process must hear from the others first (past its allowance). */
  private takeAt(orgId: string, alone: boolean): RateDecision | null {
    const now = this.clock.now();
    let b = this.buckets.get(orgId);
    if (!b) this.buckets.set(orgId, (b = { tat: -Infinity, unsent: 0, sending: 0, asked: false }));
    const base = Math.max(b.tat, now);
    const allowed = this.fits(base, now);
    const s = this.shared;
    if (!s || this.closed) {
      if (allowed) b.tat = base + this.emissionMs;
      else this.rejected++;
      return this.decision(allowed ? b.tat : base, now, allowed);
    }
    b.asked = true;
    if (!allowed) {
      this.rejected++;
      this.syncLater();
      return this.decision(base, now, false);
    }
    if (!alone && !this.degraded && b.unsent + b.sending >= s.allowance) return null;
    b.tat = base + this.emissionMs;
    b.unsent++;
    if (!this.degraded && b.unsent + b.sending >= s.allowance) this.syncSoon();
    else this.syncLater();
    return this.decision(b.tat, now, true);
  }

  private decision(tat: number, now: number, allowed: boolean): RateDecision {
    const debt = Math.max(0, tat - now); // ms until the bucket is full
    const tokens = this.capacity - debt / this.emissionMs;
    return {
      allowed,
      limit: this.capacity,
      remaining: Math.max(0, Math.floor(tokens + TOLERANCE_MS / this.emissionMs)),
      resetSeconds: Math.max(0, Math.ceil((debt - TOLERANCE_MS) / 1000)),
      retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * this.emissionMs - TOLERANCE_MS) / 1000)),
    };
  }

  /** Waits for the next sync to end (or `maxWaitMs`, then decides alone), then decides again. */
  private async waitAndTake(orgId: string): Promise<RateDecision> {
    const s = this.shared!;
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => (timeout = setTimeout(() => resolve(true), s.maxWaitMs)));
    try {
      for (;;) {
        // a sync in flight wakes us when it ends (then we ask for another if we still need one)
        if (!this.flight) this.syncSoon();
        const woke = new Promise<false>((resolve) => this.waiters.push(() => resolve(false)));
        const late = await Promise.race([woke, timedOut]);
        // the database is too slow to wait for: decide alone until a sync succeeds
        if (late) this.degraded = true;
        const d = this.takeAt(orgId, late);
        if (d) return d;
      }
    } finally {
      clearTimeout(timeout);
    }
  }

  /** A sync as soon as the current one (if any) ends: an organization has used its allowance. */
  private syncSoon(): void {
    if (this.closed) return;
    if (this.flight) {
      this.again = true;
      return;
    }
    if (this.immediate) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.immediate = setImmediate(() => this.run());
  }

  /** A sync within the interval, unless one is already coming. */
  private syncLater(): void {
    if (this.closed || this.flight || this.timer || this.immediate) return;
    // while the database fails, retry once a second rather than every interval
    this.timer = setTimeout(() => this.run(), this.degraded ? Math.max(1000, this.shared!.syncIntervalMs) : this.shared!.syncIntervalMs);
    this.timer.unref();
  }

  /** One statement: report every active organization's allowed requests, learn each one's bucket. */
  private run(): void {
    this.timer = null;
    this.immediate = null;
    const s = this.shared!;
    const ids: string[] = [];
    const counts: number[] = [];
    const now = this.clock.now();
    for (const [id, b] of this.buckets) {
      if (!b.asked && b.unsent === 0) {
        // a quiet bucket that has refilled is forgotten (memory stays bounded by the active organizations)
        if (b.sending === 0 && b.tat <= now) this.buckets.delete(id);
        continue;
      }
      ids.push(id);
      counts.push(Math.min(b.unsent, this.capacity)); // more than a bucketful (after an outage) would only over-charge
      b.sending = b.unsent;
      b.unsent = 0;
      b.asked = false;
    }
    if (ids.length === 0) {
      this.wake();
      return;
    }
    this.syncs++;
    let statement: Promise<{ organizationId: string; tat: number }[]>;
    try {
      statement = s.store.sync(ids, counts, now, this.emissionMs);
    } catch (err) {
      statement = Promise.reject(err);
    }
    let abandon: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      abandon = setTimeout(() => reject(new Error(`rate-limit sync not answered in ${s.syncTimeoutMs} ms`)), s.syncTimeoutMs);
      abandon.unref();
    });
    this.flight = Promise.race([statement, timedOut])
      .then(
        (rows) => {
          this.degraded = false;
          this.reported = false;
          for (const r of rows) {
            const b = this.buckets.get(r.organizationId);
            // what this process allowed while the statement was in flight is not in `tat` yet
            if (b) b.tat = Math.max(b.tat, r.tat + b.unsent * this.emissionMs);
          }
          for (const id of ids) {
            const b = this.buckets.get(id);
            if (!b) continue;
            b.sending = 0;
          }
        },
        (err: unknown) => {
          this.syncFailures++;
          if (!this.reported) s.onError?.(err);
          this.reported = true;
          this.degraded = true;
          for (const id of ids) {
            const b = this.buckets.get(id);
            if (!b) continue;
            b.unsent = Math.min(this.capacity, b.unsent + b.sending); // reported by a later sync
            b.sending = 0;
          }
        },
      )
      .finally(() => {
        clearTimeout(abandon);
        this.flight = null;
        const soon = this.again;
        this.again = false;
        this.wake();
        if (soon && !this.degraded) this.syncSoon();
        else if ([...this.buckets.values()].some((b) => b.asked || b.unsent > 0)) this.syncLater();
      });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Stops syncing after one last report of what is unreported (best effort). */
  async close(): Promise<void> {
    if (!this.shared || this.closed) return;
    this.stopTimers();
    await this.flight;
    if (!this.degraded && [...this.buckets.values()].some((b) => b.unsent > 0)) {
      this.run();
      await this.flight;
    }
    this.closed = true;
    this.stopTimers();
    this.wake();
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
