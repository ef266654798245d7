// Bulk seeding of the benchmark data set, on PostgreSQL or on the embedded database (PGlite).
//
// 1. Migrates the database with the app's own migrations and runs the first-start bootstrap
//    (organization "Default" and a key with every scope).
// 2. Creates one agent per template (bench/templates.mjs) through the real API (buildApp +
//    inject, with the bootstrap key) and publishes it, so the stored `config` of the agent and
//    of its version are exactly what the app writes.
// 3. Creates the other organizations and one API key each (mintSecret: the app's key format and
//    SHA-256 hash), then copies the templates in bulk with INSERT … SELECT FROM unnest(…):
//    new time-sortable ids (prefix + ULID, checked with the app's isId), names, name_key
//    (trim → NFC → lower case), organizations, greeting / tone / avgTicketCents varied per copy;
//    every tenth agent is published (an agent_versions row, status, published_version_id).
//    Organization "Default" is the big one (half the agents up to 6 000), for deep pagination.
//
// Usage (standalone):
//   node bench/seed.mjs --agents 5000 [--orgs 1000] (--database-url postgres://… | --data-dir DIR) [--manifest out.json]
// As a module: `await seed({ databaseUrl | dataDir, agents, orgs })` → the manifest (organizations
// with their keys, every agent's id, organization, template and published flag).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { TEMPLATES, TONES, CITIES } from './templates.mjs';
// a deterministic PRNG, so a given --agents makes the same distribution every run
import { mulberry32 } from './lib.mjs';

