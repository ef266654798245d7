/**
 * Per-zone UTC-offset transition tables, built from `Intl` alone: offsets are sampled once a day
 * with one cached `Intl.DateTimeFormat` per zone and each change is bisected to the second.
 * Tables cover whole UTC years and grow on demand (a few disjoint windows per zone); lookups are
 * binary searches, no Intl call.
 */
import { DAY, daysFromCivil } from './civil.js';

/** A zone's offsets over the instants [from, to). Offsets are in ms (local = utc + offset). */
export interface ZoneTable {
  readonly zone: string;
  from: number;
  to: number;
  /** Offset before the first transition (at `from`). */
  off0: number;
  /** Transition instants, ascending, and the offset in force from each one on. */
  at: number[];
  after: number[];
  /** Wall clock (local ms) just before / from each transition; `key` = the smaller one. */
  wallBefore: number[];
  wallAfter: number[];
  key: number[];
  readonly fmt: Intl.DateTimeFormat;
}

const SAMPLE_STEP = DAY;
/** ICU switches to the Julian calendar before 1582; clamp sampling to modern times. */
const EARLIEST_SAMPLE = Date.UTC(1600, 0, 1);
const LATEST_SAMPLE = 8.64e15 - 2 * 366 * DAY;

function makeFormatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** en-US numeric output, `3/29/2026, 03:00:00`; `format` is ~3× cheaper than `formatToParts`. */
const EN_US = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

/** Offset (ms) of the zone at instant `t` (whole second), asked of Intl. */
function intlOffset(fmt: Intl.DateTimeFormat, t: number): number {
  const s = Math.floor(Math.min(Math.max(t, EARLIEST_SAMPLE), LATEST_SAMPLE) / 1000) * 1000;
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let se = 0;
  const m = EN_US.exec(fmt.format(s));
  if (m) {
    mo = Number(m[1]);
    d = Number(m[2]);
    y = Number(m[3]);
    h = Number(m[4]);
    mi = Number(m[5]);
    se = Number(m[6]);
  } else {
    for (const p of fmt.formatToParts(s)) {
      const v = Number(p.value);
      if (p.type === 'year') y = v;
      else if (p.type === 'month') mo = v;
      else if (p.type === 'day') d = v;
      else if (p.type === 'hour') h = v;
      else if (p.type === 'minute') mi = v;
      else if (p.type === 'second') se = v;
    }
  }
  const wall = daysFromCivil(y, mo, d) * DAY + ((h * 60 + mi) * 60 + se) * 1000;
  return wall - s;
}

interface Scan {
  off0: number;
  at: number[];
  after: number[];
}

/** Offset at `a` and every transition in (a, b]. */
function scan(fmt: Intl.DateTimeFormat, a: number, b: number): Scan {
  const off0 = intlOffset(fmt, a);
  const at: number[] = [];
  const after: number[] = [];
  let cur = a;
  let curOff = off0;
  while (cur < b) {
    const next = Math.min(cur + SAMPLE_STEP, b);
    const o = intlOffset(fmt, next);
    if (o === curOff) {
      cur = next;
      continue;
    }
    // Bisect to the first whole second whose offset differs from curOff.
    let lo = cur;
    let hi = next;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (mid <= lo) break;
      if (intlOffset(fmt, mid) === curOff) lo = mid;
      else hi = mid;
    }
    const offHi = intlOffset(fmt, hi);
    at.push(hi);
    after.push(offHi);
    cur = hi;
    curOff = offHi;
  }
  return { off0, at, after };
}

function rebuildWalls(z: ZoneTable): void {
  const n = z.at.length;
  z.wallBefore = new Array<number>(n);
  z.wallAfter = new Array<number>(n);
  z.key = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const before = i === 0 ? z.off0 : z.after[i - 1]!;
    z.wallBefore[i] = z.at[i]! + before;
    z.wallAfter[i] = z.at[i]! + z.after[i]!;
    z.key[i] = Math.min(z.wallBefore[i]!, z.wallAfter[i]!);
  }
}

