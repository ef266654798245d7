import pg from 'pg';
import type { ChangeFeed } from '../events/change-feed.js';
import type { ChangeEvent } from '../events/change-event.js';

export const CHANGES_CHANNEL = 'flowyte_changes';

export interface ListenerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The remote half of the event seam on PostgreSQL: a dedicated connection LISTENing on
 * `flowyte_changes` (the audit trigger of migration 002 NOTIFYs it on every commit). It
 * reconnects by itself (backoff 100 ms → 2 s) and, on every (re)connection, has the feed resync:
 * what was missed while disconnected is recovered by dropping every cached mutable value.
 */
export function listenForChanges(url: string, feed: ChangeFeed, log: ListenerLog): { close(): Promise<void> } {
  let client: pg.Client | null = null;
  let closed = false;
  let delay = 100;
  let timer: NodeJS.Timeout | null = null;

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, 2000);
  };

  const lost = (c: pg.Client, reason: string) => {
    if (client !== c) return;
    client = null;
    feed.disconnected();
    c.end().catch(() => undefined);
    if (!closed) log.warn({ reason }, 'change listener disconnected; reconnecting');
    schedule();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5000 });
    client = c;
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', (n) => {
      if (n.channel !== CHANGES_CHANNEL || !n.payload) return;
      try {
        feed.publish([JSON.parse(n.payload) as ChangeEvent]);
      } catch {
        /* a malformed payload is not ours */
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      lost(c, (err as Error).message);
      return;
    }
    if (client !== c) return;
    delay = 100;
    feed.resync();
    log.info({}, 'change listener connected');
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
