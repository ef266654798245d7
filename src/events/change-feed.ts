import type { ChangeEvent } from './change-event.js';

export type { ChangeEvent };

const SEEN_MAX = 4096;

/**
 * The one post-commit event seam of a process. Events come from two sides: the transactions this
 * process commits (published at once, `Db.onCommit`) and, on PostgreSQL, the notifications of
 * every process's commits (src/storage/pg-listener.ts); an event seen twice is delivered once.
 *
 * Caches built on it (key verification, the live-config pointers) follow two rules:
 * - trust a cached value only while the feed is `connected`: always for the in-process feed;
 *   for the PostgreSQL listener, for one second past the last heartbeat that proved every earlier
 *   commit's notification had arrived (a half-open connection stops being trusted by itself);
 *   `resync` listeners drop everything mutable when the listener (re)connects;
 * - store a value read from the database only if `generation` did not move during the read
 *   (an event in between may have made it stale).
 */
export class ChangeFeed {
  private listeners = new Set<(e: ChangeEvent) => void>();
  private resyncListeners = new Set<() => void>();
  private seen = new Set<string>();
  /** epoch ms until which caches may trust themselves */
  private trustedUntil: number;
  /** Increases with every event and every resync. */
  generation = 0;
  /** Counters for operators (read by /metrics): distinct events received, resyncs. */
  readonly stats = { events: 0, resyncs: 0 };

  /**
   * `trusted: false` for a feed that other processes' changes reach through a listener: caches
   * are bypassed until it says it is listening (`resync`) and keeps proving it (`extendTrust`).
   */
  constructor(
    trusted = true,
    private onListenerError: (err: unknown) => void = () => undefined,
    private now: () => number = Date.now,
  ) {
    this.trustedUntil = trusted ? Infinity : 0;
  }

  /** Whether caches may serve what they hold now. */
  get connected(): boolean {
    return this.now() < this.trustedUntil;
  }

  subscribe(fn: (e: ChangeEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  onResync(fn: () => void): () => void {
    this.resyncListeners.add(fn);
    return () => void this.resyncListeners.delete(fn);
  }

  publish(events: readonly ChangeEvent[]): void {
    for (const e of events) {
      if (this.seen.has(e.id)) continue;
      if (this.seen.size >= SEEN_MAX) this.seen.clear();
      this.seen.add(e.id);
      this.generation++;
      this.stats.events++;
      for (const fn of this.listeners) this.call(fn, e);
    }
  }

  /** The listener is (again) listening: caches drop what they hold, then may trust themselves until `trustUntil`. */
  resync(trustUntil = Infinity): void {
    this.generation++;
    this.stats.resyncs++;
    this.trustedUntil = 0;
    for (const fn of this.resyncListeners) this.call(fn);
    this.trustedUntil = trustUntil;
  }

  /** A heartbeat proved every notification committed before it has arrived: trust a while longer. */
  extendTrust(until: number): void {
    if (until > this.trustedUntil) this.trustedUntil = until;
  }

  /** The listener lost its connection: stop trusting caches until `resync`. */
  disconnected(): void {
    this.generation++;
    this.trustedUntil = 0;
  }

  private call<A extends unknown[]>(fn: (...a: A) => void, ...args: A): void {
    try {
      fn(...args);
    } catch (err) {
      this.onListenerError(err);
    }
  }
}