/** Start of the UTC year of `t` (or of the year `add` years later); Date.UTC would map 0–99 to 19xx. */
function yearStart(t: number, add = 0): number {
  return daysFromCivil(new Date(t).getUTCFullYear() + add, 1, 1) * DAY;
}

const MIN_INSTANT = -8.64e15 + 400 * DAY;
const MAX_INSTANT = 8.64e15;
const YEAR = 366 * DAY;
/** Disjoint coverage windows kept per zone, so instants years apart do not scan the years between. */
const MAX_WINDOWS = 8;

/** One zone: its formatter and a few coverage windows (most recently used first). */
export interface ZoneState {
  readonly zone: string;
  readonly fmt: Intl.DateTimeFormat;
  readonly windows: ZoneTable[];
}

const states = new Map<string, ZoneState>();

/** The (cached) state of a zone, links included; throws RangeError for a zone Intl does not know. */
export function zoneState(zone: string): ZoneState {
  let st = states.get(zone);
  if (st) return st;
  const fmt = makeFormatter(zone);
  const canonical = fmt.resolvedOptions().timeZone;
  st = states.get(canonical);
  if (!st) {
    st = { zone: canonical, fmt, windows: [] };
    states.set(canonical, st);
  }
  states.set(zone, st);
  return st;
}

function extend(z: ZoneTable, a: number, b: number): void {
  if (a < z.from) {
    const from = yearStart(Math.max(a, MIN_INSTANT));
    const s = scan(z.fmt, from, z.from);
    z.off0 = s.off0;
    z.at = s.at.concat(z.at);
    z.after = s.after.concat(z.after);
    z.from = from;
  }
  if (b >= z.to) {
    const to = Math.min(yearStart(Math.min(b, MAX_INSTANT - YEAR), 1), MAX_INSTANT);
    const s = scan(z.fmt, z.to, to);
    z.at = z.at.concat(s.at);
    z.after = z.after.concat(s.after);
    z.to = to;
  }
  rebuildWalls(z);
}

/** A table of the zone covering the instants [a, b] (built or extended on demand, whole years). */
export function tableFor(st: ZoneState, a: number, b: number): ZoneTable {
  const ws = st.windows;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (a >= w.from && b < w.to) {
      if (i > 0) {
        ws.splice(i, 1);
        ws.unshift(w);
      }
      return w;
    }
  }
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (b >= w.from - 2 * YEAR && a < w.to + 2 * YEAR) {
      extend(w, a, b);
      ws.splice(i, 1);
      ws.unshift(w);
      return w;
    }
  }
  const from = yearStart(Math.max(a, MIN_INSTANT));
  const w: ZoneTable = {
    zone: st.zone, from, to: from, off0: intlOffset(st.fmt, from),
    at: [], after: [], wallBefore: [], wallAfter: [], key: [], fmt: st.fmt,
  };
  extend(w, a, b);
  ws.unshift(w);
  if (ws.length > MAX_WINDOWS) ws.pop();
  return w;
}

/** Offset (ms) in force at instant `t` (covered). */
export function offsetAt(z: ZoneTable, t: number): number {
  const at = z.at;
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? z.off0 : z.after[lo - 1]!;
}

/**
 * The instant of a wall-clock time (local ms), business-hours.md rule 4: a skipped wall time is
 * the instant the gap ends (the transition), a repeated one its first occurrence. Equivalently:
 * the first instant whose wall clock reads `wall` or later.
 */
export function resolveWall(z: ZoneTable, wall: number): number {
  const key = z.key;
  let lo = 0;
  let hi = key.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key[mid]! <= wall) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  if (i < 0) return wall - z.off0;
  const before = i === 0 ? z.off0 : z.after[i - 1]!;
  const after = z.after[i]!;
  if (after > before) {
    // Gap: walls [wallBefore, wallAfter) never show.
    return wall < z.wallAfter[i]! ? z.at[i]! : wall - after;
  }
  // Repeat: walls [wallAfter, wallBefore) show twice; take the earlier one.
  return wall < z.wallBefore[i]! ? wall - before : wall - after;
}
