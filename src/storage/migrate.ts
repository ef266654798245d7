import fs from 'node:fs';
import type { Db, Tx } from './db.js';

/** Key of the advisory lock every migration (and the first-start bootstrap) runs under. */
export const MIGRATION_LOCK_KEY = 482_913_007;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * `src/storage/migrations/NNN_name.sql`, read from the source tree (the same path from `src/`
 * and from the built `dist/`, both two levels below the package root).
 */
const MIGRATIONS_DIR = new URL('../../src/storage/migrations/', import.meta.url);

/** Every migration, in version order. */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .map((file) => /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: Number(m[1]), name: m[2]!, sql: fs.readFileSync(new URL(m[0], dir), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

export async function lockMigrations(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
}

/**
 * Applies pending migrations, each run whole in its own transaction under a transaction-scoped
 * advisory lock, so several processes may start at once and a failing migration leaves the
 * schema as it was before it. Returns the versions applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = loadMigrations()): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    const did = await db.tx(async (tx) => {
      await lockMigrations(tx);
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    }, { unbounded: true }); // waits for another process's migration; a migration may take long
    if (did) applied.push(m.version);
  }
  return applied;
}
