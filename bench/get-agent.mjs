// GET /api/v1/agents/{id} under load: starts the built server on a fresh embedded database
// (or DATABASE_URL), creates one agent, runs autocannon against it and prints the latency.
// Usage: npm run bench [-- --seconds 10 --connections 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 10);
const connections = arg('connections', 10);
const dir = mkdtempSync(path.join(tmpdir(), 'flowyte-bench-'));
const port = 30000 + Math.floor(Math.random() * 20000);
const env = { ...process.env, PORT: String(port), FLOWYTE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn', FLOWYTE_RATE_LIMIT_PER_MIN: '0' };
const server = spawn(process.execPath, ['bin/flowyte.js', 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
server.stderr.resume();
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const key = process.env.DATABASE_URL ? readFileSync('.flowyte/bootstrap-key', 'utf8').trim() : readFileSync(path.join(dir, 'bootstrap-key'), 'utf8').trim();
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const created = await (await fetch(`${base}/api/v1/agents`, { method: 'POST', headers, body: JSON.stringify({ name: `Bench ${Date.now()}`, languages: ['en', 'es'], goals: ['Book appointments'], businessHours: { timezone: 'America/New_York', weekly: { mon: [{ start: '09:00', end: '17:00' }] } } }) })).json();
  const url = `${base}/api/v1/agents/${created.data.id}`;
  const r = await autocannon({ url, headers: { authorization: `Bearer ${key}` }, connections, duration: seconds });
  const non2xx = r.non2xx;
  console.log(`GET /api/v1/agents/{id} — ${connections} connections, ${seconds} s, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`);
  console.log(`requests/s: mean ${r.requests.average.toFixed(0)}`);
  console.log(`latency ms: p50 ${r.latency.p50}  p90 ${r.latency.p90}  p99 ${r.latency.p99}  max ${r.latency.max}`);
  console.log(`non-2xx: ${non2xx}, errors: ${r.errors}`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
