// Soak: minutes of mixed load against the server on the full data set, sampling its RSS every 10 s
// and reporting the growth (target ≤ 10%). The mix is mostly live reads (random published agents,
// random instants), plus GET of random agents and PATCH with If-Match of draft agents.
//
//   node bench/soak.mjs [--minutes 5] [--agents 100000] [--orgs 1000] [--connections 50]
//                       [--db pg|pglite] [--warmup 30] [--no-write]
//
// PostgreSQL (a fresh database on DATABASE_URL's server or postgres://postgres@127.0.0.1:5432/postgres,
// dropped afterwards) unless --db pglite or no server answers. Writes bench/results/soak-<timestamp>.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgDatabase, pgReachable, seed } from './seed.mjs';
import {
  ROOT, agentsOf, cleanupAll, cleanups, cycle, headersOf, liveItems, load, log, median, mulberry32, patchWorkloads, rssKb,
  startProject, stopOnSignals,
} from './lib.mjs';

const argv = process.argv.slice(2);
const str = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const opts = {
  minutes: Number(str('minutes', 5)),
  agents: Number(str('agents', 100_000)),
  orgs: Number(str('orgs', 1000)),
  connections: Number(str('connections', 50)),
  warmup: Number(str('warmup', 30)),
  db: str('db', null),
  write: !argv.includes('--no-write'),
};
const SAMPLE_MS = 10_000;
stopOnSignals();

try {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-soak-'));
  cleanups.push(async () => rmSync(runDir, { recursive: true, force: true }));
  const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  let kind = opts.db ?? 'pg';
  if (kind === 'pg' && !(await pgReachable(adminUrl))) {
    log(`no PostgreSQL server at ${adminUrl.replace(/\/\/[^@]*@/, '//…@')}: soaking on the embedded database`);
    kind = 'pglite';
  }
  const db = { kind, runDir };
  if (kind === 'pg') {
    const created = await createPgDatabase(adminUrl, 'flowyte_soak');
    cleanups.push(() => created.drop());
    db.url = created.url;
  } else db.dataDir = path.join(runDir, 'data');

  log(`[${kind}] seeding ${opts.agents} agents…`);
  const manifest = await seed({ databaseUrl: db.url, dataDir: db.dataDir, agents: opts.agents, orgs: opts.orgs });
  const project = await startProject(db);
  const rng = mulberry32(7);
  const headers = headersOf(manifest);
  const agents = agentsOf(manifest);
  const lives = cycle(liveItems(agents.filter((a) => a.published), headers, rng, 50_000));
  const gets = cycle(Array.from({ length: 20_000 }, () => {
    const a = agents[Math.floor(rng() * agents.length)];
    return { path: `/api/v1/agents/${a.id}`, headers: headers[a.org] };
  }));
  const patches = patchWorkloads(agents.filter((a) => !a.published).sort(() => rng() - 0.5), headers, 'soak');
  const mix = () => {
    const p = patches.make();
    return {
      next() {
        const r = rng();
        if (r < 0.85) return lives.next();
        if (r < 0.95) return gets.next();
        return p.next() ?? lives.next();
      },
      done(status, h, x) {
        if (x.method === 'PATCH') p.done(status, h, x);
      },
    };
  };

  log(`  warm-up ${opts.warmup} s (not counted)`);
  await load(project.base, mix(), { seconds: opts.warmup, connections: opts.connections });
  const samples = [];
  const t0 = Date.now();
  const timer = setInterval(() => samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMb: +(rssKb(project.pid) / 1024).toFixed(1) }), SAMPLE_MS);
  log(`  ${opts.minutes} min of mixed load (85% live, 10% GET, 5% PATCH), RSS every ${SAMPLE_MS / 1000} s`);
  const r = await load(project.base, mix(), { seconds: opts.minutes * 60, connections: opts.connections, pid: project.pid });
  clearInterval(timer);
  samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMb: +(rssKb(project.pid) / 1024).toFixed(1) });
  // growth: the median of the last three samples against the median of the first three
  const first = median(samples.slice(0, 3).map((x) => x.rssMb));
  const last = median(samples.slice(-3).map((x) => x.rssMb));
  const growth = (last - first) / first;
  const result = {
    startedAt: new Date(t0).toISOString(),
    kind,
    options: opts,
    machine: { cpus: os.cpus().length, memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version },
    dataset: manifest.counts,
    load: { rps: r.rps, p50: r.p50, p99: r.p99, status: r.status, errors: r.errors + r.timeouts },
    rss: { samples, firstMb: first, lastMb: last, maxMb: Math.max(...samples.map((x) => x.rssMb)), growth },
    target: { growth: 0.1 },
    holds: growth <= 0.1,
  };
  log(`  RSS ${samples.map((x) => x.rssMb.toFixed(0)).join(' ')} MB`);
  process.stdout.write(`soak (${kind}, ${manifest.counts.agents} agents, ${opts.minutes} min): ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, statuses ${JSON.stringify(r.status)}; ` +
    `RSS ${first.toFixed(0)} → ${last.toFixed(0)} MB (max ${result.rss.maxMb.toFixed(0)} MB): growth ${(growth * 100).toFixed(1)}% (target ≤ 10%) ${result.holds ? 'holds' : 'MISSED'}\n`);
  if (opts.write) {
    const dir = path.join(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const f = path.join(dir, `soak-${result.startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(f, JSON.stringify(result, null, 2) + '\n');
    log(`wrote ${path.relative(ROOT, f)}`);
  }
} catch (err) {
  log(`soak failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
