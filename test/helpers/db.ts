import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openPglite, openPostgres, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';

/** Set by scripts/test-pg.mjs: run the integration suite on this PostgreSQL server. */
export const PG_URL = process.env.FLOWYTE_TEST_PG_URL || null;
export const DB_KIND = PG_URL ? 'postgres' : 'pglite';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or on PostgreSQL a
 * database of its own (so files run in parallel). `drop()` removes it.
 */
export async function openTestDb(): Promise<{ db: Db; url: string | null; drop(): Promise<void> }> {
  if (!PG_URL) {
    const db = await openPglite();
    await migrate(db);
    return { db, url: null, drop: () => db.close() };
  }
  const name = `flowyte_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(PG_URL, name);
  const db = openPostgres(url, 30);
  await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
