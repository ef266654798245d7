import type { Db } from '../storage/db.js';
import type { Clock } from '../clock.js';
import { findApiKeyByHash, touchApiKey } from '../storage/repos/api-keys.js';
import { hashKey, isWellFormedKey } from './key-format.js';
import { effectiveScopes, type Scope } from './scopes.js';

export interface Principal {
  organizationId: string;
  keyId: string;
  scopes: string[];
  /** `scopes` and everything they imply: what a route's scope is checked against (computed once per verification) */
  effective: ReadonlySet<Scope>;
}

/**
 * How long a verification is trusted: api.md lets a revocation take effect within one second.
 * While the event seam is connected, a revocation on any process evicts the entry within
 * milliseconds, so an entry is trusted longer (TRUSTED_CACHE_MS); when the seam is not trusted
 * (a PostgreSQL listener that lost its connection), one second, as api.md allows.
 */
const CACHE_MS = 1000;
const TRUSTED_CACHE_MS = 60_000;
const LAST_USED_EVERY_MS = 60_000;

/**
 * Verifies bearer keys by SHA-256 lookup (no secret comparison to time). Successful lookups are
 * cached, keyed by the hash, never the secret: for a minute while the event seam is connected (a
 * revocation by any process evicts at once), else for under a second. `lastUsedAt` is written at most once a minute per key, off the request path.
 */
export class KeyVerifier {
  private cache = new Map<string, { p: Principal; at: number }>();
  private lastTouched = new Map<string, number>();

  constructor(
    private db: Db,
    private clock: Clock,
    private onError: (err: unknown) => void = () => undefined,
    /** the event seam: a lookup during which an event arrived (a revocation?) is used once, not cached */
    private changes: { readonly generation: number; readonly connected: boolean } = { generation: 0, connected: false },
  ) {}

  async verify(authorization: string | undefined): Promise<Principal | null> {
    if (!authorization) return null;
    const m = /^Bearer ([^\s]+)$/i.exec(authorization.trim()); // the scheme is case-insensitive (RFC 9110 §11.1)
    if (!m || !isWellFormedKey(m[1]!)) return null;
    const hash = hashKey(m[1]!);
    const now = this.clock.now();
    const hit = this.cache.get(hash);
    let p: Principal | null;
    if (hit && now - hit.at < (this.changes.connected ? TRUSTED_CACHE_MS : CACHE_MS)) p = hit.p;
    else {
      const generation = this.changes.generation;
      const row = await findApiKeyByHash(this.db, hash);
      if (!row || row.revokedAt) {
        this.cache.delete(hash);
        return null;
      }
      p = { organizationId: row.organizationId, keyId: row.id, scopes: row.scopes, effective: effectiveScopes(row.scopes) };
      if (generation === this.changes.generation) {
        if (this.cache.size > 10_000) this.cache.clear();
        this.cache.set(hash, { p, at: now });
      }
    }
    this.touch(p, now);
    return p;
  }

  /** A key was revoked (by any process: the event seam tells). */
  evict(keyId: string): void {
    for (const [h, v] of this.cache) if (v.p.keyId === keyId) this.cache.delete(h);
  }

  /** Forget every verification (the event seam resynced). */
  clear(): void {
    this.cache.clear();
  }

  private touch(p: Principal, now: number): void {
    const last = this.lastTouched.get(p.keyId) ?? 0;
    if (now - last < LAST_USED_EVERY_MS) return;
    this.lastTouched.set(p.keyId, now);
    setImmediate(() => {
      touchApiKey(this.db, p.organizationId, p.keyId, new Date(now)).catch(this.onError);
    });
  }
}
