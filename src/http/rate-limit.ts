import type { Clock } from '../clock.js';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
}

/**
 * Per-organization token bucket (api.md "Rate limits"): refills `perMinute` tokens a minute,
 * holds ten seconds' worth. Kept in process memory: with several processes on one PostgreSQL
 * each enforces the limit on its own (documented in the README).
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  readonly capacity: number;
  private perMs: number;

  constructor(private perMinute: number, private clock: Clock) {
    this.capacity = Math.max(1, Math.floor(perMinute / 6));
    this.perMs = perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  /** Requests refused for want of a token (read by /metrics). */
  rejected = 0;

  /** Consumes one token when there is one. */
  take(orgId: string): RateDecision {
    const d = this.decide(orgId, true);
    if (!d.allowed) this.rejected++;
    return d;
  }

  /** The bucket's state without consuming (for answers that cost nothing, such as 403). */
  peek(orgId: string): RateDecision {
    return this.decide(orgId, false);
  }

  private decide(orgId: string, consume: boolean): RateDecision {
    const now = this.clock.now();
    const b = this.buckets.get(orgId) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, now - b.at) * this.perMs);
    b.at = now;
    const allowed = b.tokens >= 1;
    if (allowed && consume) b.tokens -= 1;
    this.buckets.set(orgId, b);
    return {
      allowed,
      limit: this.capacity,
      remaining: Math.floor(b.tokens),
      resetSeconds: Math.ceil((this.capacity - b.tokens) / this.perMs / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)),
    };
  }
}
