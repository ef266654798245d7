/**
 * A silent network partition between the server and PostgreSQL (issue 9, "Database faults"):
 * packets dropped, no reset, no close. Without a client-side timeout a query already sent waits
 * for the operating system's TCP timeouts (minutes). `openPostgres` bounds every query of the
 * request path (`queryTimeoutMs`, 503 `unavailable`): PostgreSQL cancels a statement at the bound
 * (`statement_timeout`, the connection kept); with no answer at all half a second later the client
 * gives up and discards the connection, and PostgreSQL ends a transaction cut off this way
 * (`idle_in_transaction_session_timeout`). Migrations (`tx(…, { unbounded: true })`) may wait.
 * Also which failures cost a connection: a statement PostgreSQL refused does not.
 * PostgreSQL only: the embedded database has no network.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isQueryTimeout, openPostgres, type Db } from '../../src/storage/db.js';
import { openTestDb } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const TIMEOUT_MS = 200;
let url: string | null = null;
let drop: () => Promise<void> = async () => undefined;
let proxy: TcpProxy;
let db: Db;
let admin: pg.Client;

beforeAll(async () => {
  const t = await openTestDb();
  await t.db.close();
  url = t.url;
  drop = t.drop;
  if (!url) return;
  const u = new URL(url);
  proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  db = openPostgres(proxy.via(url), 4, { queryTimeoutMs: TIMEOUT_MS });
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE TABLE probe (id int PRIMARY KEY, v text)');
  await admin.query("INSERT INTO probe VALUES (1, 'start')");
});
afterAll(async () => {
  proxy?.speak();
  await db?.close();
  await admin?.end();
  await proxy?.close();
  await drop();
});

/** Milliseconds `p` took to settle, and its error if it failed. */
async function timed(p: Promise<unknown>): Promise<{ ms: number; err: unknown }> {
  const t0 = performance.now();
  try {
    await p;
    return { ms: performance.now() - t0, err: null };
  } catch (err) {
    return { ms: performance.now() - t0, err };
  }
}

describe.skipIf(!process.env.FLOWYTE_TEST_PG_URL)('the query timeout (PostgreSQL through a proxy that can go silent)', () => {
  it('a query and a transaction sent into silence fail after the timeout, not minutes later; service resumes when the network does', async () => {
    await Promise.all([db.query('SELECT 1'), db.query('SELECT 1')]); // connections open and idle in the pool
    proxy.silence();
    try {
      // no answer at all: the client gives up half a second after the server-side bound
      const q = await timed(db.query('SELECT 1'));
      expect(isQueryTimeout(q.err), String(q.err)).toBe(true);
      expect(q.ms).toBeGreaterThanOrEqual(TIMEOUT_MS + 500 - 20);
      expect(q.ms).toBeLessThan(TIMEOUT_MS + 1500);
      const t = await timed(db.tx((tx) => tx.query("UPDATE probe SET v = 'never' WHERE id = 1")));
      expect(isQueryTimeout(t.err), String(t.err)).toBe(true);
      expect(t.ms).toBeLessThan(TIMEOUT_MS + 1500); // the connection is not asked to roll back as well
    } finally {
      proxy.speak();
    }
    // the connections that stopped answering were discarded: the next queries get fresh ones
    expect(await db.query<{ v: string }>('SELECT v FROM probe WHERE id = 1')).toEqual([{ v: 'start' }]);
    await db.tx((tx) => tx.query("UPDATE probe SET v = 'after' WHERE id = 1"));
    expect((await admin.query('SELECT v FROM probe WHERE id = 1')).rows).toEqual([{ v: 'after' }]);
  });

  it('a transaction cut off half-way is ended by PostgreSQL itself while the network stays silent: its row lock freed, its write gone', async () => {
    const [setting] = await db.query<{ idle_in_transaction_session_timeout: string }>('SHOW idle_in_transaction_session_timeout');
    expect(setting!.idle_in_transaction_session_timeout).toBe(`${(10 * TIMEOUT_MS) / 1000}s`);
    let cut!: () => void;
    const wrote = new Promise<void>((r) => (cut = r));
    const tx = timed(
      db.tx(async (q) => {
        await q.query("UPDATE probe SET v = 'half' WHERE id = 1"); // holds the row lock
        cut();
        await new Promise((r) => setTimeout(r, 20));
        await q.query("INSERT INTO probe VALUES (2, 'half')");
      }),
    );
    await wrote;
    proxy.silence();
    try {
      const r = await tx;
      expect(isQueryTimeout(r.err), String(r.err)).toBe(true);
      // PostgreSQL never heard a close (the network is still silent); the lock is freed once the
      // backend has been idle in its transaction for 10× the query timeout
      await admin.query("SET lock_timeout = '10s'");
      const t0 = performance.now();
      await admin.query("UPDATE probe SET v = 'other' WHERE id = 1");
      expect(performance.now() - t0).toBeLessThan(10 * TIMEOUT_MS + 2000);
      expect((await admin.query('SELECT id, v FROM probe ORDER BY id')).rows).toEqual([{ id: 1, v: 'other' }]);
    } finally {
      proxy.speak();
    }
  });

  it('a statement PostgreSQL refuses gives its connection back for reuse (no reconnect per refused request)', async () => {
    const pid = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
    const before = await pid();
    for (let i = 0; i < 5; i++) {
      const r = await timed(db.query("INSERT INTO probe VALUES (1, 'duplicate')")); // the row exists
      expect((r.err as { code?: string }).code).toBe('23505');
      const c = await timed(db.commitStatement("INSERT INTO probe VALUES (1, 'duplicate')", [], () => []));
      expect((c.err as { code?: string }).code).toBe('23505');
    }
    // the pool hands out the last connection given back: the same backend every time
    expect(await pid()).toBe(before);
  });

  it('a slow statement is cancelled by PostgreSQL at the bound (its connection kept); an unbounded transaction (migrations, the bootstrap) may take longer', async () => {
    const slow = `SELECT pg_sleep(${(3 * TIMEOUT_MS) / 1000})`;
    const pidOf = async (tx: { query: Db['query'] }) => (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
    let cancelledOn = 0;
    const inTx = await timed(
      db.tx(async (tx) => {
        cancelledOn = await pidOf(tx);
        await tx.query(slow);
      }),
    );
    expect((inTx.err as { code?: string }).code).toBe('57014'); // canceling statement due to statement timeout
    expect(isQueryTimeout(inTx.err)).toBe(true);
    expect(inTx.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(inTx.ms).toBeLessThan(TIMEOUT_MS + 400); // the server's bound, not the client's
    // rolled back and kept: the pool hands the same connection out next (last in, first out)
    let unboundedOn = 0;
    const unbounded = await timed(
      db.tx(async (tx) => {
        unboundedOn = await pidOf(tx);
        await tx.query(slow);
      }, { unbounded: true }),
    );
    expect(unbounded.err).toBeNull();
    expect(unboundedOn).toBe(cancelledOn);
    // SET LOCAL: the unbounded transaction's setting ended with it
    expect(isQueryTimeout((await timed(db.tx((tx) => tx.query(slow)))).err)).toBe(true);
    expect(isQueryTimeout((await timed(db.query(slow))).err)).toBe(true);
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
