// The benchmark suite: every scenario against the real server and against a bare baseline in the
// same run, on PostgreSQL and on the embedded database (PGlite). See bench/README.md.
//
//   node bench/run.mjs [--seconds 5] [--rounds 3] [--warmup 2] [--connections 50] [--agents 100000]
//                      [--orgs 1000] [--only pg|pglite] [--scenarios get,patch,…] [--no-write]
//
// For each database: a fresh database (PostgreSQL: a new database on DATABASE_URL's server, or
// postgres://postgres@127.0.0.1:5432/postgres; skipped with a message when none answers) is
// seeded in bulk (bench/seed.mjs), the built server (`node bin/flowyte.js serve`, dist/) and the
// baselines (bench/baselines/) are started, and each scenario runs: a warm-up of each side
// (excluded), then `rounds` rounds alternating project / baseline, `seconds` each, with autocannon
// and `connections` connections; medians are reported. The server's VmRSS is sampled during its
// loads. Results: bench/results/<timestamp>.json, BENCHMARKS.md and bench/results/chart-*.svg
// (bench/report.mjs), unless --no-write.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPgDatabase, pgReachable, seed } from './seed.mjs';
import { TEMPLATES } from './templates.mjs';
import { writeReport } from './report.mjs';
import {
  ROOT, agentsOf, children, cleanupAll, cleanups, cycle, headersOf, liveItems, load, log, median, mulberry32, patchWorkloads,
  rssKb, startBaseline, startProject, stop, stopOnSignals,
} from './lib.mjs';

// ------------------------------------------------------------------------------------------------
// options

