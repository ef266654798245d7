// Business-hours engine benchmark (issue 3): evaluations per second for a realistic schedule and
// a worst case, against the floor = one bare Intl conversion of an instant into the zone.
// Runs the built engine: `npm run bench:hours` compiles src/ to dist/ first.
import { compileHours, evaluateHours } from '../dist/engines/hours/index.js';

const ZONE = 'America/New_York';
const split = [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }];
const holidays = [];
for (let i = 0; i < 20; i++) {
  const d = new Date(Date.UTC(2026, 0, 1 + i * 18));
  const date = d.toISOString().slice(0, 10);
  if (i % 5 === 1) {
    holidays.push({ date, name: `Short day ${i}`, closed: false, ranges: [{ start: '09:00', end: '13:00' }] });
  } else if (i % 4 === 0) {
    holidays.push({ date, endDate: new Date(d.getTime() + 2 * 86_400_000).toISOString().slice(0, 10), name: `Break ${i}` });
  } else {
    holidays.push({ date, name: `Holiday ${i}` });
  }
}
const realistic = {
  timezone: ZONE,
  weekly: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [{ start: '09:00', end: '13:00' }] },
  holidays,
  afterHours: { mode: 'take_message', message: 'We are closed. We open again {nextOpen}.' },
};
const worst = {
  timezone: ZONE,
  weekly: { mon: split, tue: split, wed: split, thu: split, fri: split },
  holidays: [{ date: '2026-01-01', endDate: '2026-10-27', name: 'Closed for renovation' }],
};

// Deterministic pseudo-random instants (xorshift).
let seed = 0x9e3779b9;
const rand = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const N = 4096;
const inRange = (from, to) => Array.from({ length: N }, () => Math.floor(from + rand() * (to - from)));
const year2026 = inRange(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
const closure = inRange(Date.UTC(2026, 0, 2), Date.UTC(2026, 9, 20));

function measure(fn, instants, ms = 1500) {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += fn(instants[i % N]); // warm-up (JIT, caches)
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) sink += fn(instants[(n + i) & (N - 1)]);
    n += 1000;
    now = process.hrtime.bigint();
  }
  const ns = Number(now - start) / n;
  if (sink === -1) console.log(sink);
  return ns;
}

const fmt = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
  hour: 'numeric', minute: 'numeric', second: 'numeric',
});
const floor = (t) => fmt.formatToParts(t).length;
const cReal = compileHours(realistic);
const cWorst = compileHours(worst);
// Hot path as the runtime calls it: compileHours (memo hit) + evaluateHours; the whole status
// object is built (localTime, spoken time, next change, next opening, after-hours message).
const evalReal = (t) => evaluateHours(compileHours(realistic), t).localTime.length;
const evalWorst = (t) => evaluateHours(compileHours(worst), t).localTime.length;

const check = evaluateHours(cWorst, closure[0]);
if (check.open || check.nextOpenAt !== '2026-10-28T12:00:00.000Z') throw new Error(`worst case sanity: ${JSON.stringify(check)}`);
void cReal;

const rounds = [];
for (let r = 0; r < 3; r++) {
  rounds.push({ floor: measure(floor, year2026), real: measure(evalReal, year2026), worst: measure(evalWorst, closure) });
}
const best = (k) => Math.min(...rounds.map((x) => x[k]));
const f = best('floor');
const rr = best('real');
const w = best('worst');
const line = (label, ns) => `${label.padEnd(52)} ${(1e9 / ns).toFixed(0).padStart(10)} /s  ${ns.toFixed(0).padStart(6)} ns`;
console.log(`business-hours bench — ${ZONE}, node ${process.version}, best of 3 rounds`);
console.log(line('floor: Intl.DateTimeFormat#formatToParts (cached)', f));
console.log(line('realistic: split shifts, 20 holidays, random 2026', rr) + `  ${(rr / f).toFixed(2)}× floor (target ≤ 5×)`);
console.log(line('worst: closed for 300 days, instants inside', w) + `  ${(w / f).toFixed(2)}× floor (target ≤ 50×)`);
const ok = rr / f <= 5 && w / f <= 50;
console.log(ok ? 'targets met' : 'TARGET MISSED');
