import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { api, bootstrapKey, cli, freePort, serverEnv, startServer, tempDir, type Server } from './processes.js';
import { PG_URL } from '../helpers/db.js';
import { restoreCommand } from '../../src/cli/backup.js';
import { CliFailure } from '../../src/cli/admin-commands.js';
import { parseCommand } from '../../src/cli/main.js';

// `flowyte backup` / `flowyte restore` (operations.md CLI; issue 9 item 8): a snapshot taken
// while the server runs and writes are in flight restores into an empty directory with agents,
// drafts, versions, keys and audit events intact and mutually consistent. Embedded only: on
// PostgreSQL the commands refuse (pg_dump / pg_restore), which the last test checks anyway.

const BIN = path.resolve(import.meta.dirname, '../../bin/flowyte.js');
const A = '/api/v1';

/** The built CLI, asynchronously (the write loops of this process keep running meanwhile). */
function cliAsync(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

type Json = Record<string, any>;

async function ok(url: string, method: string, p: string, key: string, body?: unknown, status = method === 'POST' ? 201 : 200): Promise<Json> {
  const r = await api(url, method, p, key, body);
  expect(r.status, `${method} ${p}: ${JSON.stringify(r.json)}`).toBe(status);
  return r.json.data;
}

/** Every item of a paginated list. */
async function all(url: string, p: string, key: string): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | null = null;
  do {
    const sep = p.includes('?') ? '&' : '?';
    const r = await api(url, 'GET', `${p}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key);
    expect(r.status, p).toBe(200);
    out.push(...r.json.data);
    cursor = r.json.pagination.nextCursor;
  } while (cursor);
  return out;
}

/** A one-file ustar archive (a well-formed tar that is not a database). */
function tarOf(name: string, content: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.fill(0x20, 148, 156);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  body.write(content);
  return Buffer.concat([h, body, Buffer.alloc(1024)]);
}

const oneLine = (s: string) => expect(s.trim().split('\n'), s).toHaveLength(1);

/** Restore's own code in this process (no process per case; the CLI prints a CliFailure's one line, exit 1). */
async function refusedInProcess(file: string, dataDir: string, reason: RegExp) {
  const err = await restoreCommand({ databaseUrl: null, dataDir }, file).then(() => null, (e: Error) => e);
  expect(err, file).toBeInstanceOf(CliFailure);
  expect(err!.message, file).toMatch(reason);
  expect(err!.message.split('\n'), file).toHaveLength(1);
  expect((err as CliFailure).exitCode).toBe(1);
}

describe.skipIf(!!PG_URL)('backup and restore of the embedded database', () => {
  const dirs: string[] = [];
  const servers: Server[] = [];
  let dirA: string;
  let envA: NodeJS.ProcessEnv;
  let serverA: Server;
  let key0: string;
  let backupFile: string;
  /** a second process started on the restored copy */
  let serverB: Server;
  let envB: NodeJS.ProcessEnv;
  let dirB: string;

  const newDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  const stop = async (s: Server) => {
    if (s.proc.exitCode === null) s.proc.kill('SIGTERM');
    return s.exited;
  };

  beforeAll(async () => {
    dirA = newDir();
    envA = serverEnv({ dataDir: dirA, port: await freePort() });
    serverA = await startServer(envA, dirA);
    servers.push(serverA);
    key0 = bootstrapKey(dirA);
    backupFile = path.join(newDir(), 'flowyte-backup.tar.gz');
  });
  afterAll(async () => {
    for (const s of servers) await stop(s);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a backup taken under a stream of PATCHes restores agents, drafts, versions, keys and audit events, consistently', async () => {
    const url = serverA.url;
    // keys: one kept, one revoked (api_key.create ×2, api_key.revoke)
    const kept = await ok(url, 'POST', `${A}/api-keys`, key0, { name: 'reader', scopes: ['agents:read'] });
    const gone = await ok(url, 'POST', `${A}/api-keys`, key0, { name: 'revoked', scopes: ['agents:read'] });
    await ok(url, 'DELETE', `${A}/api-keys/${gone.id}`, key0);
    expect((await api(url, 'GET', `${A}/agents`, gone.key)).status).toBe(401);

    // an agent that is only a draft, one with versions, a rollback and unpublished edits, a deleted one
    const draft = await ok(url, 'POST', `${A}/agents`, key0, { name: 'Draft only', persona: 'first' });
    await ok(url, 'PATCH', `${A}/agents/${draft.id}`, key0, { tone: 'warm' });
    await ok(url, 'PATCH', `${A}/agents/${draft.id}`, key0, { goals: ['book tables'] });
    const pub = await ok(url, 'POST', `${A}/agents`, key0, { name: 'Published', persona: 'v1' });
    const v1 = await ok(url, 'POST', `${A}/agents/${pub.id}/publish`, key0, { note: 'first' });
    await ok(url, 'PATCH', `${A}/agents/${pub.id}`, key0, { persona: 'v2' });
    await ok(url, 'POST', `${A}/agents/${pub.id}/publish`, key0, { note: 'second' });
    await ok(url, 'POST', `${A}/agents/${pub.id}/rollback`, key0, { versionId: v1.id }, 200);
    await ok(url, 'PATCH', `${A}/agents/${pub.id}`, key0, { persona: 'v3, not published' });
    const del = await ok(url, 'POST', `${A}/agents`, key0, { name: 'Deleted' });
    await ok(url, 'DELETE', `${A}/agents/${del.id}`, key0);
    // the agents the write loops edit, each published once
    const hot: Json[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await ok(url, 'POST', `${A}/agents`, key0, { name: `Hot ${i}` });
      await ok(url, 'POST', `${A}/agents/${a.id}/publish`, key0, {});
      hot.push(a);
    }

    // what must come back exactly
    const settled = [draft.id, pub.id];
    const before = {
      agents: await Promise.all(settled.map((id) => ok(url, 'GET', `${A}/agents/${id}`, key0))),
      versions: await Promise.all([...settled, ...hot.map((h) => h.id)].map((id) => all(url, `${A}/agents/${id}/versions`, key0))),
      live: await ok(url, 'GET', `${A}/agents/${pub.id}/live?channel=voice&at=2026-12-01T12:00:00Z`, key0),
      keys: (await all(url, `${A}/api-keys`, key0)).map(({ lastUsedAt: _, ...k }) => k),
      audit: await all(url, `${A}/audit-events`, key0),
      agentIds: (await all(url, `${A}/agents`, key0)).map((a) => a.id).sort(),
    };
    expect(before.audit.filter((e) => e.action === 'api_key.revoke').map((e) => e.resourceId)).toEqual([gone.id]);

    // the write loops: one writer per hot agent, every acknowledged PATCH remembered
    const acks: { agent: string; version: number; persona: string; at: number; ms: number }[] = [];
    const failures: number[] = [];
    let stopping = false;
    const writers = hot.map(async (a, w) => {
      for (let n = 1; !stopping; n++) {
        const persona = `edit ${w}-${n}`;
        const sent = performance.now();
        const r = await api(url, 'PATCH', `${A}/agents/${a.id}`, key0, { persona });
        const at = performance.now();
        if (r.status === 200) acks.push({ agent: a.id, version: r.json.data.version, persona, at, ms: at - sent });
        else failures.push(r.status);
      }
    });
    const waitAcks = async (n: number) => {
      const deadline = Date.now() + 15_000;
      while (acks.length < n && failures.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    };
    let backup: Awaited<ReturnType<typeof cliAsync>> | undefined;
    let t0 = 0;
    let t1 = 0;
    let ackedBefore: Map<string, number>;
    try {
      await waitAcks(30);
      ackedBefore = new Map(acks.map((x) => [x.agent, x.version])); // the last acknowledged version of each
      t0 = performance.now();
      backup = await cliAsync(['backup', backupFile], envA, dirA);
      t1 = performance.now();
      const after = acks.length;
      await waitAcks(after + 30); // writes go on after the snapshot too
    } finally {
      stopping = true;
      await Promise.all(writers);
    }
    expect(failures).toEqual([]);
    expect(backup!.stderr).toBe('');
    expect(backup!.status).toBe(0);
    expect(backup!.stdout).toBe('');
    const during = acks.filter((x) => x.at > t0 && x.at < t1);
    expect(during.length, 'PATCHes acknowledged while the backup ran').toBeGreaterThan(0);
    const size = statSync(backupFile).size;
    const slowest = Math.max(...during.map((x) => x.ms));
    console.log(`backup: ${size} bytes in ${Math.round(t1 - t0)} ms (CLI process included); ${during.length} PATCHes acknowledged meanwhile, the slowest in ${Math.round(slowest)} ms`);

    // the file: gzip, mode 0600, no temporary file left beside it
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    const raw = readFileSync(backupFile);
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    expect(readdirSync(path.dirname(backupFile))).toEqual([path.basename(backupFile)]);

    // restore into a new directory (FLOWYTE_DATA_DIR does not exist yet)
    dirB = newDir();
    envB = serverEnv({ dataDir: dirB, port: await freePort() });
    const restored = cli(['restore', backupFile], envB, dirB);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toBe('');
    expect(readdirSync(dirB)).toEqual(['data']); // no lock, no staging directory left
    serverB = await startServer(envB, dirB);
    servers.push(serverB);
    const urlB = serverB.url;
    expect(serverB.stderr()).not.toContain('First start'); // its organization came back: no new bootstrap

    // keys: valid ones authenticate, the revoked one does not
    expect((await api(urlB, 'GET', `${A}/agents`, key0)).status).toBe(200);
    expect((await api(urlB, 'GET', `${A}/agents`, kept.key)).status).toBe(200);
    expect((await api(urlB, 'GET', `${A}/agents`, gone.key)).status).toBe(401);
    expect((await all(urlB, `${A}/api-keys`, key0)).map(({ lastUsedAt: _, ...k }) => k)).toEqual(before.keys);

    // agents, drafts, versions, live config, the deleted agent
    for (const [i, id] of settled.entries()) expect(await ok(urlB, 'GET', `${A}/agents/${id}`, key0)).toEqual(before.agents[i]);
    expect(before.agents[0]!.status).toBe('draft');
    expect(before.agents[1]!.hasUnpublishedChanges).toBe(true);
    for (const [i, id] of [...settled, ...hot.map((h) => h.id)].entries()) {
      expect(await all(urlB, `${A}/agents/${id}/versions`, key0)).toEqual(before.versions[i]);
    }
    expect(before.versions[1]!.map((v) => v.number)).toEqual([2, 1]);
    expect(await ok(urlB, 'GET', `${A}/agents/${pub.id}/live?channel=voice&at=2026-12-01T12:00:00Z`, key0)).toEqual(before.live);
    expect((await api(urlB, 'GET', `${A}/agents/${del.id}`, key0)).status).toBe(404);
    expect((await all(urlB, `${A}/agents`, key0)).map((a) => a.id).sort()).toEqual(before.agentIds);

    // audit: every event of before the backup, unchanged
    const auditB = await all(urlB, `${A}/audit-events`, key0);
    const byId = new Map(auditB.map((e) => [e.id, e]));
    for (const e of before.audit) expect(byId.get(e.id)).toEqual(e);

    // the hot agents: a point in time between "everything acknowledged before the backup
    // started" and "the last write", with content that belongs to the version (nothing half applied)
    let behind = 0;
    for (const a of hot) {
      const got = await ok(urlB, 'GET', `${A}/agents/${a.id}`, key0);
      const mine = acks.filter((x) => x.agent === a.id);
      expect(got.version).toBeGreaterThanOrEqual(ackedBefore!.get(a.id) ?? 2);
      expect(got.version).toBeLessThanOrEqual(mine.at(-1)!.version);
      if (got.version > 2) expect(got.persona).toBe(mine.find((x) => x.version === got.version)!.persona);
      if (got.version < mine.at(-1)!.version) behind++;
    }
    expect(behind, 'writes acknowledged after the snapshot are not in it').toBeGreaterThan(0);

    // every agent's version history agrees with its audit events: create (→1), then one event per
    // increment, the last one at the agent's version; one agent.publish per version
    for (const id of [...settled, ...hot.map((h) => h.id)]) {
      const agent = await ok(urlB, 'GET', `${A}/agents/${id}`, key0);
      const events = auditB.filter((e) => e.resourceType === 'agent' && e.resourceId === id).sort((x, y) => x.agentVersionAfter - y.agentVersionAfter);
      expect(events[0]).toMatchObject({ action: 'agent.create', agentVersionBefore: null, agentVersionAfter: 1 });
      for (let i = 1; i < events.length; i++) {
        expect(events[i]!.agentVersionBefore, `${id} event ${i}`).toBe(events[i - 1]!.agentVersionAfter);
        expect(events[i]!.agentVersionAfter).toBe(events[i]!.agentVersionBefore + 1);
      }
      expect(events.at(-1)!.agentVersionAfter).toBe(agent.version);
      const versions = await all(urlB, `${A}/agents/${id}/versions`, key0);
      expect(events.filter((e) => e.action === 'agent.publish')).toHaveLength(versions.length);
    }
    expect(auditB.filter((e) => e.resourceId === del.id).map((e) => e.action).sort()).toEqual(['agent.create', 'agent.delete']);
    expect(auditB.filter((e) => e.resourceType === 'api_key').map((e) => `${e.action} ${e.resourceId}`).sort()).toEqual(
      [`api_key.create ${before.keys.find((k) => k.name === 'bootstrap')!.id}`, `api_key.create ${kept.id}`, `api_key.create ${gone.id}`, `api_key.revoke ${gone.id}`].sort(),
    );
    // and no audit event without its write: as many agent.update events as acknowledged PATCHes in the image
    for (const a of hot) {
      const got = await ok(urlB, 'GET', `${A}/agents/${a.id}`, key0);
      const updates = auditB.filter((e) => e.resourceId === a.id && e.action === 'agent.update').length;
      expect(updates).toBe(got.version - 2); // create → 1, publish → 2, then one PATCH per version
    }
  });

  it('restore refuses a data directory that a server holds, or that is not empty', () => {
    const held = cli(['restore', backupFile], envB, dirB);
    expect(held.status).toBe(1);
    expect(held.stdout).toBe('');
    oneLine(held.stderr);
    expect(held.stderr).toContain(`is in use by pid ${serverB.proc.pid}`);

    const dirC = newDir();
    const envC = serverEnv({ dataDir: dirC, port: 1 });
    mkdirSync(envC.FLOWYTE_DATA_DIR!);
    writeFileSync(path.join(envC.FLOWYTE_DATA_DIR!, 'keep.txt'), 'mine');
    const full = cli(['restore', backupFile], envC, dirC);
    expect(full.status).toBe(1);
    oneLine(full.stderr);
    expect(full.stderr).toMatch(/^flowyte: data directory .* is not empty/);
    expect(readdirSync(envC.FLOWYTE_DATA_DIR!)).toEqual(['keep.txt']);
    expect(readdirSync(dirC)).toEqual(['data']); // lock released, nothing staged
  });

  it('restore refuses a corrupt or foreign file with a one-line reason and leaves the directory as it was', async () => {
    const good = readFileSync(backupFile);
    const files = newDir();
    const flipped = (() => {
      // one corrupt tar header: decompress, flip a byte in the second header's name, recompress
      const tar = gunzipSync(good);
      const second = 512 + Math.ceil(Number.parseInt(tar.subarray(124, 136).toString().replace(/\0.*$/s, '').trim(), 8) / 512) * 512;
      tar[second + 3] ^= 0x55;
      return gzipSync(tar);
    })();
    const cases: [string, Buffer | null, RegExp, 'cli' | 'in-process'][] = [
      ['truncated.tar.gz', good.subarray(0, Math.floor(good.length / 2)), /^not a PGlite backup: corrupt gzip data/, 'cli'],
      ['foreign.tar.gz', gzipSync(tarOf('notes/hello.txt', 'hello\n')), /^not a PGlite backup: no PostgreSQL data directory in the archive$/, 'cli'],
      ['random.bin', randomBytes(4096), /^not a PGlite backup: not a tar archive$/, 'in-process'],
      ['escape.tar', tarOf('../escaped.txt', 'out of the directory\n'), /^not a PGlite backup: unsafe path in the archive: "\.\.\/escaped\.txt"$/, 'in-process'],
      ['text.gz', gzipSync('hello, not a database\n'), /^not a PGlite backup: the archive is truncated$/, 'in-process'],
      ['flipped.tar.gz', flipped, /^not a PGlite backup: corrupt tar header at byte \d+$/, 'in-process'],
      ['missing.tar.gz', null, /^cannot read .*missing\.tar\.gz: ENOENT/, 'in-process'],
    ];
    for (const [name, bytes, reason, how] of cases) {
      const file = path.join(files, name);
      if (bytes) writeFileSync(file, bytes);
      const dir = newDir();
      const env = serverEnv({ dataDir: dir, port: 1 });
      if (how === 'cli') {
        const r = cli(['restore', file], env, dir);
        expect(r.status, name).toBe(1);
        expect(r.stdout, name).toBe('');
        oneLine(r.stderr);
        expect(r.stderr.trim().replace(/^flowyte: /, ''), name).toMatch(reason);
      } else await refusedInProcess(file, env.FLOWYTE_DATA_DIR!, reason);
      expect(readdirSync(dir), name).toEqual([]); // no data directory, lock or staging directory left behind
    }
  });

  it('with the server stopped, backup opens the directory itself and the copy holds every acknowledged write', async () => {
    // the final state, once the loops are over: what the offline copy must hold
    const agents = await all(serverA.url, `${A}/agents`, key0);
    const audit = await all(serverA.url, `${A}/audit-events`, key0);
    expect(await stop(serverA)).toBe(0);
    const file = path.join(newDir(), 'offline.tar.gz');
    const b = cli(['backup', file], envA, dirA);
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${envA.FLOWYTE_DATA_DIR}.lock`)).toBe(false); // released
    // read the copy as PGlite's own loader reads it (in memory; a restore and a server on it are the first test)
    const pg = await PGlite.create({ loadDataDir: new Blob([new Uint8Array(readFileSync(file))], { type: 'application/x-gzip' }) });
    try {
      const rows = (await pg.query<{ id: string; version: number }>('SELECT id, version FROM agents WHERE deleted_at IS NULL ORDER BY id')).rows;
      expect(rows).toEqual(agents.map((a) => ({ id: a.id, version: a.version })).sort((x, y) => (x.id < y.id ? -1 : 1)));
      const events = (await pg.query<{ id: string }>('SELECT id FROM audit_events ORDER BY id')).rows.map((r) => r.id);
      expect(events).toEqual(audit.map((e) => e.id).sort());

      // genuine PGlite dumps that restore must still refuse (after opening them): a newer Flowyte, no Flowyte at all
      const files = newDir();
      await pg.exec(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')`);
      writeFileSync(path.join(files, 'newer.tar'), Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer())); // a plain tar is read too
      await pg.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE notes (body text)');
      writeFileSync(path.join(files, 'other.tar'), Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()));
      const dir = newDir();
      const dataDir = path.join(dir, 'data');
      mkdirSync(dataDir); // an existing empty directory stays, empty
      await refusedInProcess(path.join(files, 'newer.tar'), dataDir, /^the backup comes from a newer Flowyte \(schema version 999; this one knows up to \d+\)$/);
      await refusedInProcess(path.join(files, 'other.tar'), dataDir, /^not a Flowyte backup: the database has no Flowyte schema$/);
      expect(readdirSync(dir)).toEqual(['data']);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      await pg.close();
    }
  });

  it('backup refuses a directory with no database (creating nothing) and a target inside the data directory', () => {
    const empty = newDir();
    const file = path.join(newDir(), 'x.tar.gz');
    const n = cli(['backup', file], serverEnv({ dataDir: empty, port: 1 }), empty);
    expect(n.status).toBe(1);
    oneLine(n.stderr);
    expect(n.stderr).toMatch(/no database in .*: nothing to back up/);
    expect(readdirSync(empty)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(path.dirname(file))).toEqual([]); // its temporary file removed

    // a backup written into the data directory would end up in the next backup
    const inside = cli(['backup', path.join(envA.FLOWYTE_DATA_DIR!, 'b.tar.gz')], envA, dirA);
    expect(inside.status).toBe(1);
    oneLine(inside.stderr);
    expect(inside.stderr).toMatch(/inside the data directory/);
  });
});

