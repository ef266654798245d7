import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

/**
 * The one small storage interface: the same SQL runs on PGlite (embedded, default) and on
 * PostgreSQL (DATABASE_URL). Repositories only ever see `Queryable`.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// pg: keep int8 and numeric as JS numbers (ids are never int8; counts fit).
pg.types.setTypeParser(20, (v) => Number(v));

export function openPostgres(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {
    /* idle client errors surface on the next query; never crash the process */
  });
  const query = async <R>(sql: string, params?: unknown[]) => (await pool.query(sql, params as unknown[])).rows as R[];
  let closed = false;
  return {
    kind: 'postgres',
    query,
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const q: Queryable = { query: async <R>(s: string, p?: unknown[]) => (await client.query(s, p as unknown[])).rows as R[] };
        const out = await fn(q);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
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
  const wrap = (x: { query: PGlite['query'] }): Queryable => ({
    query: async <R>(s: string, p?: unknown[]) => (await x.query<R>(s, p as unknown[])).rows,
  });
  return {
    kind: 'pglite',
    query: wrap(db).query,
    tx: (fn) => db.transaction((t) => fn(wrap(t))),
    async exec(sql) {
      await db.exec(sql);
    },
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
