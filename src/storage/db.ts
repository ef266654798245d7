import pg from 'pg';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { ChangeEvent } from '../events/change-event.js';

/**
 * The one small storage interface: the same SQL runs on PGlite (embedded, default) and on
 * PostgreSQL (DATABASE_URL). Reads take any `Queryable`; writes and locked reads take a `Tx`,
 * which only `Db.tx` can make, so a `FOR UPDATE` outside a transaction cannot be written.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

declare const IN_TRANSACTION: unique symbol;

/** A connection inside an open transaction. */
export interface Tx extends Queryable {
  /** Brand: a `Db` (autocommit) is never a `Tx`. */
  readonly [IN_TRANSACTION]: true;
  /** Runs a whole SQL script (several statements, function bodies included). */
  exec(sql: string): Promise<void>;
  /** Queues an event, published to `Db.onCommit` listeners after COMMIT; dropped on rollback. */
  afterCommit(event: ChangeEvent): void;
  /** Sets a savepoint; the returned function rolls back to it (and drops the events queued since). */
  savepoint(): Promise<() => Promise<void>>;
}

export type CommitListener = (events: readonly ChangeEvent[]) => void;

export interface TxOptions {
  /**
   * No query timeout: for work that waits on purpose, such as migrations and the first-start
   * bootstrap under the migration lock. Everything else (every request) is bounded by the
   * query timeout on PostgreSQL (`openPostgres`).
   */
  unbounded?: boolean;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  tx<T>(fn: (tx: Tx) => Promise<T>, opts?: TxOptions): Promise<T>;
  /**
   * Runs one statement in its own transaction (autocommit: one round trip), for a write whose
   * whole effect, audit row included, is that statement (data-modifying CTEs). The events
   * `eventsOf` derives from its rows are published to `onCommit` listeners once it has committed.
   */
  commitStatement<R>(sql: string, params: unknown[], eventsOf: (rows: R[]) => readonly ChangeEvent[]): Promise<R[]>;
  /** Listens for the events of every transaction this Db commits (the local half of the event seam). */
  onCommit(listener: CommitListener): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Connections in use and requests waiting for one (read by /metrics). */
  poolStats(): { size: number; inUse: number; waiting: number };
  /**
   * Embedded only (`flowyte backup`): a point-in-time image of the data directory, as PGlite's
   * uncompressed `dumpDataDir` tar, taken after a CHECKPOINT between transactions.
   */
  snapshot?(): Promise<Uint8Array>;
}

// pg: keep int8 and numeric as JS numbers (ids are never int8; counts fit).
pg.types.setTypeParser(20, (v) => Number(v));

type Run = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/** Wraps one transaction's connection as a `Tx`; `events` collects what it queues. */
function makeTx(run: Run, exec: (sql: string) => Promise<void>, events: ChangeEvent[]): Tx {
  let savepoints = 0;
  const tx = {
    query: async <R>(sql: string, params?: unknown[]) => (await run(sql, params)) as R[],
    exec,
    afterCommit(e: ChangeEvent) {
      events.push(e);
    },
    async savepoint() {
      const name = `sp_${++savepoints}`;
      const mark = events.length;
      await run(`SAVEPOINT ${name}`);
      return async () => {
        await run(`ROLLBACK TO SAVEPOINT ${name}`);
        events.length = mark;
      };
    },
  };
  return tx as unknown as Tx;
}

function listeners() {
  const set = new Set<CommitListener>();
  return {
    add(l: CommitListener) {
      set.add(l);
      return () => void set.delete(l);
    },
    emit(events: readonly ChangeEvent[]) {
      if (events.length === 0) return;
      for (const l of set) l(events);
    },
  };
}

/**
 * Named (prepared) statements: each distinct SQL text gets a name, so every connection parses and
 * plans it once and then only binds and executes it. The texts are the repositories' constants;
 * the cap guards against a text that embeds values (then it simply runs unnamed).
 */
