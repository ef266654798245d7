import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/flowyte.js');

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'flowyte-e2e-'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Environment for the built CLI/server: embedded in `dataDir`, or PostgreSQL at `databaseUrl`. */
export function serverEnv(o: { dataDir?: string; databaseUrl?: string | null; port?: number }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', FLOWYTE_RATE_LIMIT_PER_MIN: '0' };
  delete env.DATABASE_URL;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  if (o.dataDir) env.FLOWYTE_DATA_DIR = path.join(o.dataDir, 'data');
  if (o.port) env.PORT = String(o.port);
  return env;
}

export interface Server {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `flowyte serve` (the built code) and waits until /readyz answers. */
export async function startServer(env: NodeJS.ProcessEnv, cwd: string = ROOT): Promise<Server> {
  const proc = spawn(process.execPath, [BIN, 'serve'], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (c) => (err += c));
  proc.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}): ${err}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not become ready: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, url, stderr: () => err, exited };
}

/** Starts `count` servers on `env` (each on a free port of its own) at once; all ready on return. */
export async function startServers(count: number, env: NodeJS.ProcessEnv, cwd: string = ROOT): Promise<Server[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const started = await Promise.allSettled(ports.map((p) => startServer({ ...env, PORT: String(p) }, cwd)));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    for (const r of started) if (r.status === 'fulfilled') r.value.proc.kill('SIGKILL');
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((r) => (r as PromiseFulfilledResult<Server>).value);
}

/** Runs the built CLI synchronously. */
export function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the built CLI without blocking (so servers can start meanwhile). */
export function cliAsync(args: string[], env: NodeJS.ProcessEnv, cwd: string = ROOT): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (c) => (stdout += c));
    proc.stderr!.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export function bootstrapKey(dataDir: string): string {
  return readFileSync(path.join(dataDir, 'bootstrap-key'), 'utf8').trim();
}

export async function api(url: string, method: string, p: string, key: string, body?: unknown) {
  const r = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}
