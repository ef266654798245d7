// Turns the figures of bench/run.mjs into bench/results/<timestamp>.json (raw), an SVG chart per
// database (bench/results/chart-<db>.svg: each scenario against its baseline) and BENCHMARKS.md.
// Standalone, it regenerates BENCHMARKS.md and the charts from a results file:
//   node bench/report.mjs bench/results/<timestamp>.json
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');

const DB_NAMES = { pg: 'PostgreSQL', pglite: 'embedded (PGlite)' };
const f0 = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
const ms = (x) => (x == null ? '–' : `${Number.isInteger(x) ? x : x.toFixed(1)}`);
const pct = (x) => (x == null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(0)}%`);
const times = (x) => (x == null || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`);
const mark = (ok) => (ok == null ? '' : ok ? '✅' : '❌');

/** p99 ratios use at least 1 ms for the baseline (autocannon's resolution). */
const p99Ratio = (p, b) => p.p99 / Math.max(1, b.p99);

function unexpectedNote(side) {
  if (!side) return '';
  const parts = [];
  if (side.unexpected) parts.push(`${side.unexpected} unexpected status (${Object.entries(side.status).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
  if (side.errors) parts.push(`${side.errors} errors/timeouts`);
  return parts.join('; ');
}

/**
 * One row per scenario of a database: what the table and the chart show. `targeted` says whether
 * the targets apply (PostgreSQL) or the figures are reported only (PGlite).
 */
/** The framework floor of a live scenario: bare Fastify serving the same bytes, against the same node:http baseline (no target). */
function floorRow(id, name, sc) {
  const r = sc.fastify.rps / sc.baseline.rps;
  return { id, name, project: sc.fastify, baseline: sc.baseline, baselineName: 'bare node:http, same bytes',
    result: `${pct(r)} tput (framework floor; the project reaches ${pct(sc.project.rps / sc.fastify.rps)} of it)`, target: '', holds: null, ratio: r };
}

export function rowsOf(d, targeted) {
  const rows = [];
  const s = d.scenarios ?? {};
  const holds = (ok) => (targeted ? ok : null);
  if (s.get) {
    const r = s.get.project.rps / s.get.baseline.rps;
    const q = p99Ratio(s.get.project, s.get.baseline);
    rows.push({ id: 'get', name: 'GET /agents/{id}', project: s.get.project, baseline: s.get.baseline, baselineName: 'bare SELECT',
      result: `${pct(r)} tput, p99 ${times(q)}`, target: '≥ 70% tput, p99 ≤ 1.5×', holds: holds(r >= 0.7 && q <= 1.5), ratio: r, targetRatio: 0.7 });
  }
  if (s.patch) {
    const r = s.patch.project.rps / s.patch.baseline.rps;
    rows.push({ id: 'patch', name: 'PATCH /agents/{id} + If-Match', project: s.patch.project, baseline: s.patch.baseline, baselineName: 'bare UPDATE … WHERE version RETURNING',
      result: `${pct(r)} tput`, target: '≥ 50% tput', holds: holds(r >= 0.5), ratio: r, targetRatio: 0.5 });
  }
  if (s.post) {
    const r = s.post.project.rps / s.post.baseline.rps;
    rows.push({ id: 'post', name: 'POST /agents + Idempotency-Key', project: s.post.project, baseline: s.post.baseline, baselineName: 'bare INSERT',
      result: `${pct(r)} tput`, target: '≥ 40% tput', holds: holds(r >= 0.4), ratio: r, targetRatio: 0.4 });
  }
  if (s.list) {
    const L = s.list;
    const deep = L['project-deep'].mean / L['project-first'].mean;
    rows.push({ id: 'list-first', name: 'GET /agents?limit=20 (first page)', project: L['project-first'], baseline: L['baseline-first'], baselineName: 'bare keyset SELECT',
      result: `${pct(L['project-first'].rps / L['baseline-first'].rps)} tput`, target: '', holds: null, ratio: L['project-first'].rps / L['baseline-first'].rps });
    rows.push({ id: 'list-deep', name: `GET /agents?limit=20 (${f0(L.depth)} deep)`, project: L['project-deep'], baseline: L['baseline-deep'], baselineName: 'bare keyset SELECT',
      result: `deep/first latency ${times(deep)} (mean), p99 ${times(L['project-deep'].p99 / Math.max(1, L['project-first'].p99))}`, target: 'deep ≤ 1.5× first', holds: holds(deep <= 1.5), ratio: L['project-deep'].rps / L['baseline-deep'].rps });
  }
  if (s.live) {
    const r = s.live.project.rps / s.live.baseline.rps;
    const q = p99Ratio(s.live.project, s.live.baseline);
    rows.push({ id: 'live', name: 'GET /agents/{id}/live (random)', project: s.live.project, baseline: s.live.baseline, baselineName: 'bare in-memory JSON',
      result: `${pct(r)} tput, p99 ${times(q)}`, target: '≥ 50% tput, p99 ≤ 2×', holds: holds(r >= 0.5 && q <= 2), ratio: r, targetRatio: 0.5 });
  }
  if (s.live?.fastify) rows.push(floorRow('live-floor', 'GET /live: bare Fastify, same bodies', s.live));
  if (s.live304) {
    const r = s.live304.project.rps / s.live304.baseline.rps;
    rows.push({ id: 'live304', name: 'GET /live + If-None-Match (304)', project: s.live304.project, baseline: s.live304.baseline, baselineName: 'bare in-memory 304',
      result: `${pct(r)} tput`, target: '≥ 70% tput', holds: holds(r >= 0.7), ratio: r, targetRatio: 0.7 });
  }
  if (s.live304?.fastify) rows.push(floorRow('live304-floor', 'GET /live 304: bare Fastify, same ETags', s.live304));
  if (s.metrics) {
    const cost = 1 - s.metrics['metrics-on'].rps / s.metrics['metrics-off'].rps;
    rows.push({ id: 'metrics', name: 'GET /live, metrics on (vs off)', project: s.metrics['metrics-on'], baseline: s.metrics['metrics-off'], baselineName: 'same server, FLOWYTE_METRICS=off',
      result: `cost ${pct(cost)}`, target: 'cost < 5%', holds: holds(cost < 0.05), ratio: 1 - cost, targetRatio: 0.95 });
  }
  if (d.memory?.peakRssMb != null) {
    rows.push({ id: 'memory', name: 'Memory: server peak RSS under load', result: `${f0(d.memory.peakRssMb)} MB (idle ${f0(d.memory.idleRssMb)} MB)`, target: '≤ 250 MB', holds: holds(d.memory.peakRssMb <= 250) });
  }
  if (d.coldstart) {
    rows.push({ id: 'coldstart', name: 'Cold start to /readyz 200', result: `${(d.coldstart.medianMs / 1000).toFixed(2)} s median (max ${(d.coldstart.maxMs / 1000).toFixed(2)} s)`,
      target: d.kind === 'pglite' ? '≤ 5 s (embedded)' : '', holds: d.kind === 'pglite' ? d.coldstart.maxMs <= 5000 : null });
  }
  return rows;
}

export function markdownTable(results) {
  const out = [];
  for (const [kind, d] of Object.entries(results.databases)) {
    const targeted = kind === 'pg';
    out.push(`**${DB_NAMES[kind]}**${targeted ? '' : ' — no targets; reported for comparison'}`, '');
    out.push('| Scenario | Project req/s | p50 ms | p99 ms | Baseline req/s | p50 ms | p99 ms | Result | Target | |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---|---|---|');
    for (const r of rowsOf(d, targeted)) {
      const note = [unexpectedNote(r.project), r.baseline && unexpectedNote(r.baseline) ? `baseline: ${unexpectedNote(r.baseline)}` : ''].filter(Boolean).join('; ');
      out.push(`| ${r.name} | ${f0(r.project?.rps)} | ${ms(r.project?.p50)} | ${ms(r.project?.p99)} | ${f0(r.baseline?.rps)} | ${ms(r.baseline?.p50)} | ${ms(r.baseline?.p99)} | ${r.result}${note ? ` (${note})` : ''} | ${r.target} | ${mark(r.holds)} |`);
    }
    out.push('');
    const withCpu = rowsOf(d, targeted).filter((r) => r.project?.cpuUs && r.baseline?.cpuUs);
    if (withCpu.length) {
      const us = (v) => (v == null ? '–' : f0(v));
      out.push(`CPU per answered request (µs; medians of the rounds), ${DB_NAMES[kind]}: the process under load${kind === 'pg' ? ', PostgreSQL (all its processes)' : ''} and the load generator. Where the time goes when a ratio falls short.`, '');
      out.push(kind === 'pg'
        ? '| Scenario | server: project | server: baseline | PostgreSQL: project | PostgreSQL: baseline | load generator: project | load generator: baseline |\n|---|---:|---:|---:|---:|---:|---:|'
        : '| Scenario | server: project | server: baseline | load generator: project | load generator: baseline |\n|---|---:|---:|---:|---:|');
      for (const r of withCpu) {
        const a = r.project.cpuUs;
        const b = r.baseline.cpuUs;
        out.push(kind === 'pg'
          ? `| ${r.name} | ${us(a.server)} | ${us(b.server)} | ${us(Math.max(0, a.pg))} | ${us(Math.max(0, b.pg))} | ${us(a.loadgen)} | ${us(b.loadgen)} |`
          : `| ${r.name} | ${us(a.server)} | ${us(b.server)} | ${us(a.loadgen)} | ${us(b.loadgen)} |`);
      }
      out.push('');
    }
  }
  for (const [kind, why] of Object.entries(results.skipped ?? {})) out.push(`**${DB_NAMES[kind]}**: skipped — ${why}`, '');
  return out.join('\n');
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Each scenario against its baseline: throughput (left) and p99 latency (right), bars scaled per row. */
export function svgChart(kind, d) {
  const rows = rowsOf(d, kind === 'pg').filter((r) => r.project && r.baseline);
  const W = 1000;
  const rowH = 58;
  const top = 86;
  const labelW = 300;
  const panelW = (W - labelW - 40) / 2;
  const H = top + rows.length * rowH + 36;
  const px = [];
  px.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`);
  px.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  px.push(`<text x="16" y="24" font-size="16" font-weight="600">${esc(`Flowyte Agents vs bare baselines — ${DB_NAMES[kind]}`)}</text>`);
  px.push(`<rect x="16" y="36" width="12" height="12" fill="#2563eb"/><text x="34" y="46">project (Fastify server)</text>`);
  px.push(`<rect x="200" y="36" width="12" height="12" fill="#9ca3af"/><text x="218" y="46">baseline (bare node:http)</text>`);
  px.push(`<line x1="420" y1="42" x2="440" y2="42" stroke="#dc2626" stroke-width="2" stroke-dasharray="4 3"/><text x="446" y="46">target</text>`);
  const x1 = labelW;
  const x2 = labelW + panelW + 40;
  px.push(`<text x="${x1}" y="${top - 10}" font-weight="600">throughput (req/s, higher is better)</text>`);
  px.push(`<text x="${x2}" y="${top - 10}" font-weight="600">p99 latency (ms, lower is better)</text>`);
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    if (i % 2 === 0) px.push(`<rect x="0" y="${y}" width="${W}" height="${rowH}" fill="#f8fafc"/>`);
    px.push(`<text x="16" y="${y + 22}" font-weight="600">${esc(r.name)}</text>`);
    px.push(`<text x="16" y="${y + 40}" fill="#555">${esc(r.baselineName)}</text>`);
    const bars = (x, a, b, fmt, unit, target) => {
      const max = Math.max(a, b, target ?? 0, 1e-9);
      const w = panelW - 90;
      const wa = (a / max) * w;
      const wb = (b / max) * w;
      px.push(`<rect x="${x}" y="${y + 10}" width="${wa.toFixed(1)}" height="16" fill="#2563eb"/>`);
      px.push(`<text x="${(x + wa + 6).toFixed(1)}" y="${y + 22}">${esc(fmt(a) + unit)}</text>`);
      px.push(`<rect x="${x}" y="${y + 30}" width="${wb.toFixed(1)}" height="16" fill="#9ca3af"/>`);
      px.push(`<text x="${(x + wb + 6).toFixed(1)}" y="${y + 42}">${esc(fmt(b) + unit)}</text>`);
      if (target != null) {
        const tx = x + (target / max) * w;
        px.push(`<line x1="${tx.toFixed(1)}" y1="${y + 6}" x2="${tx.toFixed(1)}" y2="${y + 30}" stroke="#dc2626" stroke-width="2" stroke-dasharray="4 3"/>`);
      }
    };
    bars(x1, r.project.rps, r.baseline.rps, f0, '', r.targetRatio != null ? r.targetRatio * r.baseline.rps : null);
    const p99Target = r.id === 'get' ? 1.5 : r.id === 'live' ? 2 : null;
    bars(x2, r.project.p99, r.baseline.p99, ms, ' ms', p99Target ? p99Target * Math.max(1, r.baseline.p99) : null);
  });
  const o = results_footer(d);
  px.push(`<text x="16" y="${H - 14}" fill="#555">${esc(o)}</text>`);
  px.push('</svg>');
  return px.join('\n');
}