function preparedStatements(cap = 500) {
  const names = new Map<string, string>();
  return (text: string, values: unknown[] | undefined, timeoutMs: number): pg.QueryConfig => {
    const q: pg.QueryConfig & { query_timeout?: number } = { text };
    if (timeoutMs > 0) q.query_timeout = timeoutMs;
    // utility commands (BEGIN, SAVEPOINT…) and other parameterless texts stay on the simple protocol
    if (!values || values.length === 0) return q;
    q.values = values;
    let name = names.get(text);
    if (name === undefined && names.size < cap) names.set(text, (name = `s${names.size + 1}`));
    if (name !== undefined) q.name = name;
    return q;
  };
}

/** pg's client-side query timeout: no answer at all in time; the connection is then discarded. */
function noAnswer(err: unknown): boolean {
  return err instanceof Error && err.message === 'Query read timeout';
}

/**
 * An error PostgreSQL answered for one statement (constraint, cancel, syntax…), after which the
 * connection is fine; not one of the classes that end the session (08 connection exception, 57P
 * operator intervention such as a terminated backend).
 */
function refusedByServer(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError) || typeof err.code !== 'string') return false;
  return !err.code.startsWith('08') && !err.code.startsWith('57P') && err.severity !== 'FATAL' && err.severity !== 'PANIC';
}

/** A query stopped by the query timeout: cancelled by PostgreSQL (57014), or never answered. */
export function isQueryTimeout(err: unknown): boolean {
  return noAnswer(err) || (err as { code?: unknown } | null)?.code === '57014';
}

