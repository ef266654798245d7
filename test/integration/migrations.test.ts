import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { bootstrapIfEmpty } from '../../src/domain/bootstrap.js';
import { openTestDb } from '../helpers/db.js';

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops) await d();
});

describe('migrations', () => {
  it('are idempotent: a second run applies nothing', async () => {
    const t = await openTestDb(); // already migrated once
    drops.push(t.drop);
    expect(await migrate(t.db)).toEqual([]);
    const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('a failing migration leaves the schema as it was before it', async () => {
    const t = await openTestDb();
    drops.push(t.drop);
    const broken = [...MIGRATIONS, { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (x int);\nSELECT * FROM no_such_table;' }];
    await expect(migrate(t.db, broken)).rejects.toThrow();
    expect(await t.db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toEqual([]);
    expect(await t.db.query('SELECT 1 FROM schema_migrations WHERE version = 999')).toEqual([]);
  });

  it('concurrent starts (several connections) migrate once and bootstrap one organization', async () => {
    const t = await openTestDb();
    drops.push(t.drop);
    if (!t.url) {
      // PGlite is single-process: the concurrency that matters is within one process
      const r = await Promise.all([bootstrapIfEmpty(t.db, new Date()), bootstrapIfEmpty(t.db, new Date())]);
      expect(r.filter(Boolean)).toHaveLength(1);
      return;
    }
    await t.db.exec('DROP TABLE IF EXISTS audit_events, idempotency_records, agents, api_keys, organizations, server_secrets, schema_migrations');
    const dbs = Array.from({ length: 4 }, () => openPostgres(t.url!, 2));
    try {
      const applied = await Promise.all(dbs.map((d) => migrate(d)));
      expect(applied.flat()).toEqual(MIGRATIONS.map((m) => m.version));
      const boots = await Promise.all(dbs.map((d) => bootstrapIfEmpty(d, new Date())));
      expect(boots.filter(Boolean)).toHaveLength(1);
      expect(await t.db.query('SELECT id FROM organizations')).toHaveLength(1);
    } finally {
      for (const d of dbs) await d.close();
    }
  });
});
