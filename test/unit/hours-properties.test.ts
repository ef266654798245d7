/**
 * Property tests of the business-hours engine against an independent, slow reference that asks
 * Intl for every minute. The reference uses the "high-water wall clock": M(t) = the latest wall
 * clock shown at or before t (minute by minute over the previous 3 hours). By rule 4 a boundary
 * wall time w resolves to the first instant whose wall clock reads w or later, so t is past a
 * boundary w exactly when M(t) ≥ w, and a range [s, e) of local date D contains t exactly when
 * s ≤ M(t) < e on the wall-clock line. No offset table, no transition search.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRanges } from '../../src/domain/agents/business-hours-rules.js';
import { compileHours, evaluateHours, type BusinessHoursInput, type HoursRangeInput } from '../../src/engines/hours/index.js';

const MIN = 60_000;
const DAY_MIN = 1440;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

// ---------------------------------------------------------------- reference (Intl per minute)
const fmts = new Map<string, Intl.DateTimeFormat>();
const wallCache = new Map<string, number>();

/** Wall clock of instant u (whole minute) in `zone`, in minutes since 1970-01-01 00:00 local. */
function wallMinutes(zone: string, u: number): number {
  const key = `${zone}|${u}`;
  const hit = wallCache.get(key);
  if (hit !== undefined) return hit;
  let f = fmts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    fmts.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(u).map((x) => [x.type, x.value]));
  const w = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) / MIN;
  if (wallCache.size > 2_000_000) wallCache.clear();
  wallCache.set(key, w);
  return w;
}

function highWater(zone: string, t: number): number {
  const t0 = Math.floor(t / MIN) * MIN;
  let m = -Infinity;
  for (let k = 0; k <= 180; k++) m = Math.max(m, wallMinutes(zone, t0 - k * MIN));
  return m;
}

const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const dateStr = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The list governing local date `day` (days since epoch) and the holiday it comes from. */
function governing(bh: BusinessHoursInput, day: number): { ranges: HoursRangeInput[]; holiday: string | null } {
  const ds = dateStr(day);
  for (const h of bh.holidays ?? []) {
    if (h.date <= ds && ds <= (h.endDate ?? h.date)) return { ranges: (h.closed ?? true) ? [] : h.ranges ?? [], holiday: h.name };
  }
  const wd = DAYS[(((day + 4) % 7) + 7) % 7]!;
  return { ranges: bh.weekly?.[wd] ?? [], holiday: null };
}

interface RefStatus {
  open: boolean;
  range: HoursRangeInput | null;
  holiday: string | null;
}

function reference(bh: BusinessHoursInput, t: number): RefStatus {
  const zone = bh.timezone!;
  const m = highWater(zone, t);
  const dm = Math.floor(m / DAY_MIN);
  let best: { s: number; range: HoursRangeInput; holiday: string | null } | null = null;
  for (let d = dm - 1; d <= dm + 1; d++) {
    const g = governing(bh, d);
    for (const range of g.ranges) {
      const s = d * DAY_MIN + hm(range.start);
      const eRaw = hm(range.end);
      const e = d * DAY_MIN + (eRaw <= hm(range.start) ? eRaw + DAY_MIN : eRaw);
      if (s <= m && m < e && (best === null || s < best.s)) best = { s, range, holiday: g.holiday };
    }
  }
  if (best) return { open: true, range: best.range, holiday: best.holiday };
  const today = Math.floor(wallMinutes(zone, Math.floor(t / MIN) * MIN) / DAY_MIN);
  return { open: false, range: null, holiday: governing(bh, today).holiday };
}

