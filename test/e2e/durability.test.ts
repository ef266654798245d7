import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { api, freePort, serverEnv, startServer, tempDir, cli } from './processes.js';
import { openTestDb, PG_URL } from '../helpers/db.js';

// SIGKILL under a stream of writes, restart on the same data, find every acknowledged write.
describe(`durability (${PG_URL ? 'PostgreSQL' : 'embedded'})`, () => {
  const dirs: string[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    for (const d of drops) await d();
  });

  it('loses no acknowledged write when the server is killed', async () => {
    const dir = tempDir();
    dirs.push(dir);
    let databaseUrl: string | null = null;
    if (PG_URL) {
      const t = await openTestDb();
      databaseUrl = t.url;
      await t.db.close();
      drops.push(t.drop);
    }
    const port = await freePort();
    const env = serverEnv({ dataDir: dir, databaseUrl, port });
    // a key minted by the CLI before the server starts (the bootstrap file is not written for PostgreSQL here)
    const org = cli(['org', 'create', '--name', 'Durable'], env, dir);
    expect(org.status, org.stderr).toBe(0);
    const key = cli(['key', 'create', '--org', org.stdout.trim(), '--scopes', 'all'], env, dir).stdout.trim();
    const s1 = await startServer(env, dir);
    const acked: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await api(s1.url, 'POST', '/api/v1/agents', key, { name: `w${w}-${i}` });
          if (r.status === 201) acked.push(r.json.data.id);
        } catch {
          return; // connection cut by the kill
        }
      }
    });
    while (acked.length < 60) await new Promise((r) => setTimeout(r, 10));
    s1.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await s1.exited;
    const s2 = await startServer(env, dir);
    try {
      const missing: string[] = [];
      for (const id of acked) {
        const r = await api(s2.url, 'GET', `/api/v1/agents/${id}`, key);
        if (r.status !== 200) missing.push(id);
      }
      expect(missing).toEqual([]);
      expect(acked.length).toBeGreaterThanOrEqual(60);
    } finally {
      s2.proc.kill('SIGTERM');
      expect(await s2.exited).toBe(0);
    }
  });
});
