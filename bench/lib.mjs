// Shared by bench/run.mjs and bench/soak.mjs: child processes (the server, the baselines; all
// tracked and stopped on exit or Ctrl-C), RSS sampling, one autocannon run, and the workloads.
import { execFileSync, fork, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/flowyte.js');

export const log = (m) => process.stderr.write(`${m}\n`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------------------------------------
// processes: every child is tracked and killed on exit, error or Ctrl-C

export const children = new Set();
/** async functions run (last first) by cleanupAll */
export const cleanups = [];

function track(child, name) {
  child.benchName = name;
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!child.stopping) log(`!! ${name} (pid ${child.pid}) exited unexpectedly (${code ?? signal}): ${child.stderrTail ?? ''}`);
  });
  return child;
}

export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.stopping = true;
  child.kill('SIGTERM');
  if ((await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)])) === false) {
    child.kill('SIGKILL');
    await exited;
  }
}

export async function cleanupAll() {
  await Promise.all([...children].map(stop));
  while (cleanups.length) await cleanups.pop()().catch((err) => log(`cleanup: ${err.message}`));
}

export function stopOnSignals() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      log(`\n${sig}: stopping`);
      for (const c of children) c.stopping = true;
      cleanupAll().finally(() => process.exit(130));
    });
  }
}

/** A port nobody listens on now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url, child, timeoutMs = 60_000) {
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.benchName} exited (${child.exitCode ?? child.signalCode}): ${child.stderrTail ?? ''}`);
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status === 200) return performance.now() - t0;
    } catch {}
    if (performance.now() - t0 > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The node flags of `npm start` (package.json's start script: `node <flags> bin/flowyte.js serve`). */
const START_FLAGS = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start.split(' ').filter((a) => a.startsWith('--'));

/** `node bin/flowyte.js serve` (what `npm start` runs) on the database; resolves when /readyz is 200. */
export async function startProject(db, options = {}, attempt = 1) {
  try {
    return await startProjectOnce(db, options);
  } catch (err) {
    if (attempt < 3 && /EADDRINUSE/.test(err.message)) return startProject(db, options, attempt + 1);
    throw err;
  }
}

async function startProjectOnce(db, { metrics = true, dataDir = db.dataDir, name = 'project', profileDir = null }) {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FLOWYTE_RATE_LIMIT_PER_MIN: '0', FLOWYTE_WEB_ROOT: 'off', FLOWYTE_METRICS: metrics ? 'on' : 'off' };
  delete env.DATABASE_URL;
  delete env.FLOWYTE_DATA_DIR;
  if (db.kind === 'pg') env.DATABASE_URL = db.url;
  else env.FLOWYTE_DATA_DIR = dataDir;
  const t0 = performance.now();
  // --profile: the server runs under V8's sampling profiler; the profile is written when it stops (SIGTERM)
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=200'] : [];
  // exactly what `npm start` runs (package.json), V8 flag included
  const child = track(spawn(process.execPath, [...execArgv, ...START_FLAGS, BIN, 'serve'], { env, cwd: db.runDir, stdio: ['ignore', 'ignore', 'pipe'] }), name);
  child.stderrTail = '';
  child.stderr.on('data', (d) => (child.stderrTail = (child.stderrTail + d).slice(-2000)));
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/readyz`, child);
  return { child, pid: child.pid, base, readyMs: performance.now() - t0 };
}

export async function startBaseline(script, args, name) {
  const port = await freePort();
  const child = track(fork(path.join(ROOT, 'bench/baselines', script), [String(port), ...args], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }), name);
  child.stderrTail = '';
  child.stderr.on('data', (d) => (child.stderrTail = (child.stderrTail + d).slice(-2000)));
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${child.stderrTail}`)));
  });
  return { child, pid: child.pid, base: `http://127.0.0.1:${port}` };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used, in ms (0 when it is gone). */