// Runs in both passes: on PostgreSQL the commands refuse before connecting, pointing to its tools.
describe('backup and restore with DATABASE_URL, and bad usage', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses on PostgreSQL with a one-line pointer to pg_dump / pg_restore', () => {
    const env = { ...serverEnv({ dataDir: dir }), DATABASE_URL: PG_URL ?? 'postgres://nobody@127.0.0.1:1/none' };
    const file = path.join(dir, 'x.tar.gz');
    const b = cli(['backup', file], env, dir);
    expect(b.status).toBe(1);
    expect(b.stdout).toBe('');
    oneLine(b.stderr);
    expect(b.stderr).toContain('pg_dump -Fc "$DATABASE_URL"');
    writeFileSync(file, 'whatever');
    const r = cli(['restore', file], env, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    oneLine(r.stderr);
    expect(r.stderr).toContain('pg_restore --clean --if-exists');
    expect(readdirSync(dir)).toEqual(['x.tar.gz']); // no data directory, lock or temporary file
  });

  it('bad usage is exit 2 with a one-line reason', () => {
    const env = serverEnv({ dataDir: dir });
    for (const args of [['backup'], ['restore', '--force', 'x']]) {
      const u = cli(args, env, dir);
      expect(u.status, args.join(' ')).toBe(2);
      expect(u.stdout).toBe('');
      oneLine(u.stderr);
    }
    for (const args of [['backup', 'a', 'b'], ['backup', '-'], ['restore', ''], ['restore']]) expect(() => parseCommand(args), args.join(' ')).toThrow();
    expect(parseCommand(['restore', 'b.tar.gz'])).toEqual({ kind: 'restore', file: 'b.tar.gz' });
    expect(parseCommand(['backup', '/tmp/b.tar.gz'])).toEqual({ kind: 'backup', file: '/tmp/b.tar.gz' });
  });
});
