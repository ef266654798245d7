import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { api, bootstrapKey, cli, freePort, serverEnv, startServer, tempDir, type Server } from './processes.js';
import { openTestDb, PG_URL } from '../helpers/db.js';

// The CLI's stdout/exit-code contract, and that it works while a server runs (operations.md).
describe(`flowyte CLI beside a running server (${PG_URL ? 'PostgreSQL' : 'embedded'})`, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: Server;
  let drop: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    dir = tempDir();
    let databaseUrl: string | null = null;
    if (PG_URL) {
      const t = await openTestDb();
      databaseUrl = t.url;
      await t.db.close();
      drop = t.drop;
    }
    env = serverEnv({ dataDir: dir, databaseUrl, port: await freePort() });
    server = await startServer(env, dir);
  });
  afterAll(async () => {
    server.proc.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
    await drop?.();
  });

  it('first start created Default with a bootstrap key (file mode 0600), printed once to stderr', () => {
    const file = PG_URL ? path.join(dir, '.flowyte/bootstrap-key') : path.join(dir, 'bootstrap-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = PG_URL ? bootstrapKey(path.join(dir, '.flowyte')) : bootstrapKey(dir);
    expect(server.stderr()).toContain(key);
    expect(server.stderr()).toContain('curl');
    const orgs = cli(['org', 'list'], env, dir);
    expect(orgs.status).toBe(0);
    expect(orgs.stdout).toMatch(/^org_[0-9A-Z]{26}\tDefault\n$/);
  });

  it('mints and revokes a key that the running server honours at once', async () => {
    const org = cli(['org', 'create', '--name', 'Cli Co'], env, dir);
    expect(org.status).toBe(0);
    const orgId = org.stdout.trim();
    expect(orgId).toMatch(/^org_[0-9A-Z]{26}$/);
    expect(org.stderr).toBe('');
    const created = cli(['key', 'create', '--org', orgId, '--scopes', 'agents:read,agents:draft', '--name', 'ops'], env, dir);
    expect(created.status, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(created.stdout).toBe(`${key}\n`);
    expect((await api(server.url, 'POST', '/api/v1/agents', key, { name: 'From CLI key' })).status).toBe(201);
    const list = cli(['key', 'list', '--org', orgId], env, dir);
    expect(list.status).toBe(0);
    const [line] = list.stdout.trim().split('\n');
    const [id, start, name, scopes, revoked] = line!.split('\t');
    expect(id).toMatch(/^key_/);
    expect(key.startsWith(start!)).toBe(true);
    expect([name, scopes, revoked]).toEqual(['ops', 'agents:read,agents:draft', '-']);
    expect(list.stdout).not.toContain(key);
    const rev = cli(['key', 'revoke', id!], env, dir);
    expect(rev.status, rev.stderr).toBe(0);
    expect(rev.stdout).toBe('');
    if (PG_URL) await new Promise((r) => setTimeout(r, 1100)); // other processes: within one second
    expect((await api(server.url, 'GET', '/api/v1/agents', key)).status).toBe(401);
    const again = cli(['key', 'revoke', id!], env, dir);
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli(['key', 'list', '--org', orgId], env, dir).stdout).toMatch(/\t\d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
  });

  it('exit 2 on bad usage, 1 on failure, with a one-line reason on stderr', () => {
    const cases: [string[], number][] = [
      [['frobnicate'], 2],
      [['key', 'create', '--org', 'org_nope', '--scopes', 'all'], 2],
      [['key', 'create', '--org', 'org_01JD3ZK7X8V2Q5M1N9P4R6T0WA', '--scopes', 'agents:fly'], 2],
      [['key', 'create', '--scopes', 'all'], 2],
      [['key', 'revoke', 'not-a-key'], 2],
      [['org', 'create'], 2],
      [['key', 'create', '--org', 'org_01JD3ZK7X8V2Q5M1N9P4R6T0WA', '--scopes', 'all'], 1],
      [['key', 'revoke', 'key_01JD3ZK7X8V2Q5M1N9P4R6T0WA'], 1],
    ];
    for (const [args, code] of cases) {
      const r = cli(args, env, dir);
      expect(r.status, args.join(' ')).toBe(code);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1); // a one-line reason
    }
  });

  it('invalid configuration stops with a one-line reason naming the variable', () => {
    const r = cli(['org', 'list'], { ...env, PORT: 'eighty' }, dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^flowyte: invalid PORT/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!!PG_URL)('a second server on the same data directory is refused with the holder pid', () => {
    const r = cli(['serve'], { ...env, PORT: '0' }, dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`is in use by pid ${server.proc.pid}`);
  });

  it('openapi prints the document without opening storage', () => {
    const r = cli(['openapi'], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', FLOWYTE_DATA_DIR: '/nonexistent/x' }, dir);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).openapi).toBe('3.1.0');
  });
});