// ---------------------------------------------------------------- generators
/** Zones and their 2026/2027 offset changes (instants, from the zones' rules) to aim instants at. */
const ZONE_CHANGES: Record<string, string[]> = {
  'America/New_York': ['2026-03-08T07:00', '2026-11-01T06:00', '2027-03-14T07:00', '2027-11-07T06:00'],
  'US/Eastern': ['2026-03-08T07:00', '2026-11-01T06:00'],
  'Europe/Berlin': ['2026-03-29T01:00', '2026-10-25T01:00', '2027-03-28T01:00', '2027-10-31T01:00'],
  'Europe/London': ['2026-03-29T01:00', '2026-10-25T01:00', '2027-03-28T01:00', '2027-10-31T01:00'],
  'Antarctica/Troll': ['2026-03-29T01:00', '2026-10-25T01:00'],
  'Australia/Lord_Howe': ['2026-04-04T15:00', '2026-10-03T15:30', '2027-04-03T15:00', '2027-10-02T15:30'],
  'America/Santiago': ['2026-04-05T03:00', '2026-09-06T04:00', '2027-04-04T03:00', '2027-09-05T04:00'],
  'Pacific/Chatham': ['2026-04-04T14:00', '2026-09-26T14:00', '2027-04-03T14:00', '2027-09-25T14:00'],
  'America/St_Johns': ['2026-03-08T05:30', '2026-11-01T04:30'],
  'Asia/Kolkata': [],
  'America/Sao_Paulo': [],
};
const ZONES = Object.keys(ZONE_CHANGES);

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** A valid list of ranges on a 15-minute grid: touching ranges, gaps, an optional overnight one. */
const rangeList = fc
  .record({
    // Quarter hours, half of them drawn from 23:00–03:45 where the change days' gaps and repeats are.
    points: fc.uniqueArray(
      fc.oneof(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 92, max: 95 })),
      { maxLength: 6 },
    ),
    flags: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    last: fc.boolean(),
    lastEnd: fc.integer({ min: 1, max: 96 }),
  })
  .map(({ points, flags, last, lastEnd }) => {
    const p = [...points].sort((a, b) => a - b).map((x) => x * 15);
    const out: HoursRangeInput[] = [];
    for (let i = 0; i + 1 < p.length; i++) if (flags[i]) out.push({ start: hhmm(p[i]!), end: hhmm(p[i + 1]!) });
    const s = p[p.length - 1];
    if (last && s !== undefined && lastEnd * 15 !== s) out.push({ start: hhmm(s), end: hhmm(lastEnd * 15) });
    return out;
  });

const fullDay = fc.constant<HoursRangeInput[]>([{ start: '00:00', end: '24:00' }]);
const dayList = fc.oneof({ weight: 6, arbitrary: rangeList }, { weight: 1, arbitrary: fullDay }, { weight: 1, arbitrary: fc.constant<HoursRangeInput[]>([]) });

const uniformInstant = fc.integer({ min: Date.UTC(1995, 0, 1) / MIN, max: Date.UTC(2040, 0, 1) / MIN }).map((m) => m * MIN);
const instantIn = (zone: string) => {
  const changes = ZONE_CHANGES[zone]!.map((c) => Date.parse(`${c}:00.000Z`));
  if (changes.length === 0) return uniformInstant;
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ c: fc.constantFrom(...changes), d: fc.integer({ min: -30 * 60, max: 30 * 60 }), ms: fc.integer({ min: 0, max: 59_999 }) })
      .map(({ c, d, ms }) => c + d * MIN + (ms % 3 === 0 ? ms : 0)) },
    { weight: 1, arbitrary: uniformInstant },
  );
};
const instant = fc.constantFrom(...ZONES).chain(instantIn);

const schedule = (timezone: string, t: number) =>
  fc
    .record({
      weekly: fc.record(
        { mon: dayList, tue: dayList, wed: dayList, thu: dayList, fri: dayList, sat: dayList, sun: dayList },
        { requiredKeys: [] },
      ),
      holidays: fc.array(
        fc.record({
          from: fc.integer({ min: -3, max: 10 }),
          len: fc.integer({ min: 0, max: 3 }),
          closed: fc.boolean(),
          ranges: rangeList,
          name: fc.constantFrom('A', 'B', 'C'),
        }),
        { maxLength: 3 },
      ),
    })
    .map(({ weekly, holidays }) => {
      const day0 = Math.floor(t / 86_400_000);
      const bh: BusinessHoursInput = {
        timezone,
        weekly,
        holidays: holidays.map((h, i) => {
          const open = !h.closed && h.ranges.length > 0;
          return {
            date: dateStr(day0 + h.from),
            ...(h.len > 0 ? { endDate: dateStr(day0 + h.from + h.len) } : {}),
            name: `${h.name}${i}`,
            closed: !open,
            ...(open ? { ranges: h.ranges } : {}),
          };
        }),
      };
      return bh;
    });

