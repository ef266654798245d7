/** Text renderings: local time with offset, en-US spoken times and the `{nextOpen}` wording. */
import { DAY, civilFromDays, weekdayOf } from './civil.js';

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

const ymd = [0, 0, 0];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad4(n: number): string {
  if (n >= 1000) return `${n}`;
  if (n >= 0) return `000${n}`.slice(-4);
  return `-${`00000${-n}`.slice(-6)}`;
}

/** `YYYY-MM-DDTHH:mm:ss±HH:MM` of instant `t` at offset `off` (ms); fraction dropped. */
export function formatLocalTime(t: number, off: number): string {
  const wall = Math.floor((t + off) / 1000) * 1000;
  const day = Math.floor(wall / DAY);
  const secs = (wall - day * DAY) / 1000;
  civilFromDays(day, ymd);
  const h = Math.floor(secs / 3600);
  const m = Math.floor(secs / 60) % 60;
  const s = secs % 60;
  const offMin = Math.trunc(off / 60000);
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  return `${pad4(ymd[0]!)}-${pad2(ymd[1]!)}-${pad2(ymd[2]!)}T${pad2(h)}:${pad2(m)}:${pad2(s)}${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/** `5:00 PM` of a wall clock (local ms). */
function clock(wall: number): string {
  const day = Math.floor(wall / DAY);
  const mins = Math.floor((wall - day * DAY) / 60000);
  const h = Math.floor(mins / 60);
  const m = mins % 60;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}:${pad2(m)} ${h < 12 ? 'AM' : 'PM'}`;
}

/** `Thursday 5:00 PM` of a wall clock (local ms). */
export function spokenTime(wall: number): string {
  return `${WEEKDAY_NAMES[weekdayOf(Math.floor(wall / DAY))]} ${clock(wall)}`;
}

/** `Monday, January 4 9:00 AM` of a wall clock (local ms). */
export function spokenDateTime(wall: number): string {
  const day = Math.floor(wall / DAY);
  civilFromDays(day, ymd);
  return `${WEEKDAY_NAMES[weekdayOf(day)]}, ${MONTH_NAMES[ymd[1]! - 1]} ${ymd[2]} ${clock(wall)}`;
}

/**
 * `{nextOpen}`: weekday and time when the opening's local date is at most 6 days after the
 * current local date, with month and day when later, `at a later date` when there is none.
 */
export function spokenNextOpen(currentDay: number, openWall: number | null): string {
  if (openWall === null) return 'at a later date';
  return Math.floor(openWall / DAY) - currentDay <= 6 ? spokenTime(openWall) : spokenDateTime(openWall);
}

/** api.md instant form, `2026-12-21T16:00:00.000Z`. */
export function formatInstant(t: number): string {
  return new Date(t).toISOString();
}
