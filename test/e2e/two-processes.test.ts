/**
 * Two server processes on one PostgreSQL (lifecycle.md "a publish, rollback, isActive change or
 * deletion on any server process is visible to every other process within one second"; api.md
 * idempotency "across several server processes"). Runs in the PostgreSQL pass only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { cli, freePort, serverEnv, startServer, tempDir, type Server } from './processes.js';
import { openTestDb, PG_URL } from '../helpers/db.js';

describe.skipIf(!PG_URL)('two server processes on one PostgreSQL', () => {
  let a: Server;
  let b: Server;
  let key: string;
  let dir: string;
  let drop: () => Promise<void>;
  let dbUrl: string;

  beforeAll(async () => {
    dir = tempDir();
    const t = await openTestDb();
    await t.db.close();
    drop = t.drop;
    dbUrl = t.url!;
    const base = serverEnv({ dataDir: dir, databaseUrl: t.url });
    const org = cli(['org', 'create', '--name', 'Two'], base, dir);
    expect(org.status, org.stderr).toBe(0);
    key = cli(['key', 'create', '--org', org.stdout.trim(), '--scopes', 'all'], base, dir).stdout.trim();
    [a, b] = await Promise.all([
      startServer({ ...base, PORT: String(await freePort()) }, dir),
      startServer({ ...base, PORT: String(await freePort()) }, dir),
    ]);
  }, 90_000);

  /** A write behind the application's back: no audit row, so no event reaches any process. */
  async function sql(text: string, params: unknown[]) {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      await c.query(text, params);
    } finally {
      await c.end();
    }
  }

  afterAll(async () => {
    for (const s of [a, b]) if (s) s.proc.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  async function req(s: Server, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const r = await fetch(`${s.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null, headers: r.headers };
  }

  /** Polls until `ok` holds; returns the milliseconds it took (fails past 3 s). */
  async function within(ok: () => Promise<boolean>): Promise<number> {
    const t0 = Date.now();
    while (!(await ok())) {
      if (Date.now() - t0 > 3000) throw new Error('not seen within 3 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now() - t0;
  }

  const live = (s: Server, id: string) => req(s, 'GET', `/agents/${id}/live?channel=voice`);

  it('a publish, rollback, isActive change and delete on A change B\'s live answer within one second', async () => {
    const agent = (await req(a, 'POST', '/agents', { name: 'Relay', greeting: 'one' })).json.data;
    expect((await live(b, agent.id)).json.code).toBe('no_published_version'); // B now caches "never published"

    const v1 = (await req(a, 'POST', `/agents/${agent.id}/publish`, {})).json.data;
    const tPublish = await within(async () => (await live(b, agent.id)).json.data?.versionId === v1.id);

    // B answers from memory (so what follows proves delivery, not a database read per request):
    // once its listener is in, a change that bypasses the event seam is not seen there
    await within(async () => {
      await live(b, agent.id); // (re)warms B's pointer
      await sql('UPDATE agents SET is_active = false WHERE id = $1', [agent.id]);
      const r = await live(b, agent.id);
      await sql('UPDATE agents SET is_active = true WHERE id = $1', [agent.id]);
      return r.status === 200;
    });

    expect((await req(a, 'PATCH', `/agents/${agent.id}`, { greeting: 'two' })).status).toBe(200);
    const v2 = (await req(a, 'POST', `/agents/${agent.id}/publish`, {})).json.data;
    const tPublish2 = await within(async () => (await live(b, agent.id)).json.data?.greeting === 'two');
    expect((await live(b, agent.id)).json.data.versionId).toBe(v2.id);

    expect((await req(a, 'POST', `/agents/${agent.id}/rollback`, { versionId: v1.id })).status).toBe(200);
    const tRollback = await within(async () => (await live(b, agent.id)).json.data?.greeting === 'one');

    expect((await req(a, 'PATCH', `/agents/${agent.id}`, { isActive: false })).status).toBe(200);
    const tInactive = await within(async () => (await live(b, agent.id)).json.code === 'agent_inactive');
    expect((await req(a, 'PATCH', `/agents/${agent.id}`, { isActive: true })).status).toBe(200);
    const tActive = await within(async () => (await live(b, agent.id)).status === 200);

    expect((await req(a, 'DELETE', `/agents/${agent.id}`)).status).toBe(200);
    const tDelete = await within(async () => (await live(b, agent.id)).status === 404);

    const times = { tPublish, tPublish2, tRollback, tInactive, tActive, tDelete };
    for (const [what, ms] of Object.entries(times)) expect(ms, what).toBeLessThan(1000);
  });

  it('an Idempotency-Key raced across both processes has exactly one effect', async () => {
    for (let round = 0; round < 5; round++) {
      const idem = `race-${round}-${Date.now()}`;
      const body = { name: `Raced ${round}` };
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => req(i % 2 ? a : b, 'POST', '/agents', body, { 'idempotency-key': idem })),
      );
      const ok = answers.filter((r) => r.status === 201);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      expect(new Set(ok.map((r) => r.json.data.id)).size).toBe(1);
      for (const r of answers.filter((x) => x.status !== 201)) expect(r.json.code).toBe('idempotency_in_progress');
      const listed = (await req(b, 'GET', `/agents?q=${encodeURIComponent(body.name)}`)).json.data;
      expect(listed).toHaveLength(1);
      // once settled, a retry on either process replays the one answer
      const again = await req(round % 2 ? a : b, 'POST', '/agents', body, { 'idempotency-key': idem });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.json.data.id).toBe(ok[0]!.json.data.id);
    }
  });

  it('concurrent publishes on both processes make one version; numbers stay gapless', async () => {
    const agent = (await req(a, 'POST', '/agents', { name: 'Gapless' })).json.data;
    for (let n = 1; n <= 4; n++) {
      expect((await req(b, 'PATCH', `/agents/${agent.id}`, { tone: `tone ${n}` })).status).toBe(200);
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => req(i % 2 ? a : b, 'POST', `/agents/${agent.id}/publish`, {})));
      expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of answers.filter((x) => x.status !== 201)) expect(r.json.code).toBe('nothing_to_publish');
    }
    const versions = (await req(a, 'GET', `/agents/${agent.id}/versions`)).json.data;
    expect(versions.map((v: { number: number }) => v.number)).toEqual([4, 3, 2, 1]);
  });

  it('a key revoked on A is refused by B within one second', async () => {
    const minted = (await req(a, 'POST', '/api-keys', { name: 'short-lived', scopes: ['agents:read'] })).json.data;
    const use = (s: Server) => fetch(`${s.url}/api/v1/agents`, { headers: { authorization: `Bearer ${minted.key}` } }).then((r) => r.status);
    expect(await use(b)).toBe(200); // B caches the verification
    expect((await req(a, 'DELETE', `/api-keys/${minted.id}`)).status).toBe(200);
    expect(await use(a)).toBe(401); // at once on the revoking process
    // through the event seam, well before the verification cache's own second runs out
    expect(await within(async () => (await use(b)) === 401)).toBeLessThan(500);
  });
});
