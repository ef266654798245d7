/**
 * Per-zone UTC-offset transition tables, built from `Intl` alone: offsets are sampled once a day
 * with one cached `Intl.DateTimeFormat` per zone and each change is bisected to the second.
 * Tables cover whole UTC years and grow on demand; lookups are binary searches, no Intl call.
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

const tables = new Map<string, ZoneTable>();

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

/** Offset (ms) of the zone at instant `t` (whole second), asked of Intl. */
function intlOffset(fmt: Intl.DateTimeFormat, t: number): number {
  const s = Math.floor(Math.min(Math.max(t, EARLIEST_SAMPLE), LATEST_SAMPLE) / 1000) * 1000;
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let se = 0;
  for (const p of fmt.formatToParts(s)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': se = Number(p.value); break;
      default: break;
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

function yearStart(t: number): number {
  return Date.UTC(new Date(t).getUTCFullYear(), 0, 1);
}

/** The (cached) table of a zone; throws RangeError for a zone Intl does not know. */
export function zoneTable(zone: string): ZoneTable {
  let z = tables.get(zone);
  if (z) return z;
  const fmt = makeFormatter(zone);
  const canonical = fmt.resolvedOptions().timeZone;
  z = tables.get(canonical);
  if (!z) {
    z = { zone: canonical, from: 0, to: 0, off0: 0, at: [], after: [], wallBefore: [], wallAfter: [], key: [], fmt };
    const a = yearStart(Date.now());
    const s = scan(fmt, a, a);
    z.from = a;
    z.to = a;
    z.off0 = s.off0;
    tables.set(canonical, z);
  }
  tables.set(zone, z);
  return z;
}

/** Makes the table cover the instants [a, b]. */
export function ensureCoverage(z: ZoneTable, a: number, b: number): void {
  if (a >= z.from && b < z.to) return;
  if (a < z.from) {
    const from = yearStart(Math.max(a, -8.64e15 + 366 * DAY));
    const s = scan(z.fmt, from, z.from);
    z.off0 = s.off0;
    z.at = s.at.concat(z.at);
    z.after = s.after.concat(z.after);
    z.from = from;
  }
  if (b >= z.to) {
    const to = Math.min(Date.UTC(new Date(b).getUTCFullYear() + 1, 0, 1), 8.64e15);
    const s = scan(z.fmt, z.to, to);
    z.at = z.at.concat(s.at);
    z.after = z.after.concat(s.after);
    z.to = to;
  }
  rebuildWalls(z);
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
