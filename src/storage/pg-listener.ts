import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { ChangeFeed } from '../events/change-feed.js';
import type { ChangeEvent } from '../events/change-event.js';

export const CHANGES_CHANNEL = 'flowyte_changes';
/** The listener's `application_name` (pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'flowyte-listener';

/** How often the listener proves it still hears every commit. */
const HEARTBEAT_MS = 250;
/** How long past a heartbeat's sending caches may trust themselves (lifecycle.md: one second). */
const LEASE_MS = 1000;
/** No heartbeat back for this long: the connection is dead even if the socket says nothing. */
const DEAD_AFTER_MS = 1500;

export interface ListenerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The remote half of the event seam on PostgreSQL: a dedicated connection LISTENing on
 * `flowyte_changes` (the audit trigger of migration 002 NOTIFYs it on every commit).
 *
 * - It reconnects by itself (backoff 100 ms → 2 s) and, on every (re)connection, has the feed
 *   resync: what was missed while disconnected is recovered by dropping every cached value.
 * - Heartbeat: every 250 ms it NOTIFYs a channel of its own. PostgreSQL delivers a listener's
 *   notifications in commit order, so when a heartbeat sent at `t` comes back, every change
 *   committed before `t` has arrived: caches may trust themselves until `t + 1 s`. A half-open
 *   connection (a NAT or failover that drops it silently), or a pooler that does not keep
 *   LISTEN (PgBouncer in transaction mode), stops the heartbeats; caches then stop trusting
 *   themselves within the second, and after 1.5 s the connection is dropped and remade.
 *   DATABASE_URL must therefore reach PostgreSQL directly or through a session-mode pooler
 *   for caching to pay off; correctness never depends on it.
 */
export function listenForChanges(url: string, feed: ChangeFeed, log: ListenerLog): { close(): Promise<void> } {
  const heartbeatChannel = `flowyte_hb_${process.pid}_${randomBytes(4).toString('hex')}`;
  let client: pg.Client | null = null;
  let closed = false;
  let delay = 100;
  let timer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let lastBeat = 0;

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
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
    feed.disconnected();
    // a half-open socket would make end() wait forever: cut it
    (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    c.end().catch(() => undefined);
    if (!closed) log.warn({ reason }, 'change listener disconnected; reconnecting');
    schedule();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    // named, so an operator (or a test) can tell it from the pool's connections in pg_stat_activity
    const c = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5000, application_name: LISTENER_APPLICATION_NAME });
    client = c;
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', (n) => {
      if (client !== c || !n.payload) return; // a dropped connection proves nothing any more
      if (n.channel === heartbeatChannel) {
        lastBeat = Date.now();
        feed.extendTrust(Number(n.payload) + LEASE_MS);
        return;
      }
      if (n.channel !== CHANGES_CHANNEL) return;
      try {
        feed.publish([JSON.parse(n.payload) as ChangeEvent]);
      } catch {
        /* a malformed payload is not ours */
      }
    });
    const startedAt = Date.now();
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      await c.query(`LISTEN ${heartbeatChannel}`);
    } catch (err) {
      lost(c, (err as Error).message);
      return;
    }
    if (client !== c) return;
    delay = 100;
    lastBeat = Date.now();
    // everything committed before LISTEN took effect is in the database, where caches now go
    feed.resync(startedAt + LEASE_MS);
    heartbeat = setInterval(() => {
      if (client !== c) return;
      if (Date.now() - lastBeat > DEAD_AFTER_MS) return lost(c, 'no heartbeat for 1.5 s');
      c.query('SELECT pg_notify($1, $2)', [heartbeatChannel, String(Date.now())]).catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    log.info({}, 'change listener connected');
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (heartbeat) clearInterval(heartbeat);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
