import type { Db, Queryable } from './db.js';
import { MIGRATIONS } from './migrations/index.js';

/** Key of the advisory lock every migration (and the first-start bootstrap) runs under. */
export const MIGRATION_LOCK_KEY = 482_913_007;

export async function lockMigrations(q: Queryable): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
}

/**
 * Applies pending migrations, each in its own transaction under a transaction-scoped advisory
 * lock, so several processes may start at once and a failing migration leaves the schema as
 * it was before it. Returns the versions applied.
 */
export async function migrate(db: Db, migrations: typeof MIGRATIONS = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    const did = await db.tx(async (q) => {
      await lockMigrations(q);
      await q.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await q.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.length > 0) return false;
      for (const stmt of splitStatements(m.sql)) await q.query(stmt);
      await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (did) applied.push(m.version);
  }
  return applied;
}

/** Splits a migration script on `;` at line ends (our migrations hold no functions or strings with `;`). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
