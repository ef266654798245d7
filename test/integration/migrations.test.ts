import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/storage/db.js';
import { loadMigrations, migrate } from '../../src/storage/migrate.js';

const MIGRATIONS = loadMigrations();
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

  it('are SQL files run whole: function bodies with semicolons survive', async () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([...MIGRATIONS.keys()].map((i) => i + 1));
    const t = await openTestDb();
    drops.push(t.drop);
    const fn = {
      version: 998,
      name: 'fn',
      sql: `CREATE FUNCTION two() RETURNS int LANGUAGE plpgsql AS $$
DECLARE x int;
BEGIN
  x := 1;
  RETURN x + 1;
END
$$;
CREATE TABLE after_fn (x int);`,
    };
    expect(await migrate(t.db, [...MIGRATIONS, fn])).toEqual([998]);
    expect(await t.db.query('SELECT two() AS v')).toEqual([{ v: 2 }]);
  });

  it('versions are immutable: the database refuses an UPDATE or DELETE of agent_versions', async () => {
    const t = await openTestDb();
    drops.push(t.drop);
    await t.db.query("INSERT INTO organizations VALUES ('org_1', 'o', now())");
    await t.db.query(`INSERT INTO agents (id, organization_id, name_key, version, status, has_unpublished_changes, is_active, config, created_by, created_at, updated_at)
      VALUES ('agt_1', 'org_1', 'a', 1, 'draft', true, true, '{}', 'k', now(), now())`);
    await t.db.query(`INSERT INTO agent_versions (id, organization_id, agent_id, number, config, published_at, source_agent_version)
      VALUES ('agv_1', 'org_1', 'agt_1', 1, '{"a":1}', now(), 1)`);
    await expect(t.db.query(`UPDATE agent_versions SET config = '{"a":2}'`)).rejects.toThrow(/immutable/);
    await expect(t.db.query('DELETE FROM agent_versions')).rejects.toThrow(/immutable/);
    await expect(t.db.query('TRUNCATE agent_versions')).rejects.toThrow(/immutable/);
    expect(await t.db.query('SELECT config FROM agent_versions')).toEqual([{ config: { a: 1 } }]);
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
    await t.db.tx((tx) => tx.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
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
