// GET /api/v1/agents/{id}/live — the hot path — side by side with a bare node:http server that
// returns the same precomputed JSON from memory (bench/bare-live-server.mjs), in the same run.
// Starts the built server on a fresh embedded database (or a fresh database on DATABASE_URL's
// server), creates and publishes realistic agents, then alternates rounds project / baseline
// (warm-up excluded) and reports medians. Scenarios: random published agents at random
// instants; and a runtime polling with a matching If-None-Match (304).
// Usage: npm run bench:live [-- --seconds 5 --rounds 3 --connections 50 --agents 200]
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 5);
const rounds = arg('rounds', 3);
const connections = arg('connections', 50);
const agentCount = arg('agents', 200);
const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'flowyte-bench-live-'));
const port = 30000 + Math.floor(Math.random() * 15000);
const barePort = port + 1;

let databaseUrl = null;
let dropDb = null;
if (process.env.DATABASE_URL) {
  const name = `flowyte_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${name}`;
  databaseUrl = u.toString();
  dropDb = async () => {
    const a = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  };
}
const env = { ...process.env, PORT: String(port), FLOWYTE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn', FLOWYTE_RATE_LIMIT_PER_MIN: '0' };
delete env.DATABASE_URL;
if (databaseUrl) env.DATABASE_URL = databaseUrl;
mkdirSync(path.join(dir, '.flowyte'), { recursive: true });
const server = spawn(process.execPath, [path.join(ROOT, 'bin/flowyte.js'), 'serve'], { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
server.stderr.resume();
let bare = null;
const base = `http://127.0.0.1:${port}`;

function agentBody(i) {
  return {
    name: `Bright Smile Dental ${i}`,
    persona: 'You are the front desk of a family dental practice. You are calm, friendly and precise. '.repeat(6),
    languages: ['en-US', 'es'],
    goals: ['Book, move or cancel appointments', 'Answer questions about insurance and prices', 'Take a message for the dentist'],
    neverDo: ['Give medical advice', 'Quote prices not in the price list', 'Share other patients\' information'],
    tone: 'warm and brief',
    lexicon: { preferred: ['appointment', 'cleaning'], banned: ['cheap'], pronunciations: { Invisalign: 'in-vis-a-line', 'Dr.': 'doctor' } },
    greeting: 'Thanks for calling Bright Smile Dental! How can I help?',
    handoffConfig: {
      warm: true,
      transferDestination: '(415) 555-0134',
      transferRules: [
        { label: 'billing', when: 'the caller asks about an invoice', destination: '+14155550135' },
        { label: 'emergency', when: 'the caller is in pain or bleeding', destination: '+14155550136' },
      ],
    },
    callControl: { maxCallSeconds: 900, maxIdleReminders: 3 },
    businessHours: {
      timezone: 'America/New_York',
      weekly: {
        mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }],
        tue: [{ start: '08:00', end: '17:00' }], wed: [{ start: '08:00', end: '17:00' }],
        thu: [{ start: '08:00', end: '19:00' }], fri: [{ start: '08:00', end: '15:00' }], sat: [{ start: '09:00', end: '12:00' }],
      },
      holidays: [
        { date: '2026-12-24', endDate: '2026-12-26', name: 'Christmas' },
        { date: '2026-12-31', name: 'New Year\'s Eve', closed: false, ranges: [{ start: '08:00', end: '12:00' }] },
        { date: '2027-01-01', name: 'New Year' },
        { date: '2027-05-31', name: 'Memorial Day' },
        { date: '2027-07-05', name: 'Independence Day' },
      ],
      afterHours: { mode: 'take_message', message: 'Our office is closed. We reopen {nextOpen}.', emergencyNumber: '(415) 555-0199' },
    },
    channelOverrides: { chat: { greeting: 'Hi! How can we help with your smile today?', tone: 'friendly' } },
  };
}

async function waitReady(url) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (i > 300) throw new Error(`${url} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function load(url, paths, headersFor) {
  let i = 0;
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req) => {
      const n = i++ % paths.length;
      return { ...req, path: paths[n], headers: { ...req.headers, ...headersFor(n) } };
    } }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

try {
  await waitReady(`${base}/readyz`);
  const key = readFileSync(path.join(dir, databaseUrl ? '.flowyte/bootstrap-key' : 'bootstrap-key'), 'utf8').trim();
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const ids = [];
  for (let i = 0; i < agentCount; i++) {
    const a = await (await fetch(`${base}/api/v1/agents`, { method: 'POST', headers, body: JSON.stringify(agentBody(i)) })).json();
    const p = await fetch(`${base}/api/v1/agents/${a.data.id}/publish`, { method: 'POST', headers, body: '{}' });
    if (p.status !== 201) throw new Error(`publish failed: ${p.status}`);
    ids.push(a.data.id);
  }
  // random agents × random instants over a week (both channels), as runtimes would ask
  const week = 7 * 24 * 3600 * 1000;
  const t0 = Date.parse('2026-12-07T00:00:00Z');
  const paths = Array.from({ length: 5000 }, (_, i) => {
    const id = ids[Math.floor(Math.random() * ids.length)];
    const at = new Date(t0 + Math.floor(Math.random() * week / 60000) * 60000).toISOString();
    return `/api/v1/agents/${id}/live?channel=${i % 2 ? 'chat' : 'voice'}&at=${encodeURIComponent(at)}`;
  });
  // the baseline's answers: the project's own bodies, one per agent, precomputed
  const answers = {};
  for (const id of ids) {
    const r = await fetch(`${base}/api/v1/agents/${id}/live?channel=voice&at=2026-12-08T15:00:00Z`, { headers });
    answers[id] = { body: await r.text(), etag: r.headers.get('etag') };
  }
  const file = path.join(dir, 'bodies.json');
  writeFileSync(file, JSON.stringify(answers));
  bare = fork(path.join(ROOT, 'bench/bare-live-server.mjs'), [String(barePort), file], { stdio: 'ignore' });
  await new Promise((r) => bare.on('message', r));
  const bareBase = `http://127.0.0.1:${barePort}`;

  // the 304 scenario polls each agent at one instant with its current ETag
  const pollPaths = ids.map((id) => `/api/v1/agents/${id}/live?channel=voice&at=2026-12-08T15:00:00Z`);
  const auth = () => ({ authorization: `Bearer ${key}` });
  const scenarios = [
    { name: 'GET /live (random agents and instants)', project: () => load(base, paths, auth), baseline: () => load(bareBase, paths, () => ({})), target: { rps: 0.5, p99: 2 } },
    {
      name: 'GET /live with matching If-None-Match (304)',
      project: () => load(base, pollPaths, (n) => ({ ...auth(), 'if-none-match': answers[ids[n]].etag })),
      baseline: () => load(bareBase, pollPaths, (n) => ({ 'if-none-match': answers[ids[n]].etag })),
      target: { rps: 0.7 },
    },
  ];
  const results = [];
  for (const s of scenarios) {
    // warm-up, excluded
    await load(base, paths.slice(0, 200), auth);
    const proj = [];
    const bareRuns = [];
    for (let r = 0; r < rounds; r++) {
      proj.push(await s.project());
      bareRuns.push(await s.baseline());
    }
    const m = (runs, k) => median(runs.map((x) => x[k]));
    const row = {
      scenario: s.name,
      project: { rps: m(proj, 'rps'), p50: m(proj, 'p50'), p99: m(proj, 'p99'), non2xx: proj.reduce((a, x) => a + x.non2xx, 0), errors: proj.reduce((a, x) => a + x.errors, 0) },
      baseline: { rps: m(bareRuns, 'rps'), p50: m(bareRuns, 'p50'), p99: m(bareRuns, 'p99') },
    };
    row.ratio = { rps: row.project.rps / row.baseline.rps, p99: row.project.p99 / Math.max(1, row.baseline.p99) };
    row.target = s.target;
    results.push(row);
  }
  console.log(`GET /api/v1/agents/{id}/live — ${connections} connections, ${rounds} rounds × ${seconds} s each side (medians), ${agentCount} published agents, ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}`);
  for (const r of results) {
    console.log(`\n${r.scenario}`);
    console.log(`  project : ${r.project.rps.toFixed(0)} req/s, p50 ${r.project.p50} ms, p99 ${r.project.p99} ms (non-2xx ${r.project.non2xx}, errors ${r.project.errors})`);
    console.log(`  baseline: ${r.baseline.rps.toFixed(0)} req/s, p50 ${r.baseline.p50} ms, p99 ${r.baseline.p99} ms`);
    const p99 = r.target.p99 ? `, p99 ratio ${r.ratio.p99.toFixed(2)} (target ≤ ${r.target.p99})` : '';
    console.log(`  throughput ratio ${(r.ratio.rps * 100).toFixed(0)}% (target ≥ ${r.target.rps * 100}%)${p99}`);
  }
} finally {
  bare?.kill('SIGTERM');
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
  await dropDb?.();
}
