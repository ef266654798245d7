import type { ChangeEvent } from './change-event.js';

export type { ChangeEvent };

const SEEN_MAX = 4096;

/**
 * The one post-commit event seam of a process. Events come from two sides: the transactions this
 * process commits (published at once, `Db.onCommit`) and, on PostgreSQL, the notifications of
 * every process's commits (src/storage/pg-listener.ts); an event seen twice is delivered once.
 *
 * Caches built on it (key verification, the live-config pointers) follow two rules:
 * - `resync` listeners drop everything mutable: it fires when the remote side (re)connects,
 *   since events may have been missed while it was down;
 * - trust a cached value only while `connected`, and store a value read from the database only
 *   if `generation` did not move during the read (an event in between may have made it stale).
 */
export class ChangeFeed {
  private listeners = new Set<(e: ChangeEvent) => void>();
  private resyncListeners = new Set<() => void>();
  private seen = new Set<string>();
  /** Increases with every event and every resync. */
  generation = 0;

  /** `connected: false` until a remote feed says it is listening (PostgreSQL with several processes). */
  constructor(public connected = true, private onListenerError: (err: unknown) => void = () => undefined) {}

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
      for (const fn of this.listeners) this.call(fn, e);
    }
  }

  /** The remote side is (again) listening: caches drop what they hold, then trust themselves again. */
  resync(): void {
    this.generation++;
    for (const fn of this.resyncListeners) this.call(fn);
    this.connected = true;
  }

  /** The remote side lost its connection: stop trusting caches until `resync`. */
  disconnected(): void {
    this.generation++;
    this.connected = false;
  }

  private call<A extends unknown[]>(fn: (...a: A) => void, ...args: A): void {
    try {
      fn(...args);
    } catch (err) {
      this.onListenerError(err);
    }
  }
}
