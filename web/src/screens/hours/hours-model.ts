import type { Agent } from 'flowyte/client';

/** The business-hours types, all derived from the SDK's Agent (agent.md `businessHours`). */
export type BusinessHours = Agent['businessHours'];
export type Weekly = NonNullable<BusinessHours['weekly']>;
export type DayKey = keyof Weekly;
export type Range = NonNullable<Weekly[DayKey]>[number];
export type Holiday = NonNullable<BusinessHours['holidays']>[number];
export type AfterHours = NonNullable<BusinessHours['afterHours']>;

export const DAYS: readonly { key: DayKey; name: string }[] = [
  { key: 'mon', name: 'Monday' },
  { key: 'tue', name: 'Tuesday' },
  { key: 'wed', name: 'Wednesday' },
  { key: 'thu', name: 'Thursday' },
  { key: 'fri', name: 'Friday' },
  { key: 'sat', name: 'Saturday' },
  { key: 'sun', name: 'Sunday' },
];

export const WEEKDAYS: readonly DayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** `{}` = unconfigured: always open. */
export function isConfigured(bh: BusinessHours | null | undefined): boolean {
  return !!bh && Object.keys(bh).length > 0;
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A starting schedule: the browser's zone, Monday to Friday 09:00–17:00. */
export function defaultHours(): BusinessHours {
  const weekly: Weekly = {};
  for (const d of WEEKDAYS) weekly[d] = [{ start: '09:00', end: '17:00' }];
  return { timezone: browserTimeZone(), weekly };
}

/** Every day 00:00–24:00, keeping the zone, holidays and after-hours settings. */
export function allDayEveryDay(bh: BusinessHours): BusinessHours {
  const weekly: Weekly = {};
  for (const d of DAYS) weekly[d.key] = [{ start: '00:00', end: '24:00' }];
  return { ...bh, weekly };
}

/** `bh` with one day's ranges replaced; an empty list removes the day (closed). */
export function withDay(bh: BusinessHours, day: DayKey, ranges: Range[]): BusinessHours {
  const weekly: Weekly = { ...(bh.weekly ?? {}) };
  if (ranges.length === 0) delete weekly[day];
  else weekly[day] = ranges;
  return { ...bh, weekly };
}

export function copyDay(bh: BusinessHours, from: DayKey, to: readonly DayKey[]): BusinessHours {
  const src = bh.weekly?.[from] ?? [];
  let out = bh;
  for (const d of to) if (d !== from) out = withDay(out, d, src.map((r) => ({ ...r })));
  return out;
}

export function withHolidays(bh: BusinessHours, holidays: Holiday[]): BusinessHours {
  const out = { ...bh };
  if (holidays.length === 0) delete out.holidays;
  else out.holidays = holidays;
  return out;
}

/** `afterHours` with one member set; `undefined` removes the member (its default applies). */
export function withAfterHours<K extends keyof AfterHours>(bh: BusinessHours, key: K, value: AfterHours[K] | undefined): BusinessHours {
  const ah: AfterHours = { ...(bh.afterHours ?? {}) };
  if (value === undefined) delete ah[key];
  else ah[key] = value;
  const out = { ...bh };
  if (Object.keys(ah).length === 0) delete out.afterHours;
  else out.afterHours = ah;
  return out;
}

export function replaceAt<T>(list: readonly T[], i: number, v: T): T[] {
  return list.map((x, j) => (j === i ? v : x));
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}

/** Minutes since midnight of `HH:MM`, or null when it is not that shape. */
export function minutesOf(hhmm: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 24 && min <= 59 ? h * 60 + min : null;
}

/** A range whose end is earlier than its start runs past midnight (agent.md). */
export function isOvernight(r: Range): boolean {
  const s = minutesOf(r.start);
  const e = minutesOf(r.end);
  return s !== null && e !== null && e < s;
}

/** A new range after the last one (or 09:00–17:00). */
export function nextRange(ranges: readonly Range[]): Range {
  const last = ranges[ranges.length - 1];
  const end = last ? minutesOf(last.end) : null;
  if (end === null || end >= 22 * 60) return { start: '09:00', end: '17:00' };
  const s = end + 60;
  const e = Math.min(s + 120, 24 * 60);
  return { start: hhmm(s), end: hhmm(e) };
}

function hhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/** Parses what the user typed as `HH:MM` (`9:30` is accepted and written `09:30`). */
export function parseTime(s: string, kind: 'start' | 'end'): { ok: true; value: string } | { ok: false; error: string } {
  const m = /^\s*(\d{1,2}):?(\d{2})\s*$/.exec(s);
  if (!m) return { ok: false, error: 'Use HH:MM, 24-hour (e.g. 09:30)' };
  const v = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  const min = minutesOf(v);
  if (min === null) return { ok: false, error: 'Use HH:MM, 24-hour (e.g. 09:30)' };
  if (kind === 'start' && min >= 24 * 60) return { ok: false, error: 'A start is 00:00–23:59' };
  if (kind === 'end' && min === 0) return { ok: false, error: 'An end is 00:01–24:00 (24:00 = midnight)' };
  if (min > 24 * 60) return { ok: false, error: 'Use HH:MM, 24-hour (e.g. 09:30)' };
  return { ok: true, value: v };
}

/** Whether this browser's Intl knows the zone (the server checks the same way). */
export function isKnownZone(tz: string): boolean {
  if (tz.trim() === '' || /^[+-]?\d/.test(tz) || /^(UTC|GMT)[+-]/i.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function supportedZones(): string[] {
  const f = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  try {
    return f ? f('timeZone') : [];
  } catch {
    return [];
  }
}

/** Today's date (YYYY-MM-DD) in `tz`, for a new holiday. */
export function todayIn(tz: string | undefined): string {
  const zone = tz && isKnownZone(tz) ? tz : undefined;
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