function results_footer(d) {
  const ds = d.dataset;
  return ds ? `${f0(ds.agents)} agents (${f0(ds.published)} published) in ${f0(ds.organizations)} organizations; medians of the rounds; bars of a row share one scale` : '';
}

export function markdown(results, chartFiles, resultFile) {
  const m = results.machine;
  const o = results.options;
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push(`Generated by \`npm run bench\` (bench/run.mjs) on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC; raw figures: [\`${resultFile}\`](${resultFile}). How to run it and what each baseline does: [bench/README.md](bench/README.md).`, '');
  lines.push(`**Machine:** ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB memory, ${m.os}, Node.js ${m.node}` +
    (results.databases.pg?.server ? `, PostgreSQL ${results.databases.pg.server} (shared_buffers ${results.databases.pg.sharedBuffers})` : '') +
    `. The load generator (autocannon, in the orchestrating process), the server, the baseline and PostgreSQL share these cores; load average ${m.loadAverageAtStart.join(' / ')} at the start, ${m.loadAverageAtEnd?.join(' / ') ?? '?'} at the end (other work was running).`, '');
  lines.push(`**Method:** ${o.connections} connections; per scenario a ${o.warmup} s warm-up of each side (excluded), then ${o.rounds} rounds × ${o.seconds} s alternating project / baseline; medians of the rounds. ` +
    'The project is the built server (`node bin/flowyte.js serve`, `FLOWYTE_RATE_LIMIT_PER_MIN=0`, `LOG_LEVEL=warn`, metrics on) with its own pool (10 connections on PostgreSQL); ' +
    'each baseline is a bare `node:http` server doing only the equivalent SQL statement (a `pg` pool of 10, or PGlite directly on a copy of the seeded data directory) or answering the same precomputed JSON from memory. ' +
    'Ratios are project ÷ baseline of the same run; p99 ratios count a baseline p99 below 1 ms as 1 ms.', '');
  for (const [kind, d] of Object.entries(results.databases)) {
    const s = d.seed;
    lines.push(`**Data set (${DB_NAMES[kind]}):** ${f0(s.counts.agents)} agents (${f0(s.counts.versions)} published) in ${f0(s.counts.orgs)} organizations, ${f0(s.counts.big)} in the largest; ` +
      `seeded in ${s.seconds.total.toFixed(1)} s (agents ${s.seconds.agents.toFixed(1)} s, migrations + templates through the API + organizations and keys ${s.seconds.orgsAndTemplates.toFixed(1)} s, ANALYZE ${s.seconds.analyze.toFixed(1)} s); ${s.databaseSize}.`, '');
  }
  lines.push('## Results', '');
  lines.push(markdownTable(results));
  lines.push('Targets apply to PostgreSQL; the embedded database is reported without targets. "Result" is project ÷ baseline (metrics: 1 − on ÷ off; list: the deep page\'s mean latency ÷ the first page\'s). Memory is the server\'s peak VmRSS sampled every 250 ms during its loads.', '');
  lines.push('## Charts', '');
  for (const [kind, file] of Object.entries(chartFiles)) lines.push(`### ${DB_NAMES[kind]}`, '', `![${DB_NAMES[kind]}: each scenario against its baseline](${file})`, '');
  lines.push('## Scenarios', '');
  lines.push('- **GET /agents/{id}**: 20 000 requests cycling over random agents of the whole data set, each with its organization\'s key (keys of all organizations are in use).');
  lines.push('- **PATCH /agents/{id}** with `If-Match`: each request edits `tone` and `greeting` of a draft agent no other request in flight holds, with the version its previous answer gave; project and baseline patch disjoint halves of the draft agents.');
  lines.push('- **POST /agents** with `Idempotency-Key`: a realistic body (one of the templates), a unique name and key per request, random organizations.');
  lines.push('- **GET /agents?limit=20**: the first page, and the page after N items (cursor found by paging through the API once), of the largest organization.');
  lines.push('- **GET /agents/{id}/live**: random published agents of all organizations, both channels, random instants over two weeks around the holidays; the baseline answers each agent\'s precomputed body. With **If-None-Match**: each agent polled at one instant with the ETag it answers there (304).');
  lines.push('- **Metrics**: the live scenario against two servers started alike on the same data, `FLOWYTE_METRICS=on` and `off`, alternating with the order flipped every round (ABBA), done twice with fresh servers so that each setting is the first started once (the first-started server of a pair measured up to 40% slower whatever its setting); medians over all rounds.');
  lines.push('- **Cold start**: spawning `node bin/flowyte.js serve` (what `npm start` runs) on the seeded database until `/readyz` answers 200, once per round.', '');
  // the hand-written part: where the time goes (profiles), what limits the targets not met
  const analysis = path.join(ROOT_DIR, 'bench/analysis.md');
  if (existsSync(analysis)) lines.push(readFileSync(analysis, 'utf8').trim(), '');
  return lines.join('\n');
}