const argv = process.argv.slice(2);
const str = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const num = (name, dflt) => {
  const v = Number(str(name, dflt));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
export const ALL_SCENARIOS = ['coldstart', 'get', 'list', 'live', 'live304', 'metrics', 'patch', 'post'];
const opts = {
  seconds: num('seconds', 5),
  rounds: num('rounds', 3),
  warmup: num('warmup', 2),
  connections: num('connections', 50),
  agents: num('agents', 100_000),
  orgs: num('orgs', 1000),
  only: str('only', null),
  scenarios: (str('scenarios', ALL_SCENARIOS.join(',')) ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  write: !argv.includes('--no-write'),
  /** a directory: the project server (the one every scenario but metrics loads) runs under --cpu-prof and writes its profile there */
  profile: str('profile', null),
};
for (const s of opts.scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (known: ${ALL_SCENARIOS.join(', ')})`);
if (opts.only && !['pg', 'pglite'].includes(opts.only)) throw new Error('--only must be pg or pglite');
const want = (s) => opts.scenarios.includes(s);
stopOnSignals();

if (!existsSync(path.join(ROOT, 'dist/server.js'))) {
  process.stderr.write('bench: dist/ is missing; build first: npx tsc -p tsconfig.build.json\n');
  process.exit(1);
}
function summarize(runs, expected) {
  const m = (k) => median(runs.map((x) => x[k]));
  const status = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.status)) status[k] = (status[k] ?? 0) + v;
  const unexpected = Object.entries(status).filter(([k]) => !expected.includes(Number(k))).reduce((a, [, v]) => a + v, 0);
  return {
    rps: m('rps'), p50: m('p50'), p90: m('p90'), p99: m('p99'), mean: m('mean'),
    total: runs.reduce((a, r) => a + r.total, 0),
    status, unexpected,
    errors: runs.reduce((a, r) => a + r.errors + r.timeouts, 0),
    rssMaxMb: runs.some((r) => r.rssMaxMb !== null) ? Math.max(...runs.map((r) => r.rssMaxMb ?? 0)) : null,
    // CPU per answered request (µs), medians of the rounds: the server under load, PostgreSQL, the load generator
    cpuUs: {
      server: runs.every((r) => r.cpu.serverMs !== null) ? median(runs.map((r) => (r.cpu.serverMs * 1000) / Math.max(1, r.total))) : null,
      pg: median(runs.map((r) => (r.cpu.pgMs * 1000) / Math.max(1, r.total))),
      loadgen: median(runs.map((r) => (r.cpu.loadgenMs * 1000) / Math.max(1, r.total))),
    },
    rounds: runs.map((r) => ({ rps: r.rps, p50: r.p50, p99: r.p99, mean: r.mean, rssMaxMb: r.rssMaxMb })),
  };
}

/** One summary of several runs' summaries: medians over all their rounds, totals summed. */
function mergeHalves(parts) {
  const rounds = parts.flatMap((p) => p.rounds);
  const m = (k) => median(rounds.map((x) => x[k]));
  const status = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.status)) status[k] = (status[k] ?? 0) + v;
  return {
    rps: m('rps'), p50: m('p50'), p90: median(parts.map((p) => p.p90)), p99: m('p99'), mean: m('mean'),
    total: parts.reduce((a, p) => a + p.total, 0), status,
    cpuUs: Object.fromEntries(['server', 'pg', 'loadgen'].map((k) => [k, parts.some((p) => p.cpuUs?.[k] == null) ? null : median(parts.map((p) => p.cpuUs[k]))])),
    unexpected: parts.reduce((a, p) => a + p.unexpected, 0), errors: parts.reduce((a, p) => a + p.errors, 0),
    rssMaxMb: Math.max(...parts.map((p) => p.rssMaxMb ?? 0)), rounds,
  };
}

/**
 * Warm-up of each side, then rounds alternating the sides (project first, or ABBA for two peers). `sides`: [{ key, base, pid?, make() }]
 * where make() returns a fresh workload for one run. Returns { [key]: summary }.
 */
async function alternate(title, sides, expected = [200], { warmupFactor = 1, abba = false } = {}) {
  log(`  ${title}`);
  for (const s of sides) await load(s.base, s.make(), { seconds: opts.warmup * warmupFactor, connections: opts.connections });
  const runs = Object.fromEntries(sides.map((s) => [s.key, []]));
  for (let r = 0; r < opts.rounds; r++) {
    // abba: the order flips every round, so neither side always runs first (for two peers)
    for (const s of abba && r % 2 ? [...sides].reverse() : sides) {
      const res = await load(s.base, s.make(), { seconds: opts.seconds, connections: opts.connections, pid: s.pid, cpuPid: s.cpuPid ?? s.pid });
      runs[s.key].push(res);
      log(`    round ${r + 1} ${s.key.padEnd(14)} ${res.rps.toFixed(0).padStart(6)} req/s  p50 ${String(res.p50).padStart(4)} ms  p99 ${String(res.p99).padStart(4)} ms  ${JSON.stringify(res.status)}${res.errors + res.timeouts ? ` errors ${res.errors + res.timeouts}` : ''}${res.rssMaxMb ? `  rss ${res.rssMaxMb.toFixed(0)} MB` : ''}`);
    }
  }
  return Object.fromEntries(sides.map((s) => [s.key, summarize(runs[s.key], s.expected ?? expected)]));
}

// ------------------------------------------------------------------------------------------------
// workloads

function liveBodies(project, ids, headersOf, at) {
  // the project's own answers, one per agent, fetched once (also checks that each one is served)
  return async () => {
    const answers = {};
    let k = 0;
    const worker = async () => {
      while (k < ids.length) {
        const { id, org } = ids[k++];
        const r = await fetch(`${project.base}/api/v1/agents/${id}/live?channel=voice&at=${encodeURIComponent(at)}`, { headers: headersOf(org) });
        const body = await r.text();
        if (r.status !== 200) throw new Error(`live of ${id}: ${r.status} ${body.slice(0, 200)}`);
        answers[id] = { body, etag: r.headers.get('etag') };
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return answers;
  };
}

// ------------------------------------------------------------------------------------------------
// one database

async function runDatabase(kind, pgAdminUrl) {
  const out = { kind, scenarios: {} };
  const runDir = mkdtempSync(path.join(os.tmpdir(), `flowyte-bench-${kind}-`));
  cleanups.push(async () => rmSync(runDir, { recursive: true, force: true }));
  const db = { kind, runDir };
  if (kind === 'pg') {
    const created = await createPgDatabase(pgAdminUrl);
    cleanups.push(() => created.drop());
    db.url = created.url;
    const c = new pg.Client({ connectionString: created.url });
    await c.connect();
    out.server = (await c.query('SHOW server_version')).rows[0].server_version;
    out.sharedBuffers = (await c.query('SHOW shared_buffers')).rows[0].shared_buffers;
    await c.end();
  } else {
    db.dataDir = path.join(runDir, 'data');
  }

  log(`\n[${kind}] seeding ${opts.agents} agents in ${opts.orgs} organizations…`);
  const manifest = await seed({ databaseUrl: db.url, dataDir: db.dataDir, agents: opts.agents, orgs: opts.orgs, log: (m) => log(m) });
  out.seed = { seconds: manifest.seedSeconds, counts: manifest.counts };
  if (kind === 'pg') {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    out.seed.databaseSize = (await c.query('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0].s;
    await c.end();
  } else {
    out.seed.databaseSize = `${(Number(execFileSync('du', ['-sk', db.dataDir]).toString().split('\t')[0]) / 1024).toFixed(0)} MB (data dir)`;
  }

  // cold start: `node bin/flowyte.js serve` (npm start) to /readyz 200, on the seeded database
  if (want('coldstart')) {
    const times = [];
    for (let r = 0; r < opts.rounds; r++) {
      const p = await startProject(db, { name: 'coldstart' });
      times.push(p.readyMs);
      await stop(p.child);
    }
    out.coldstart = { ms: times, medianMs: median(times), maxMs: Math.max(...times) };
    log(`  cold start to /readyz: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`);
  }

  // the embedded database: the baselines (and the metrics-off server) get copies of the seeded data dir
  const copyDir = (suffix) => {
    const d = `${db.dataDir}-${suffix}`;
    cpSync(db.dataDir, d, { recursive: true });
    return d;
  };
  const sqlTarget = kind === 'pg' ? db.url : copyDir('bare');
  const onDir = kind === 'pglite' && want('metrics') ? copyDir('metrics-on') : null;
  const offDir = kind === 'pglite' && want('metrics') ? copyDir('metrics-off') : null;

  const project = await startProject(db, { name: 'project', profileDir: opts.profile ? path.resolve(opts.profile, kind) : null });
  out.idleRssMb = rssKb(project.pid) / 1024;
  const bare = await startBaseline('bare-sql-server.mjs', [sqlTarget], 'bare-sql');

  const rng = mulberry32(42);
  const orgs = manifest.orgs;
  const headers = headersOf(manifest);
  const agents = agentsOf(manifest);
  const published = agents.filter((a) => a.published);
  const drafts = agents.filter((a) => !a.published);
  const sample = (arr, n) => Array.from({ length: n }, () => arr[Math.floor(rng() * arr.length)]);
  out.dataset = { agents: agents.length, published: published.length, organizations: orgs.length, bigOrganization: manifest.counts.big };
  let projectOn = null;
  let projectOff = null;

  try {
    // GET /agents/{id}: random agents of the whole data set, each with its organization's key
    if (want('get')) {
      const items = sample(agents, 20_000).map((a) => ({ path: `/api/v1/agents/${a.id}`, headers: headers[a.org] }));
      const r = await alternate('GET /agents/{id} (random agents)', [
        { key: 'project', base: project.base, pid: project.pid, make: () => cycle(items) },
        { key: 'baseline', base: bare.base, cpuPid: bare.pid, make: () => cycle(items) },
      ]);
      out.scenarios.get = { ...r, target: { rps: 0.7, p99: 1.5 } };
    }

    // GET /agents?limit=20: first page vs a page `depth` items deep in the big organization
    if (want('list')) {
      const big = manifest.counts.big;
      const depth = Math.max(100, Math.min(5000, Math.floor((big - 40) / 100) * 100));
      let cursor = null;
      let lastId = null;
      for (let seen = 0; seen < depth; seen += 100) {
        const r = await fetch(`${project.base}/api/v1/agents?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: headers[0] });
        const j = await r.json();
        if (r.status !== 200 || !j.pagination.nextCursor) throw new Error(`paging the big organization: ${r.status}`);
        cursor = j.pagination.nextCursor;
        lastId = j.data[j.data.length - 1].id;
      }
      const one = (p) => cycle([{ path: p, headers: headers[0] }]);
      const r = await alternate(`GET /agents?limit=20: first page vs ${depth} items deep (organization of ${big})`, [
        { key: 'project-first', base: project.base, pid: project.pid, make: () => one('/api/v1/agents?limit=20') },
        { key: 'project-deep', base: project.base, pid: project.pid, make: () => one(`/api/v1/agents?limit=20&cursor=${encodeURIComponent(cursor)}`) },
        { key: 'baseline-first', base: bare.base, cpuPid: bare.pid, make: () => one('/api/v1/agents?limit=20') },
        { key: 'baseline-deep', base: bare.base, cpuPid: bare.pid, make: () => one(`/api/v1/agents?limit=20&cursor=${lastId}`) },
      ]);
      out.scenarios.list = { ...r, depth, target: { deepLatency: 1.5 } };
    }

    // GET /agents/{id}/live: random published agents, random instants over two weeks around the holidays
    let answers = null;
    const FIXED_AT = '2026-12-22T15:00:00Z';
    let lives = [];
    if (want('live') || want('live304') || want('metrics')) {
      lives = liveItems(published, headers, rng);
      const distinct = [...new Map(lives.map((x) => [x.a.id, x.a])).values()];
      const tb = performance.now();
      answers = await liveBodies(project, distinct, (o) => headers[o], FIXED_AT)();
      log(`  fetched ${distinct.length} live bodies for the in-memory baseline in ${((performance.now() - tb) / 1000).toFixed(1)} s`);
    }
    let bareLive = null;
    let fastifyLive = null;
    if (answers) {
      const file = path.join(runDir, 'live-bodies.json');
      writeFileSync(file, JSON.stringify(answers));
      bareLive = await startBaseline('bare-live-server.mjs', [file], 'bare-live');
      fastifyLive = await startBaseline('fastify-live-server.mjs', [file], 'fastify-live');
    }
    if (want('live')) {
      const r = await alternate('GET /agents/{id}/live (random published agents, random instants)', [
        { key: 'project', base: project.base, pid: project.pid, make: () => cycle(lives) },
        { key: 'baseline', base: bareLive.base, cpuPid: bareLive.pid, make: () => cycle(lives) },
        { key: 'fastify', base: fastifyLive.base, cpuPid: fastifyLive.pid, make: () => cycle(lives) },
      ]);
      out.scenarios.live = { ...r, target: { rps: 0.5, p99: 2 } };
    }
    if (want('live304')) {
      // a runtime polling its agent with the ETag it holds: 304 expected
      const polls = lives.map((x) => ({
        path: `/api/v1/agents/${x.a.id}/live?channel=voice&at=${encodeURIComponent(FIXED_AT)}`,
        headers: { ...x.headers, 'if-none-match': answers[x.a.id].etag },
      }));
      const r = await alternate('GET /agents/{id}/live with a matching If-None-Match (304)', [
        { key: 'project', base: project.base, pid: project.pid, make: () => cycle(polls) },
        { key: 'baseline', base: bareLive.base, cpuPid: bareLive.pid, make: () => cycle(polls) },
        { key: 'fastify', base: fastifyLive.base, cpuPid: fastifyLive.pid, make: () => cycle(polls) },
      ], [304]);
      out.scenarios.live304 = { ...r, target: { rps: 0.7 } };
    }
    if (want('metrics')) {
      // two servers started for this scenario alike (same data, same warm-up), differing only in
      // FLOWYTE_METRICS; twice, each side started first once: on this machine the server started
      // first of a pair measured up to 40% slower than the other whatever its setting, so a
      // single pair mostly measured the start order
      const prof = (side, half) => (opts.profile ? path.resolve(opts.profile, `${kind}-metrics-${side}-${half}`) : null);
      const halves = [];
      for (const first of ['on', 'off']) {
        const startSide = (side) => startProject(db, {
          metrics: side === 'on', dataDir: (side === 'on' ? onDir : offDir) ?? db.dataDir, name: `project-metrics-${side}`, profileDir: prof(side, first),
        });
        if (first === 'on') {
          projectOn = await startSide('on');
          projectOff = await startSide('off');
        } else {
          projectOff = await startSide('off');
          projectOn = await startSide('on');
        }
        halves.push(await alternate(`GET /agents/{id}/live, FLOWYTE_METRICS on vs off (two fresh servers, ${first} started first)`, [
          { key: 'metrics-on', base: projectOn.base, pid: projectOn.pid, make: () => cycle(lives) },
          { key: 'metrics-off', base: projectOff.base, pid: projectOff.pid, make: () => cycle(lives) },
        ], [200], { warmupFactor: 3, abba: true }));
        await stop(projectOn.child);
        await stop(projectOff.child);
        projectOn = projectOff = null;
      }
      out.scenarios.metrics = { 'metrics-on': mergeHalves(halves.map((h) => h['metrics-on'])), 'metrics-off': mergeHalves(halves.map((h) => h['metrics-off'])), target: { cost: 0.05 } };
    }
    await stop(bareLive?.child);
    await stop(fastifyLive?.child);

    // PATCH /agents/{id} with If-Match: each request a draft agent no request in flight holds,
    // with the version its last answer gave (ETag); the two sides patch disjoint agents
    if (want('patch')) {
      const pool = [...drafts].sort(() => rng() - 0.5);
      const half = Math.floor(pool.length / 2);
      const P = patchWorkloads(pool.slice(0, half), headers, 'project');
      const B = patchWorkloads(pool.slice(half), headers, 'baseline');
      const r = await alternate('PATCH /agents/{id} with If-Match (distinct draft agents)', [
        { key: 'project', base: project.base, pid: project.pid, make: () => P.make() },
        { key: 'baseline', base: bare.base, cpuPid: bare.pid, make: () => B.make() },
      ]);
      out.scenarios.patch = { ...r, target: { rps: 0.5 } };
    }

    // POST /agents with Idempotency-Key: unique keys and names per request, random organizations
    if (want('post')) {
      const tag = Date.now().toString(36);
      const makePost = (side) => {
        let seq = 0;
        return () => ({
          next() {
            seq++;
            const org = Math.floor(rng() * orgs.length);
            const t = TEMPLATES[seq % TEMPLATES.length].body;
            return {
              method: 'POST',
              path: '/api/v1/agents',
              headers: { ...headers[org], 'content-type': 'application/json', 'idempotency-key': `bench-${tag}-${side}-${seq}` },
              body: JSON.stringify({ ...t, name: `${t.name} ${side} ${tag}-${seq}` }),
            };
          },
        });
      };
      const r = await alternate('POST /agents with Idempotency-Key', [
        { key: 'project', base: project.base, pid: project.pid, make: makePost('project') },
        { key: 'baseline', base: bare.base, cpuPid: bare.pid, make: makePost('baseline') },
      ], [201]);
      out.scenarios.post = { ...r, target: { rps: 0.4 } };
    }
  } finally {
    out.finalRssMb = rssKb(project.pid) / 1024;
    await stop(projectOn?.child);
    await stop(projectOff?.child);
    await stop(project.child);
    await stop(bare.child);
  }
  // memory: the server's peak VmRSS over all of its loads
  const peaks = Object.entries(out.scenarios).filter(([id]) => id !== 'metrics')
    .flatMap(([, s]) => Object.values(s).filter((v) => v && typeof v === 'object' && v.rssMaxMb != null).map((v) => v.rssMaxMb));
  out.memory = { peakRssMb: peaks.length ? Math.max(...peaks) : null, idleRssMb: out.idleRssMb, target: { mb: 250 } };
  // free this database's disk before the next one
  while (cleanups.length) await cleanups.pop()();
  return out;
}

// ------------------------------------------------------------------------------------------------
// main

const results = {
  startedAt: new Date().toISOString(),
  options: opts,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  },
  databases: {},
  skipped: {},
};

try {
  if (opts.only !== 'pglite') {
    const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    if (await pgReachable(adminUrl)) results.databases.pg = await runDatabase('pg', adminUrl);
    else {
      results.skipped.pg = `no PostgreSQL server at ${adminUrl.replace(/\/\/[^@]*@/, '//…@')} (set DATABASE_URL)`;
      log(`\n[pg] skipped: ${results.skipped.pg}`);
    }
  }
  if (opts.only !== 'pg') results.databases.pglite = await runDatabase('pglite');
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageAtEnd = os.loadavg().map((x) => +x.toFixed(2));
  const { table, files } = writeReport(results, { root: ROOT, write: opts.write });
  process.stdout.write(`\n${table}\n`);
  if (files.length) log(`\nwrote ${files.map((f) => path.relative(ROOT, f)).join(', ')}`);
} catch (err) {
  log(`bench failed: ${err.stack ?? err}`);
  for (const c of children) if (c.stderrTail) log(`--- ${c.benchName} (pid ${c.pid}) stderr:\n${c.stderrTail}`);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