const DIST = pathToFileURL(path.resolve(import.meta.dirname, '../dist') + '/').href;
const imp = (p) => import(new URL(p, DIST).href);

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms) {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** `<prefix>_` + ULID at `ms` (the app's format, src/ids.ts); unique because every caller passes a distinct ms. */
function idAt(prefix, ms) {
  const b = randomBytes(16);
  let r = ALPHABET[b[0] % 16];
  for (let i = 1; i < 16; i++) r += ALPHABET[b[i] % 32];
  return `${prefix}_${encodeTime(ms)}${r}`;
}

export const nameKey = (name) => name.trim().normalize('NFC').toLowerCase();

/** A fresh database on the PostgreSQL server of `adminUrl`; `drop()` removes it. */
export async function createPgDatabase(adminUrl, prefix = 'flowyte_bench') {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Is a PostgreSQL server reachable at `url`? */
export async function pgReachable(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Seeds an empty database. Options: `databaseUrl` (PostgreSQL) or `dataDir` (PGlite), `agents`
 * (total, templates included; default 100 000), `orgs` (default 1 000), `bigOrgAgents`
 * (default min(6 000, agents / 2)), `log`. Returns the manifest.
 */
export async function seed(opts) {
  const agents = opts.agents ?? 100_000;
  const orgCount = opts.orgs ?? 1000;
  const bigOrgAgents = opts.bigOrgAgents ?? Math.min(6000, Math.floor(agents / 2));
  const log = opts.log ?? ((m) => process.stderr.write(m + '\n'));
  const { openPostgres } = await imp('storage/db.js');
  const { openStorage } = await imp('storage/open.js');
  const { migrate } = await imp('storage/migrate.js');
  const { bootstrapIfEmpty } = await imp('domain/bootstrap.js');
  const { buildApp } = await imp('app.js');
  const { mintSecret } = await imp('auth/key-format.js');
  const { SCOPES } = await imp('auth/scopes.js');
  const { isId } = await imp('ids.js');

  const t0 = performance.now();
  const storage = opts.databaseUrl ? (() => { const db = openPostgres(opts.databaseUrl); return { db, close: () => db.close() }; })() : await openStorage({ dataDir: opts.dataDir });
  const db = storage.db;
  try {
    await migrate(db);
    const boot = await bootstrapIfEmpty(db, new Date());
    if (!boot) throw new Error('seed: the database is not empty');
    const bigOrg = boot.organizationId;
    const [bootKey] = await db.query('SELECT id FROM api_keys WHERE organization_id = $1', [bigOrg]);

    // 2. the templates, through the real API
    const app = await buildApp({ db, logger: false, webRoot: null, metrics: false, rateLimitPerMin: 0 });
    const tpl = [];
    try {
      const headers = { authorization: `Bearer ${boot.key}`, 'content-type': 'application/json' };
      for (const t of TEMPLATES) {
        const c = await app.inject({ method: 'POST', url: '/api/v1/agents', headers, payload: JSON.stringify(t.body) });
        if (c.statusCode !== 201) throw new Error(`seed: creating template ${t.kind}: ${c.statusCode} ${c.body}`);
        const id = c.json().data.id;
        const p = await app.inject({ method: 'POST', url: `/api/v1/agents/${id}/publish`, headers, payload: '{"note":"go-live"}' });
        if (p.statusCode !== 201) throw new Error(`seed: publishing template ${t.kind}: ${p.statusCode} ${p.body}`);
        tpl.push({ id, versionId: p.json().data.id });
      }
    } finally {
      await app.close();
    }
    // the stored JSON of each template, as the app wrote it
    const tplRows = [];
    for (const [i, t] of tpl.entries()) {
      const [a] = await db.query('SELECT config, version FROM agents WHERE id = $1', [t.id]);
      const [v] = await db.query('SELECT config FROM agent_versions WHERE id = $1', [t.versionId]);
      tplRows.push({ i, config: a.config, vconfig: v.config, version: a.version });
    }
    if (tplRows.some((r) => r.version !== 2)) throw new Error('seed: a published template is not at version 2');
    await db.tx(async (q) => {
      await q.query('CREATE TABLE bench_templates (tpl int PRIMARY KEY, config jsonb NOT NULL, vconfig jsonb NOT NULL)');
      for (const r of tplRows) await q.query('INSERT INTO bench_templates VALUES ($1, $2, $3)', [r.i, JSON.stringify(r.config), JSON.stringify(r.vconfig)]);
    });

    // 3a. organizations (Default exists) and their keys
    const rng = mulberry32(0xf10e + agents);
    const now = Date.now();
    const orgs = [{ id: bigOrg, key: boot.key, keyId: bootKey.id }];
    const orgStart = now - 400 * 86_400_000;
    const orgIds = [];
    const orgNames = [];
    const orgCreated = [];
    for (let i = 1; i < orgCount; i++) {
      const ms = orgStart + i * 1000;
      orgIds.push(idAt('org', ms));
      orgNames.push(`${CITIES[i % CITIES.length]} ${TEMPLATES[i % TEMPLATES.length].kind} Group ${i}`);
      orgCreated.push(new Date(ms).toISOString());
    }
    const keyRows = { id: [], org: [], start: [], hash: [], created: [] };
    for (const [i, id] of orgIds.entries()) {
      const s = mintSecret();
      const keyId = idAt('key', orgStart + (i + 1) * 1000 + 500);
      orgs.push({ id, key: s.key, keyId });
      keyRows.id.push(keyId);
      keyRows.org.push(id);
      keyRows.start.push(s.start);
      keyRows.hash.push(s.hash);
      keyRows.created.push(orgCreated[i]);
    }
    await db.tx(async (q) => {
      await q.query('INSERT INTO organizations (id, name, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])', [orgIds, orgNames, orgCreated]);
      await q.query(
        `INSERT INTO api_keys (id, organization_id, name, scopes, start, key_hash, created_at)
         SELECT k.id, k.org, 'bench', $6::text[], k.start, k.hash, k.created
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS k(id, org, start, hash, created)`,
        [keyRows.id, keyRows.org, keyRows.start, keyRows.hash, keyRows.created, [...SCOPES]],
      );
    });
    const tOrgs = performance.now();

    // 3b. the agents: the templates count towards the total
    const copies = agents - tpl.length;
    const bigCopies = Math.max(0, bigOrgAgents - tpl.length);
    const span = 365 * 86_400_000;
    const step = Math.max(2, Math.floor(span / Math.max(1, copies)));
    const start = now - span - 86_400_000;
    const manifest = {
      kind: opts.databaseUrl ? 'postgres' : 'pglite',
      agents,
      orgs,
      bigOrg: 0,
      // parallel arrays, one entry per agent (templates first)
      ids: tpl.map((t) => t.id),
      org: tpl.map(() => 0),
      tpl: tpl.map((_, i) => i),
      published: tpl.map(() => 1),
    };
    const BATCH = opts.batch ?? 5000;
    const SQL_AGENTS = `
      INSERT INTO agents (id, organization_id, name_key, version, status, has_unpublished_changes, published_version_id,
        is_active, config, created_by, created_at, updated_at)
      SELECT b.id, b.org, b.name_key, CASE WHEN b.vid IS NULL THEN 1 ELSE 2 END,
        CASE WHEN b.vid IS NULL THEN 'draft' ELSE 'published' END, b.vid IS NULL, b.vid, true,
        t.config || jsonb_build_object('name', b.name, 'greeting', b.greeting, 'tone', b.tone, 'avgTicketCents', b.ticket),
        b.key_id, b.created, b.updated
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::int[], $10::text[],
                  $11::timestamptz[], $12::timestamptz[])
        AS b(id, org, name, name_key, vid, tpl, greeting, tone, ticket, key_id, created, updated)
      JOIN bench_templates t ON t.tpl = b.tpl`;
    const SQL_VERSIONS = `
      INSERT INTO agent_versions (id, organization_id, agent_id, number, note, config, published_at, published_by, source_agent_version)
      SELECT b.vid, b.org, b.id, 1, 'go-live', t.vconfig || jsonb_build_object('name', b.name, 'greeting', b.greeting, 'tone', b.tone),
        b.updated, b.key_id, 1
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
        AS b(id, org, name, vid, tpl, greeting, tone, key_id, updated)
      JOIN bench_templates t ON t.tpl = b.tpl`;
    let bigLeft = bigCopies;
    for (let from = 0; from < copies; from += BATCH) {
      const n = Math.min(BATCH, copies - from);
      const c = { id: [], org: [], name: [], nameKey: [], vid: [], tpl: [], greeting: [], tone: [], ticket: [], keyId: [], created: [], updated: [] };
      for (let j = 0; j < n; j++) {
        const i = from + j;
        // the big organization's agents spread evenly over the timeline
        const remaining = copies - i;
        const big = bigLeft > 0 && rng() < bigLeft / remaining;
        if (big) bigLeft--;
        const o = big ? 0 : 1 + Math.floor(rng() * (orgs.length - 1 || 1));
        const org = orgs[Math.min(o, orgs.length - 1)];
        const ti = Math.floor(rng() * TEMPLATES.length);
        const ms = start + i * step;
        const id = idAt('agt', ms);
        const published = i % 10 === 0;
        const vid = published ? idAt('agv', ms + Math.floor(step / 2)) : null;
        const name = `${TEMPLATES[ti].body.name} ${CITIES[i % CITIES.length]} ${i + 1}`;
        if (!isId('agt', id) || (vid && !isId('agv', vid))) throw new Error(`seed: invalid id ${id} / ${vid}`);
        c.id.push(id);
        c.org.push(org.id);
        c.name.push(name);
        c.nameKey.push(nameKey(name));
        c.vid.push(vid);
        c.tpl.push(ti);
        c.greeting.push(`Thanks for calling ${name}! How can I help you today?`);
        c.tone.push(TONES[Math.floor(rng() * TONES.length)]);
        c.ticket.push(rng() < 0.3 ? null : 2000 + Math.floor(rng() * 50_000));
        c.keyId.push(org.keyId);
        c.created.push(new Date(ms).toISOString());
        c.updated.push(new Date(published ? ms + Math.floor(step / 2) : ms).toISOString());
        manifest.ids.push(id);
        manifest.org.push(Math.min(o, orgs.length - 1));
        manifest.tpl.push(ti);
        manifest.published.push(published ? 1 : 0);
      }
      await db.tx(async (q) => {
        await q.query(SQL_AGENTS, [c.id, c.org, c.name, c.nameKey, c.vid, c.tpl, c.greeting, c.tone, c.ticket, c.keyId, c.created, c.updated]);
        const p = c.vid.flatMap((v, k) => (v ? [k] : []));
        if (p.length > 0) {
          const pick = (a) => p.map((k) => a[k]);
          await q.query(SQL_VERSIONS, [pick(c.id), pick(c.org), pick(c.name), pick(c.vid), pick(c.tpl), pick(c.greeting), pick(c.tone), pick(c.keyId), pick(c.updated)]);
        }
      });
      if ((from / BATCH) % 4 === 3) log(`  seeded ${from + n + tpl.length} / ${agents} agents (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    await db.query('DROP TABLE bench_templates');
    const tInsert = performance.now();
    await db.query('ANALYZE');
    if (opts.databaseUrl) await db.query('CHECKPOINT').catch(() => undefined);
    const [counts] = await db.query(
      `SELECT (SELECT count(*)::int FROM agents) AS agents, (SELECT count(*)::int FROM agent_versions) AS versions,
              (SELECT count(*)::int FROM organizations) AS orgs, (SELECT count(*)::int FROM agents WHERE organization_id = $1) AS big`,
      [bigOrg],
    );
    manifest.counts = counts;
    manifest.seedSeconds = {
      total: (performance.now() - t0) / 1000,
      orgsAndTemplates: (tOrgs - t0) / 1000,
      agents: (tInsert - tOrgs) / 1000,
      analyze: (performance.now() - tInsert) / 1000,
    };
    log(`  seeded ${counts.agents} agents (${counts.versions} published) in ${counts.orgs} organizations (${counts.big} in the big one) in ${manifest.seedSeconds.total.toFixed(1)} s`);
    return manifest;
  } finally {
    await storage.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const dataDir = arg('data-dir');
  const databaseUrl = arg('database-url');
  if (!dataDir === !databaseUrl) {
    process.stderr.write('usage: node bench/seed.mjs --agents N [--orgs N] (--database-url postgres://… | --data-dir DIR) [--manifest out.json]\n');
    process.exit(2);
  }
  const manifest = await seed({
    dataDir: dataDir && path.resolve(dataDir),
    databaseUrl,
    agents: Number(arg('agents') ?? 100_000),
    orgs: Number(arg('orgs') ?? 1000),
  });
  if (arg('manifest')) writeFileSync(arg('manifest'), JSON.stringify(manifest));
  else process.stdout.write(JSON.stringify({ counts: manifest.counts, seedSeconds: manifest.seedSeconds, bigOrg: manifest.orgs[0].id, key: manifest.orgs[0].key }) + '\n');
}