export function cpuMs(pid) {
  try {
    // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
    const after = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(after[11]) + Number(after[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU time of every PostgreSQL process of the machine (server, backends, WAL writer, …), in ms. */
export function postgresCpuMs() {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const after = stat.split(') ').pop().split(' ');
      total += ((Number(after[11]) + Number(after[12])) * 1000) / CLK_TCK;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

export function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

// ------------------------------------------------------------------------------------------------
// load

/**
 * One autocannon run; the RSS of `pid` is sampled every 250 ms meanwhile. `wl` is a workload: `next()` returns { method, path, headers, body } for
 * each request (or null when it has none to give), `done(status, headers, req)` sees each answer.
 */
export async function load(base, wl, { seconds, connections, pid = null, cpuPid = pid }) {
  // CPU used during the run by the server under load, by PostgreSQL, and by this process (the load generator)
  const cpu0 = { server: cpuPid ? cpuMs(cpuPid) : 0, pg: postgresCpuMs(), loadgen: process.cpuUsage() };
  let max = 0;
  const samples = [];
  const timer = pid ? setInterval(() => {
    const kb = rssKb(pid);
    samples.push(kb);
    if (kb > max) max = kb;
  }, 250) : null;
  try {
    const r = await autocannon({
      url: base,
      connections,
      duration: seconds,
      timeout: 10,
      requests: [{
        setupRequest: (req, ctx) => {
          const x = wl.next();
          if (!x) return null;
          ctx.x = x;
          return { ...req, method: x.method ?? 'GET', path: x.path, headers: x.headers, body: x.body };
        },
        onResponse: wl.done ? (status, _body, ctx, headers) => wl.done(status, headers, ctx.x) : undefined,
      }],
    });
    const status = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
    const lg = process.cpuUsage(cpu0.loadgen);
    const cpu = { serverMs: cpuPid ? cpuMs(cpuPid) - cpu0.server : null, pgMs: postgresCpuMs() - cpu0.pg, loadgenMs: (lg.user + lg.system) / 1000 };
    return {
      rps: r.requests.average,
      total: r.requests.total,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      mean: r.latency.average,
      max: r.latency.max,
      status,
      errors: r.errors,
      timeouts: r.timeouts,
      cpu,
      rssMaxMb: pid ? max / 1024 : null,
      rssLastMb: pid && samples.length ? samples[samples.length - 1] / 1024 : null,
    };
  } finally {
    if (timer) clearInterval(timer);
  }
}


// ------------------------------------------------------------------------------------------------
// workloads: `next()` gives the next request, `done()` (optional) sees its answer

/** Cycles through prepared requests. */
export const cycle = (items) => {
  let i = 0;
  return { next: () => items[i++ % items.length] };
};

/** Authorization of each organization (its key) plus `x-org`, which only the bare servers read. */
export const headersOf = (manifest) => manifest.orgs.map((o) => ({ authorization: `Bearer ${o.key}`, 'x-org': o.id }));

/** The agents of a seed manifest as objects. */
export const agentsOf = (manifest) => manifest.ids.map((id, i) => ({ id, org: manifest.org[i], tpl: manifest.tpl[i], published: manifest.published[i] === 1 }));

/** Live reads: random published agents, both channels, random instants over two weeks around the holidays. */
export function liveItems(published, headers, rng, n = 20_000) {
  const t0 = Date.parse('2026-12-21T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const a = published[Math.floor(rng() * published.length)];
    const at = new Date(t0 + Math.floor(rng() * 14 * 1440) * 60_000).toISOString();
    return { a, path: `/api/v1/agents/${a.id}/live?channel=${i % 2 ? 'chat' : 'voice'}&at=${encodeURIComponent(at)}`, headers: headers[a.org] };
  });
}

/**
 * PATCH with If-Match over `pool` (agents nobody else edits): each request takes an agent no
 * request in flight holds, with the version its last answer gave (ETag). `versions` (id → version)
 * persists across runs; make() gives one run's workload and forgets the agents whose requests the
 * previous run cut off (their version is unknown).
 */
export function patchWorkloads(pool, headers, side) {
  const versions = new Map(pool.map((a) => [a.id, 1]));
  let i = 0;
  let seq = 0;
  let pending = new Set();
  const wl = {
    next() {
      for (let tries = 0; tries < pool.length; tries++) {
        const a = pool[i++ % pool.length];
        const v = versions.get(a.id);
        if (v === undefined || pending.has(a.id)) continue;
        pending.add(a.id);
        seq++;
        return {
          method: 'PATCH',
          path: `/api/v1/agents/${a.id}`,
          a,
          headers: { ...headers[a.org], 'if-match': `"${v}"`, 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify({ tone: seq % 2 ? 'warm and brief' : 'calm and precise', greeting: `Thanks for calling! (${side} edit ${seq})` }),
        };
      }
      return null;
    },
    done(status, h, x) {
      pending.delete(x.a.id);
      const m = /^"(\d+)"$/.exec(h.etag ?? '');
      if (status < 300 && m) versions.set(x.a.id, Number(m[1]));
      else versions.delete(x.a.id); // unknown now: leave it alone
    },
  };
  return {
    versions,
    make() {
      for (const id of pending) versions.delete(id);
      pending = new Set();
      return wl;
    },
  };
}
