/**
 * compileHours: turns a validated `businessHours` into lookup-ready data (sorted minute ranges,
 * flattened holiday segments, the zone's state), memoised per config object (a WeakMap: configs
 * are treated as immutable) and per JSON text (a small LRU, for equal configs read afresh).
 */
import { parseDate, parseHhmm } from './civil.js';
import type { AfterHoursStatus, BusinessHoursInput, HolidayStatus, HoursRangeInput, WeekdayKey } from './types.js';
import { zoneState, type ZoneState } from './zone-offsets.js';

export const BUILT_IN_AFTER_HOURS_MESSAGE = "We're closed right now. We open again {nextOpen}.";

/** One range of a list, in minutes since local midnight. */
export interface CompiledRange {
  readonly start: number;
  /** End in minutes counted from the start day's midnight (overnight: +1440; `24:00` = 1440). */
  readonly end: number;
  /** As written. */
  readonly raw: HoursRangeInput;
}

/** The ranges governing one local date. */
export interface DayList {
  /** Sorted by start. */
  readonly ranges: readonly CompiledRange[];
  /** The ranges cover 00:00–24:00 of the day without a hole. */
  readonly fullCover: boolean;
}

export interface CompiledHoliday {
  readonly status: HolidayStatus;
  readonly list: DayList;
}

/** Consecutive dates [from, to] governed by holiday `h` (the first listed that covers them). */
export interface HolidaySegment {
  readonly from: number;
  readonly to: number;
  readonly h: number;
}

/** An opening resolved to instants: [s, e), from a range of local date `day`. */
export interface Interval {
  readonly s: number;
  readonly e: number;
  readonly range: CompiledRange;
  /** Holiday index, or -1 for the weekly schedule. */
  readonly h: number;
}

export interface ConfiguredHours {
  readonly configured: true;
  readonly timezone: string;
  readonly zone: ZoneState;
  /** Indexed by weekday, 0 = Sunday. */
  readonly weekly: readonly DayList[];
  /** For each weekday, days until the next weekday with ranges (0–6), or -1 if none. */
  readonly weeklyNextNonEmpty: readonly number[];
  /** For each weekday, days until the next weekday that is not fully covered, or -1 if none. */
  readonly weeklyNextNotFull: readonly number[];
  readonly holidays: readonly CompiledHoliday[];
  readonly segments: readonly HolidaySegment[];
  readonly afterHours: Omit<AfterHoursStatus, 'message'>;
  /** The message (configured or built-in) split around `{nextOpen}`. */
  readonly messageParts: readonly string[];
  /** Resolved intervals per local date, filled lazily. */
  readonly dayCache: Map<number, readonly Interval[]>;
}

export interface UnconfiguredHours {
  readonly configured: false;
}

export type CompiledHours = ConfiguredHours | UnconfiguredHours;

const UNCONFIGURED: UnconfiguredHours = Object.freeze({ configured: false });
const WEEKDAY_KEYS: readonly WeekdayKey[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const EMPTY_LIST: DayList = Object.freeze({ ranges: Object.freeze([]), fullCover: false });

function compileList(ranges: readonly HoursRangeInput[] | undefined): DayList {
  if (!ranges || ranges.length === 0) return EMPTY_LIST;
  const out: CompiledRange[] = ranges.map((r) => {
    const start = parseHhmm(r.start);
    const end = parseHhmm(r.end);
    return { start, end: end <= start ? end + 1440 : end, raw: { start: r.start, end: r.end } };
  });
  out.sort((a, b) => a.start - b.start);
  let reach = 0;
  for (const r of out) {
    if (r.start > reach) break;
    reach = Math.max(reach, r.end);
  }
  return { ranges: out, fullCover: reach >= 1440 };
}

/** Holidays flattened into non-overlapping segments; the first listed holiday wins. */
function buildSegments(spans: readonly { from: number; to: number }[]): HolidaySegment[] {
  const cuts = [...new Set(spans.flatMap((s) => [s.from, s.to + 1]))].sort((a, b) => a - b);
  const segs: HolidaySegment[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k]!;
    const to = cuts[k + 1]! - 1;
    const h = spans.findIndex((s) => s.from <= from && to <= s.to);
    if (h < 0) continue;
    const last = segs[segs.length - 1];
    if (last && last.h === h && last.to + 1 === from) segs[segs.length - 1] = { from: last.from, to, h };
    else segs.push({ from, to, h });
  }
  return segs;
}

function distances(flags: readonly boolean[]): number[] {
  return flags.map((_, w) => {
    for (let k = 0; k < 7; k++) if (flags[(w + k) % 7]) return k;
    return -1;
  });
}

function compile(bh: BusinessHoursInput): ConfiguredHours {
  if (typeof bh.timezone !== 'string') throw new TypeError('businessHours.timezone is required');
  const zone = zoneState(bh.timezone);
  const weeklyIn = bh.weekly ?? {};
  const weekly = WEEKDAY_KEYS.map((k) => compileList(weeklyIn[k]));
  const holidaysIn = bh.holidays ?? [];
  const holidays: CompiledHoliday[] = holidaysIn.map((h) => ({
    status: { name: h.name, date: h.date, endDate: h.endDate ?? h.date },
    list: (h.closed ?? true) ? EMPTY_LIST : compileList(h.ranges),
  }));
  const segments = buildSegments(
    holidaysIn.map((h) => ({ from: parseDate(h.date), to: parseDate(h.endDate ?? h.date) })),
  );
  const ah = bh.afterHours ?? {};
  const message = ah.message ?? BUILT_IN_AFTER_HOURS_MESSAGE;
  return {
    configured: true,
    timezone: bh.timezone,
    zone,
    weekly,
    weeklyNextNonEmpty: distances(weekly.map((l) => l.ranges.length > 0)),
    weeklyNextNotFull: distances(weekly.map((l) => !l.fullCover)),
    holidays,
    segments,
    afterHours: {
      mode: ah.mode ?? 'answer',
      allowHumanTransfer: ah.allowHumanTransfer ?? false,
      number: ah.number ?? null,
      emergencyNumber: ah.emergencyNumber ?? null,
    },
    messageParts: message.split('{nextOpen}'),
    dayCache: new Map(),
  };
}

const byObject = new WeakMap<object, CompiledHours>();
const LRU_SIZE = 256;
const byJson = new Map<string, CompiledHours>();

/**
 * Compiles a (validated) `businessHours`; `{}`, null or undefined = unconfigured. Memoised: the
 * same object, or one with the same JSON text, returns the same compiled schedule.
 */
export function compileHours(businessHours: BusinessHoursInput | Record<string, never> | null | undefined): CompiledHours {
  if (businessHours === null || businessHours === undefined || typeof businessHours !== 'object') return UNCONFIGURED;
  const hit = byObject.get(businessHours);
  if (hit) return hit;
  let compiled: CompiledHours;
  if (Object.keys(businessHours).length === 0) {
    compiled = UNCONFIGURED;
  } else {
    // Native JSON.stringify: stored configs have a fixed member order (the domain normalises it);
    // an equal config written in another order only misses the cache.
    const key = JSON.stringify(businessHours);
    const cached = byJson.get(key);
    if (cached) {
      byJson.delete(key);
      byJson.set(key, cached);
      compiled = cached;
    } else {
      compiled = compile(businessHours as BusinessHoursInput);
      byJson.set(key, compiled);
      if (byJson.size > LRU_SIZE) byJson.delete(byJson.keys().next().value as string);
    }
  }
  byObject.set(businessHours, compiled);
  return compiled;
}
