import { isKnownZone } from './hours-model.js';

/** Wall clocks in a time zone, with Intl only (no library). */

function zoneOrUndefined(tz: string | null | undefined): string | undefined {
  return tz && isKnownZone(tz) ? tz : undefined;
}

/** The zone's UTC offset at `ms`, in ms (wall clock minus UTC). */
function offsetAt(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const n = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour') % 24, n('minute'), n('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `tz` (the browser's zone when absent) shows `local`
 * (`YYYY-MM-DDTHH:MM[:SS]`, a datetime-local value); null when `local` is not that shape.
 */
export function instantOfWallClock(local: string, tz: string | null | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const zone = zoneOrUndefined(tz);
  if (!zone) {
    const dt = new Date(y, mo - 1, d, h, mi, s);
    return Number.isNaN(dt.getTime()) ? null : dt;
  }
  // Temporal's "compatible": a repeated wall time is its first occurrence, a skipped one is
  // moved forward by the length of the gap
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const before = offsetAt(wall - 86_400_000, zone);
  const after = offsetAt(wall + 86_400_000, zone);
  const fits = [wall - before, wall - after].filter((t) => offsetAt(t, zone) === wall - t).sort((a, b) => a - b);
  return new Date(fits[0] ?? wall - before);
}

/** An instant as a reader in `tz` sees it: `Mon, Dec 21, 2026, 9:00 AM`. */
export function formatInstant(iso: string, tz: string | null | undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zoneOrUndefined(tz),
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(d);
}

/** "in 3 h 20 min" / "in 2 days" from now (or from `from`). */
export function relativeTo(iso: string, from: Date): string {
  const diff = new Date(iso).getTime() - from.getTime();
  if (!Number.isFinite(diff)) return '';
  const abs = Math.abs(diff);
  const min = Math.round(abs / 60000);
  let text: string;
  if (min < 1) text = 'less than a minute';
  else if (min < 60) text = `${min} min`;
  else if (min < 48 * 60) text = `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
  else text = `${Math.round(min / 1440)} days`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