/** Writes the results file, the charts and BENCHMARKS.md (unless write is false); returns the text table. */
export function writeReport(results, { root, write = true }) {
  const table = markdownTable(results);
  const files = [];
  if (!write) return { table, files };
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const resultFile = path.join(dir, `${stamp}.json`);
  writeFileSync(resultFile, JSON.stringify(results, null, 2) + '\n');
  files.push(resultFile);
  const charts = {};
  for (const [kind, d] of Object.entries(results.databases)) {
    const f = path.join(dir, `chart-${kind}.svg`);
    writeFileSync(f, svgChart(kind, d) + '\n');
    files.push(f);
    charts[kind] = path.relative(root, f);
  }
  const md = path.join(root, 'BENCHMARKS.md');
  writeFileSync(md, markdown(results, charts, path.relative(root, resultFile)));
  files.push(md);
  return { table, files };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node bench/report.mjs bench/results/<timestamp>.json\n');
    process.exit(2);
  }
  const root = path.resolve(import.meta.dirname, '..');
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const dir = path.join(root, 'bench/results');
  const charts = {};
  for (const [kind, d] of Object.entries(results.databases)) {
    const f = path.join(dir, `chart-${kind}.svg`);
    writeFileSync(f, svgChart(kind, d) + '\n');
    charts[kind] = path.relative(root, f);
  }
  writeFileSync(path.join(root, 'BENCHMARKS.md'), markdown(results, charts, path.relative(root, path.resolve(file))));
  process.stdout.write(markdownTable(results) + '\n');
}
