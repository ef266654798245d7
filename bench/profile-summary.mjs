// Summarises a V8 CPU profile (`node --cpu-prof`, written by `bench/run.mjs --profile DIR`): self
// time by package / area and the top functions, as a share of the busy (non-idle) time.
//
//   node bench/profile-summary.mjs DIR/pg/CPU.*.cpuprofile [--top 25] [--markdown]
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const file = argv.find((a) => !a.startsWith('--'));
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--markdown]\n');
  process.exit(2);
}
const topIdx = argv.indexOf('--top');
const top = topIdx >= 0 ? Number(argv[topIdx + 1]) : 25;
const markdown = argv.includes('--markdown');

const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const counts = new Map();
for (const id of prof.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
// sample i lasted timeDeltas[i + 1]; close enough to treat each as the mean interval
const totalUs = prof.endTime - prof.startTime;
const usPerSample = totalUs / prof.samples.length;

/** The area a frame belongs to: a package under node_modules, the app's file, Node's internals, or V8's pseudo-frames. */
function area(cf) {
  const url = cf.url ?? '';
  if (!url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const app = /\/dist\/(.*)$/.exec(url);
  if (app) return `app ${app[1].split('/').slice(0, 2).join('/')}`;
  return url.split('/').slice(-2).join('/');
}

const areas = new Map();
const fns = new Map();
let idle = 0;
let busy = 0;
for (const [id, c] of counts) {
  const n = byId.get(id);
  const cf = n.callFrame;
  if (cf.functionName === '(idle)') {
    idle += c;
    continue;
  }
  busy += c;
  const a = area(cf);
  areas.set(a, (areas.get(a) ?? 0) + c);
  const key = `${cf.functionName || '(anonymous)'} ${a}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + c);
}

// inclusive time of the app's own functions (self + everything they call), counted once per sample
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, c] of counts) {
  if (byId.get(id).callFrame.functionName === '(idle)') continue;
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const cf = byId.get(cur).callFrame;
    if (!/\/dist\//.test(cf.url ?? '')) continue;
    const key = `${cf.functionName || '(anonymous)'} ${area(cf)}:${cf.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + c);
  }
}

const pct = (c) => `${((100 * c) / busy).toFixed(1)}%`;
const rows = (m, n) => [...m].sort((x, y) => y[1] - x[1]).slice(0, n);
const out = [];
out.push(`profile: ${file}`);
out.push(`wall ${(totalUs / 1e6).toFixed(1)} s, busy ${((busy * usPerSample) / 1e6).toFixed(1)} s (${((100 * busy) / (busy + idle)).toFixed(0)}% of the samples), idle ${((idle * usPerSample) / 1e6).toFixed(1)} s`);
if (markdown) {
  out.push('', '| area | self time (share of busy) |', '|---|---:|');
  for (const [a, c] of rows(areas, 20)) out.push(`| ${a} | ${pct(c)} |`);
  out.push('', '| function | self time |', '|---|---:|');
  for (const [f, c] of rows(fns, top)) out.push(`| \`${f}\` | ${pct(c)} |`);
  out.push('', '| app function | inclusive time |', '|---|---:|');
  for (const [f, c] of rows(inclusive, top)) out.push(`| \`${f}\` | ${pct(c)} |`);
} else {
  out.push('', 'self time by area:');
  for (const [a, c] of rows(areas, 20)) out.push(`  ${pct(c).padStart(6)}  ${a}`);
  out.push('', `top ${top} functions (self time):`);
  for (const [f, c] of rows(fns, top)) out.push(`  ${pct(c).padStart(6)}  ${f}`);
  out.push('', `top ${top} app functions (inclusive time):`);
  for (const [f, c] of rows(inclusive, top)) out.push(`  ${pct(c).padStart(6)}  ${f}`);
}
process.stdout.write(`${out.join('\n')}\n`);
