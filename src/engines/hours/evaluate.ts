/**
 * evaluateHours: HoursStatus of a compiled schedule at one instant (business-hours.md rules).
 * Cost per call: a few binary searches, the resolved intervals of ~3 local dates (cached per
 * schedule), and a walk that skips closed holidays, closed weekdays and 24-hour days in jumps.
 */
import { DAY, MINUTE, weekdayOf } from './civil.js';
import type { CompiledHours, ConfiguredHours, DayList, Interval } from './compile.js';
import { formatInstant, formatLocalTime, spokenNextOpen, spokenTime } from './spoken.js';
import type { HoursStatus } from './types.js';
import { offsetAt, resolveWall, tableFor, type ZoneTable } from './zone-offsets.js';

/** Look-ahead window of `nextChangeAt` / `nextOpenAt` (rule 6), inclusive. */
export const LOOKAHEAD_MS = 366 * DAY;
const DAY_CACHE_MAX = 4096;
const MIN_INSTANT = -8.64e15 + 400 * DAY;
const MAX_INSTANT = 8.64e15 - 400 * DAY;
const NO_INTERVALS: readonly Interval[] = Object.freeze([]);

/** Index of the first holiday segment that ends on or after `d`. */
function segIndex(c: ConfiguredHours, d: number): number {
  const segs = c.segments;
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segs[mid]!.to < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Holiday governing local date `d`, or -1 (rule 2). */
function holidayAt(c: ConfiguredHours, d: number): number {
  const k = segIndex(c, d);
  const seg = c.segments[k];
  return seg !== undefined && seg.from <= d ? seg.h : -1;
}

function listOf(c: ConfiguredHours, h: number, d: number): DayList {
  return h >= 0 ? c.holidays[h]!.list : c.weekly[weekdayOf(d)]!;
}

/** The openings of the ranges of local date `d`, resolved to instants (rules 3–4), by start. */
function intervalsOf(c: ConfiguredHours, z: ZoneTable, d: number): readonly Interval[] {
  const cached = c.dayCache.get(d);
  if (cached) return cached;
  const h = holidayAt(c, d);
  const ranges = listOf(c, h, d).ranges;
  let out = NO_INTERVALS;
  if (ranges.length > 0) {
    const arr: Interval[] = [];
    const base = d * DAY;
    for (const range of ranges) {
      const s = resolveWall(z, base + range.start * MINUTE);
      const e = resolveWall(z, base + range.end * MINUTE);
      if (s < e) arr.push({ s, e, range, h });
    }
    if (arr.length > 0) out = arr;
  }
  if (c.dayCache.size >= DAY_CACHE_MAX) c.dayCache.clear();
  c.dayCache.set(d, out);
  return out;
}

/** First date ≥ d (≤ maxDay, else > maxDay) whose list has ranges (holidays skipped in one jump). */
function nextDayWithRanges(c: ConfiguredHours, d: number, maxDay: number): number {
  const segs = c.segments;
  let k = segIndex(c, d);
  while (d <= maxDay) {
    const seg = segs[k];
    if (seg !== undefined && seg.from <= d) {
      if (c.holidays[seg.h]!.list.ranges.length > 0) return d;
      d = seg.to + 1;
      k++;
      continue;
    }
    const nextSeg = seg !== undefined ? seg.from : Infinity;
    const delta = c.weeklyNextNonEmpty[weekdayOf(d)]!;
    if (delta >= 0 && d + delta < nextSeg) return d + delta;
    d = nextSeg;
  }
  return d;
}

/** First date ≥ d (≤ maxDay, else > maxDay) whose list does not cover the whole day. */
function nextDayNotFull(c: ConfiguredHours, d: number, maxDay: number): number {
  const segs = c.segments;
  let k = segIndex(c, d);
  while (d <= maxDay) {
    const seg = segs[k];
    if (seg !== undefined && seg.from <= d) {
      if (!c.holidays[seg.h]!.list.fullCover) return d;
      d = seg.to + 1;
      k++;
      continue;
    }
    const nextSeg = seg !== undefined ? seg.from : Infinity;
    const delta = c.weeklyNextNotFull[weekdayOf(d)]!;
    if (delta >= 0 && d + delta < nextSeg) return d + delta;
    d = nextSeg;
  }
  return d;
}

/**
 * End of the continuous opening containing t (rule 5: touching and overlapping ranges merge,
 * across midnight too), or null if it lasts beyond `limit`. Dates are walked from `d` upward.
 */
function openingEnd(c: ConfiguredHours, z: ZoneTable, d: number, t: number, limit: number, maxDay: number): number | null {
  let end = t;
  for (;;) {
    if (d > maxDay || end > limit) return null;
    const ivs = intervalsOf(c, z, d);
    if (ivs.length === 0) {
      if (resolveWall(z, (d + 1) * DAY) > end) return end;
      d++;
      continue;
    }
    if (ivs[0]!.s > end) return end;
    const list = listOf(c, holidayAt(c, d), d);
    if (list.fullCover) {
      const e = nextDayNotFull(c, d + 1, maxDay);
      if (e - 1 > d) {
        // Dates d … e-1 are open from d 00:00 to e 00:00 without a break.
        end = Math.max(end, resolveWall(z, (e - 1) * DAY));
        d = e - 1;
        continue;
      }
    }
    for (const iv of ivs) {
      if (iv.s > end) return end;
      if (iv.e > end) end = iv.e;
    }
    d++;
  }
}

/** First opening that starts after t, walking dates from `d`, or null within maxDay. */
function nextOpening(c: ConfiguredHours, z: ZoneTable, d: number, t: number, maxDay: number): Interval | null {
  for (;;) {
    d = nextDayWithRanges(c, d, maxDay);
    if (d > maxDay) return null;
    for (const iv of intervalsOf(c, z, d)) if (iv.s > t) return iv;
    d++;
  }
}

function unconfigured(): HoursStatus {
  return {
    configured: false,
    open: true,
    timezone: null,
    localTime: null,
    localTimeSpoken: null,
    reason: 'unconfigured',
    holiday: null,
    currentRange: null,
    nextChangeAt: null,
    nextOpenAt: null,
    afterHours: null,
  };
}

/** HoursStatus (business-hours.md) of the schedule at `instantMs` (ms since the epoch). */
export function evaluateHours(compiled: CompiledHours, instantMs: number): HoursStatus {
  if (!compiled.configured) return unconfigured();
  if (!(instantMs >= MIN_INSTANT && instantMs <= MAX_INSTANT)) {
    throw new RangeError('instant must be a number of milliseconds within the Date range, less 400 days');
  }
  const c = compiled;
  const t = instantMs;
  const z = tableFor(c.zone, t - 4 * DAY, t + LOOKAHEAD_MS + 4 * DAY);
  const off = offsetAt(z, t);
  const wall = t + off;
  const today = Math.floor(wall / DAY);
  const limit = t + LOOKAHEAD_MS;
  const maxDay = today + 368;

  // The range containing t that started first: it comes from local date today-1 (a spill),
  // today, or (only after a backward transition across midnight) today+1.
  let best: Interval | null = null;
  for (let d = today - 1; d <= today + 1; d++) {
    for (const iv of intervalsOf(c, z, d)) {
      if (iv.s > t) break;
      if (t < iv.e && (best === null || iv.s < best.s)) best = iv;
    }
  }

  if (best !== null) {
    const end = openingEnd(c, z, today - 1, t, limit, maxDay);
    const h = best.h;
    return {
      configured: true,
      open: true,
      timezone: c.timezone,
      localTime: formatLocalTime(t, off),
      localTimeSpoken: spokenTime(wall),
      reason: h >= 0 ? 'holiday' : 'weekly',
      holiday: h >= 0 ? { ...c.holidays[h]!.status } : null,
      currentRange: { start: best.range.raw.start, end: best.range.raw.end },
      nextChangeAt: end === null ? null : formatInstant(end),
      nextOpenAt: null,
      afterHours: null,
    };
  }

  const next = nextOpening(c, z, today - 1, t, maxDay);
  const openAt = next !== null && next.s <= limit ? next.s : null;
  const h = holidayAt(c, today);
  const nextOpen = spokenNextOpen(today, openAt === null ? null : openAt + offsetAt(z, openAt));
  const at = openAt === null ? null : formatInstant(openAt);
  return {
    configured: true,
    open: false,
    timezone: c.timezone,
    localTime: formatLocalTime(t, off),
    localTimeSpoken: spokenTime(wall),
    reason: h >= 0 ? 'holiday' : 'weekly',
    holiday: h >= 0 ? { ...c.holidays[h]!.status } : null,
    currentRange: null,
    nextChangeAt: at,
    nextOpenAt: at,
    afterHours: {
      mode: c.afterHours.mode,
      message: c.messageParts.join(nextOpen),
      allowHumanTransfer: c.afterHours.allowHumanTransfer,
      number: c.afterHours.number,
      emergencyNumber: c.afterHours.emergencyNumber,
    },
  };
}