export interface PostgresOptions {
  /**
   * How long a query of the request path may take (default 3 s): PostgreSQL cancels it at this
   * bound (`statement_timeout`, so it never goes on running, or commits, after the request was
   * answered 503), and the client gives up half a second later if no answer came at all (a network
   * that silently drops packets: without this, the operating system's TCP timeouts, minutes),
   * discarding that connection. Not applied to `tx(…, { unbounded: true })`.
   */
  queryTimeoutMs?: number;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 3000;
/** how much longer than the server-side bound the client waits for any answer */
const CLIENT_GRACE_MS = 500;

export function openPostgres(url: string, max = 10, opts: PostgresOptions = {}): Db {
  const serverMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const timeoutMs = serverMs + CLIENT_GRACE_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 3000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // Session settings, set on each new connection before its first query (a client runs its
  // queries in order), rather than as start-up parameters, which poolers such as PgBouncer refuse:
  // - statement_timeout: the server-side bound above;
  // - idle_in_transaction_session_timeout: a connection cut off in the middle of a transaction is
  //   ended by PostgreSQL (its row locks freed) instead of being held until TCP keepalive gives up
  //   (hours). Our transactions never wait between two statements; a migration is busy, not idle.
  const sessionSettings = `SET statement_timeout = ${Math.round(serverMs)}; SET idle_in_transaction_session_timeout = ${Math.round(10 * serverMs)}`;
  pool.on('connect', (client) => {
    client.query(sessionSettings).catch(() => undefined); // a dead connection fails its next query anyway
  });
  const preparedStatement = preparedStatements();
  const statement = (text: string, values?: unknown[]) => preparedStatement(text, values, timeoutMs);
  pool.on('error', () => {
    /* idle client errors surface on the next query; never crash the process */
  });
  /**
   * Runs `fn` on a connection checked out of the pool, and gives it back, discarded if it broke:
   * - A connection lost while checked out (PostgreSQL gone, a network cut) makes the client emit
   *   'error': the pool listens only while the client is idle, and an unheard 'error' would crash
   *   the process. The failing query reports it to the request (503); heard here.
   * - `fn` calls `broke(err)` for a failure after which the connection cannot be trusted.
   * Unlike `pool.query`, which discards its connection after any error, a statement PostgreSQL
   * refused (a unique violation behind `duplicate_name`, a cancel) keeps it: otherwise a tenant
   * sending refused requests would make the pool reconnect (a new backend each time) for everyone.
   */
  async function checkedOut<T>(fn: (client: pg.PoolClient, broke: (err: Error) => void) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    const broke = (err: Error) => void (broken ??= err);
    client.on('error', broke);
    try {
      return await fn(client, broke);
    } finally {
      client.off('error', broke);
      client.release(broken);
    }
  }
  /** One statement in its own (implicit) transaction. */
  const autocommit = (config: pg.QueryConfig): Promise<pg.QueryResult> =>
    checkedOut(async (client, broke) => {
      try {
        return await client.query(config);
      } catch (err) {
        if (!refusedByServer(err)) broke(err as Error);
        throw err;
      }
    });
  const committed = listeners();
  let closed = false;
  return {
    kind: 'postgres',
    query: async <R>(sql: string, params?: unknown[]) => (await autocommit(statement(sql, params))).rows as R[],
    async commitStatement<R>(sql: string, params: unknown[], eventsOf: (rows: R[]) => readonly ChangeEvent[]) {
      const rows = (await autocommit(statement(sql, params))).rows as R[];
      committed.emit(eventsOf(rows));
      return rows;
    },
    async tx(fn, txOpts) {
      const bound = txOpts?.unbounded ? 0 : timeoutMs;
      const events: ChangeEvent[] = [];
      const out = await checkedOut(async (client, broke) => {
        try {
          await client.query(preparedStatement('BEGIN', undefined, bound));
          if (!bound) await client.query('SET LOCAL statement_timeout = 0');
          const run: Run = async (s, p) => (await client.query(preparedStatement(s, p, bound))).rows;
          const result = await fn(makeTx(run, async (s) => void (await client.query(preparedStatement(s, undefined, bound))), events));
          await client.query(preparedStatement('COMMIT', undefined, bound));
          return result;
        } catch (err) {
          // a connection that stopped answering is not asked to roll back: discarded, its
          // transaction ends on the server (idle_in_transaction_session_timeout at the latest)
          if (noAnswer(err)) broke(err as Error);
          else await client.query(preparedStatement('ROLLBACK', undefined, bound)).catch(broke);
          throw err;
        }
      });
      committed.emit(events);
      return out;
    },
    onCommit: (l) => committed.add(l),
    async ping() {
      await autocommit(statement('SELECT 1'));
    },
    poolStats: () => ({ size: max, inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** `dataDir` undefined = in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const committed = listeners();
  // one connection: operations queue inside PGlite; counted for /metrics
  let pending = 0;
  return {
    kind: 'pglite',
    async query<R>(s: string, p?: unknown[]) {
      pending++;
      try {
        return (await db.query<R>(s, p as unknown[])).rows;
      } finally {
        pending--;
      }
    },
    async commitStatement<R>(sql: string, params: unknown[], eventsOf: (rows: R[]) => readonly ChangeEvent[]) {
      pending++;
      let rows: R[];
      try {
        rows = (await db.query<R>(sql, params)).rows;
      } finally {
        pending--;
      }
      committed.emit(eventsOf(rows));
      return rows;
    },
    async tx(fn) {
      const events: ChangeEvent[] = [];
      pending++;
      let out;
      try {
        out = await db.transaction((t: Transaction) => {
          const run: Run = async (s, p) => (await t.query(s, p as unknown[])).rows;
          return fn(makeTx(run, async (s) => void (await t.exec(s)), events));
        });
      } finally {
        pending--;
      }
      committed.emit(events);
      return out;
    },
    poolStats: () => ({ size: 1, inUse: Math.min(1, pending), waiting: Math.max(0, pending - 1) }),
    onCommit: (l) => committed.add(l),
    async ping() {
      await db.query('SELECT 1');
    },
    async snapshot() {
      // Inside a transaction of our own, which holds PGlite's transaction lock (every other
      // statement and transaction waits for it; ours writes nothing): no other transaction is
      // open while the checkpoint is written and the files are read.
      const tar = await db.transaction(async (t: Transaction) => {
        await t.query('CHECKPOINT');
        return db.dumpDataDir('none');
      });
      return new Uint8Array(await tar.arrayBuffer());
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