const scenario = fc
  .constantFrom(...ZONES)
  .chain((zone) => instantIn(zone).chain((t) => schedule(zone, t).map((bh) => ({ bh, t }))));

function validList(list: HoursRangeInput[] | undefined): boolean {
  const errors: { field: string; message: string }[] = [];
  checkRanges(list, ['x'], errors);
  return errors.length === 0;
}

// ---------------------------------------------------------------- properties
describe('engine vs reference', () => {
  it('generated lists are valid per the domain rules', () => {
    fc.assert(fc.property(rangeList, (l) => validList(l)), { numRuns: 500 });
  });

  it('open, currentRange, reason, nextChangeAt, nextOpenAt agree with the reference', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), ({ bh, t }, between) => {
        const s = evaluateHours(compileHours(bh), t);
        const ref = reference(bh, t);
        expect(s.configured).toBe(true);
        expect(s.open).toBe(ref.open);
        expect(s.currentRange).toEqual(ref.range);
        expect(s.reason).toBe(ref.holiday === null ? 'weekly' : 'holiday');
        expect(s.holiday?.name ?? null).toBe(ref.holiday);
        if (s.nextChangeAt !== null) {
          const n = Date.parse(s.nextChangeAt);
          expect(n).toBeGreaterThan(t);
          expect(n - t).toBeLessThanOrEqual(366 * 86_400_000);
          expect(reference(bh, n).open).toBe(!s.open);
          if (n - MIN >= t) expect(reference(bh, n - MIN).open).toBe(s.open);
          for (const f of between) {
            const u = Math.floor((t + f * (n - t)) / MIN) * MIN;
            if (u >= t && u < n) expect(reference(bh, u).open).toBe(s.open);
          }
        } else {
          for (const f of between) expect(reference(bh, t + f * 366 * 86_400_000).open).toBe(s.open);
        }
        if (s.open) {
          expect(s.nextOpenAt).toBeNull();
          expect(s.afterHours).toBeNull();
        } else {
          expect(s.nextOpenAt).toBe(s.nextChangeAt);
          if (s.nextOpenAt !== null) expect(reference(bh, Date.parse(s.nextOpenAt)).open).toBe(true);
          expect(s.afterHours?.message).toMatch(/^We're closed right now\. We open again .+\.$/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('localTime and localTimeSpoken agree with Intl', () => {
    const spoken = new Map<string, Intl.DateTimeFormat>();
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const s = evaluateHours(compileHours({ timezone: zone, weekly: {} }), t);
        const f = new Intl.DateTimeFormat('en-US', {
          timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
          hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
        });
        const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
        const off = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName!.slice(3);
        expect(s.localTime).toBe(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${off}`);
        let g = spoken.get(zone);
        if (!g) {
          g = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long', hour: 'numeric', minute: '2-digit', hour12: true });
          spoken.set(zone, g);
        }
        const q = Object.fromEntries(g.formatToParts(t).map((x) => [x.type, x.value]));
        expect(s.localTimeSpoken).toBe(`${q.weekday} ${q.hour}:${q.minute} ${q.dayPeriod}`);
      }),
      { numRuns: 300 },
    );
  });

  it('unconfigured is always open', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }), (t) => {
        const s = evaluateHours(compileHours({}), t);
        return s.open && !s.configured && s.nextChangeAt === null && s.reason === 'unconfigured';
      }),
      { numRuns: 300 },
    );
  });

  it('memoised: the same object and an equal copy compile once', () => {
    const bh: BusinessHoursInput = { timezone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end: '17:00' }] } };
    expect(compileHours(bh)).toBe(compileHours(bh));
    expect(compileHours(structuredClone(bh))).toBe(compileHours(bh));
  });
});
