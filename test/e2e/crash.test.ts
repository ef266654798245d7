/**
 * Crash safety (issue 9, items 3 and 5; operations.md "A killed process (SIGKILL) loses no
 * acknowledged write"). Under a steady mixed write load against the built server, SIGKILL it
 * at a random moment, restart it on the same data, and hold the database to the load's log
 * (test/e2e/chaos.ts): every write acknowledged with 2xx is there with exactly one audit event;
 * refusals left nothing; each request in flight at the kill is there entirely (effect and event)
 * or not at all; acknowledged Idempotency-Keys replay the same answer, lost ones run afresh; on
 * PostgreSQL every audit row committed was NOTIFYed (the audit row is the outbox) and nothing
 * else was. Repeated; the rows themselves are checked against each other at the end.
 *
 * CI: 2 kills on PostgreSQL and 1 on the embedded database, ~1 s of load each. FLOWYTE_CHAOS=full (npm run test:chaos): 6 kills,
 * ~4 s each. Runs on the embedded database, and on PostgreSQL in the scripts/test-pg.mjs pass.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { bootstrapKey, freePort, serverEnv, startServer, tempDir, type Server } from './processes.js';
import { openTestDb, PG_URL } from '../helpers/db.js';
import { CHAOS_FULL, CHAOS_SEED, HttpClient, now, prng, sleep, storeViolations, Workload, type RowQuery } from './chaos.js';
import { openStorage } from '../../src/storage/open.js';

const DB = PG_URL ? 'PostgreSQL' : 'embedded';
// CI: two kills on PostgreSQL, one on the embedded database (whose restarts cost seconds each)
const KILLS = CHAOS_FULL ? 6 : PG_URL ? 2 : 1;
const LOAD_MS = CHAOS_FULL ? 4000 : 1000;
const WORKERS = CHAOS_FULL ? 8 : 6;

/** Every NOTIFY on flowyte_changes for one organization, as a listener other than the server hears it. */
async function listenOutbox(url: string, orgId: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const ids = new Set<string>();
  c.on('notification', (n) => {
    if (n.channel !== 'flowyte_changes' || !n.payload) return;
    const e = JSON.parse(n.payload) as { id: string; organizationId: string };
    if (e.organizationId === orgId) ids.add(e.id);
  });
  await c.query('LISTEN flowyte_changes');
  // what was committed before it listened is not its business
  const before = new Set((await c.query('SELECT id FROM audit_events WHERE organization_id = $1', [orgId])).rows.map((r) => r.id as string));
  return { ids, before, client: c, close: () => c.end() };
}

describe(`crash safety: SIGKILL under a mixed write load (${DB})`, () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  it(`loses no acknowledged write, half-applies none and audits each exactly once, over ${KILLS} kills`, { timeout: CHAOS_FULL ? 600_000 : 120_000 }, async () => {
    const dir = tempDir();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    let databaseUrl: string | null = null;
    if (PG_URL) {
      const t = await openTestDb();
      databaseUrl = t.url;
      await t.db.close();
      cleanup.push(t.drop);
    }
    const env = serverEnv({ dataDir: dir, databaseUrl, port: await freePort() });
    // the first start creates the organization and its key (operations.md "First start")
    const s0 = now();
    let server: Server = await startServer(env, dir);
    const firstStartMs = Math.round(now() - s0);
    cleanup.push(() => void server.proc.kill('SIGKILL'));
    const key = bootstrapKey(databaseUrl ? path.join(dir, '.flowyte') : dir);
    const first = new HttpClient(server.url, key);
    const me = await first.get('/api/v1/me');
    first.destroy();
    expect(me.status).toBe(200);
    const orgId = me.json.data.organizationId as string;

    const outbox = databaseUrl ? await listenOutbox(databaseUrl, orgId) : null;
    if (outbox) cleanup.push(() => outbox.close());
    const sql: RowQuery | null = databaseUrl
      ? async (text, params) => (await outbox!.client.query(text, params)).rows
      : null;

    const seed = CHAOS_SEED;
    const rand = prng(seed ^ 0x5eed);
    const load = new Workload({ label: 'crash', workers: WORKERS, seed });
    const rounds: { acked: number; inFlight: number; applied: number; restartMs: number; verifyMs: number }[] = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        const client = new HttpClient(server.url, key);
        const first = load.log.length;
        const run = load.start(client);
        // a random moment of a steady load, once this round has acknowledged some writes
        const killAfter = LOAD_MS * (0.5 + rand());
        const t0 = now();
        while (now() - t0 < killAfter || run.acked() < 20) {
          if (now() - t0 > 60_000) throw new Error(`only ${run.acked()} writes acknowledged in 60 s: ${server.stderr().slice(-2000)}`);
          await sleep(10);
        }
        const killedAt = now();
        server.proc.kill('SIGKILL');
        await Promise.all([run.stop(), server.exited]);
        client.destroy();
        const inFlight = load.log.slice(first).filter((s) => s.outcome === 'unknown' && s.sentAt < killedAt).length;

        const r0 = now();
        server = await startServer(env, dir); // the same data
        const restartMs = now() - r0;
        const check = new HttpClient(server.url, key);
        const v0 = now();
        const { violations, checked } = await load.verify(check);
        check.destroy();
        expect(violations, `seed ${seed}, kill ${k + 1}`).toEqual([]);
        expect(load.problems, `seed ${seed}: answers that are never right`).toEqual([]);
        if (outbox && sql) {
          // the audit row is the outbox: every one committed was NOTIFYed, and nothing else was
          await sleep(300);
          const rows = await sql('SELECT id FROM audit_events WHERE organization_id = $1', [orgId]);
          const committed = new Set(rows.map((r) => r.id as string).filter((id) => !outbox.before.has(id)));
          expect([...outbox.ids].filter((id) => !committed.has(id)), 'notified, never committed').toEqual([]);
          expect([...committed].filter((id) => !outbox.ids.has(id)), 'committed, never notified').toEqual([]);
          const store = await storeViolations(sql, orgId);
          expect(store.violations, `seed ${seed}, kill ${k + 1}`).toEqual([]);
        }
        rounds.push({ acked: load.log.slice(first).filter((s) => s.outcome === 'ok').length, inFlight, applied: checked.unknownApplied, restartMs: Math.round(restartMs), verifyMs: Math.round(now() - v0) });
      }
      // every kill landed on requests in flight: the property was exercised, not just the happy path
      expect(rounds.every((r) => r.acked >= 20)).toBe(true);
      expect(rounds.reduce((s, r) => s + r.inFlight, 0)).toBeGreaterThanOrEqual(KILLS);
    } finally {
      server.proc.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    const f0 = now();

    // the rows themselves, with no server in between
    let store;
    if (sql) store = await storeViolations(sql, orgId);
    else {
      const s = await openStorage({ databaseUrl: null, dataDir: path.join(dir, 'data') });
      try {
        store = await storeViolations((text, params) => s.db.query(text, params), orgId);
      } finally {
        await s.close();
      }
    }
    expect(store.violations, `seed ${seed}`).toEqual([]);
    const summary = load.summary();
    expect(store.counts.events).toBeGreaterThanOrEqual(summary.acknowledgedChanges);
    const finalCheckMs = Math.round(now() - f0);
    console.info(`[chaos] crash ${DB}: ${JSON.stringify({ seed, kills: KILLS, workers: WORKERS, firstStartMs, rounds, finalCheckMs, ...summary, store: store.counts })}`);
  });
});
