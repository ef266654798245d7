/**
 * Normalisation and cross-field rules of `businessHours` (agent.md "businessHours",
 * business-hours.md). Shape (types, formats, bounds) was checked by the request schema.
 */
import type { FieldError } from '../../errors.js';
import { isValidTimeZone, minutesOf, normalizeDestination } from '../../contracts/formats.js';
import { renderPath } from '../../contracts/validator.js';
import type { AfterHours, BusinessHours, Holiday, TimeRange } from './defaults.js';
import { MEMBER_ORDER } from './defaults.js';
import { hasOwn, isPlainObject, orderKeys } from './json.js';

type Path = (string | number)[];
const DESTINATION_MESSAGE = 'must be an E.164 number or sip: URI';

/**
 * One list of ranges: `start == end` is an error on `.end`; overlapping ranges are an error on
 * the later range's `.start`, where an overnight range covers its day from start to 24:00 and
 * touching ranges do not overlap. "Later" = the range that starts later (for equal starts, the
 * one listed later); each range is reported at most once.
 */
export function checkRanges(list: readonly TimeRange[] | undefined, path: Path, errors: FieldError[]): void {
  if (!Array.isArray(list)) return;
  const spans: { i: number; s: number; e: number; r: TimeRange }[] = [];
  list.forEach((r, i) => {
    if (r.start === r.end) {
      errors.push({ field: renderPath([...path, i, 'end']), message: 'must differ from start' });
      return;
    }
    const s = minutesOf(r.start);
    const end = minutesOf(r.end);
    spans.push({ i, s, e: end > s ? end : 24 * 60, r });
  });
  spans.sort((a, b) => a.s - b.s || a.i - b.i);
  let reach: (typeof spans)[number] | null = null;
  for (const sp of spans) {
    if (reach && sp.s < reach.e) {
      errors.push({
        field: renderPath([...path, sp.i, 'start']),
        message: `overlaps ${reach.r.start}–${reach.r.end} (${renderPath([...path, reach.i])})`,
      });
    }
    if (!reach || sp.e > reach.e) reach = sp;
  }
}

function normalizeDest(v: unknown, path: Path, errors: FieldError[]): unknown {
  if (typeof v !== 'string') return v;
  const n = normalizeDestination(v);
  if (n === null) {
    errors.push({ field: renderPath(path), message: DESTINATION_MESSAGE });
    return v;
  }
  return n;
}

/** Normalises (destinations, member order) and checks a merged `businessHours`. */
export function normalizeBusinessHours(bh: BusinessHours, errors: FieldError[]): BusinessHours {
  const root: Path = ['businessHours'];
  if (!isPlainObject(bh) || Object.keys(bh).length === 0) return {};
  const out: BusinessHours = { ...bh };

  if (out.timezone === undefined) {
    errors.push({ field: 'businessHours.timezone', message: 'required when a schedule is set' });
  } else if (!isValidTimeZone(out.timezone)) {
    errors.push({ field: 'businessHours.timezone', message: 'must be an IANA time zone such as America/New_York' });
  }

  if (out.weekly === undefined) {
    errors.push({ field: 'businessHours.weekly', message: 'required when a schedule is set' });
  } else {
    const weekly = orderKeys(out.weekly as Record<string, unknown>, MEMBER_ORDER.weekly) as NonNullable<BusinessHours['weekly']>;
    for (const day of MEMBER_ORDER.weekly) {
      if (hasOwn(weekly, day)) checkRanges(weekly[day], [...root, 'weekly', day], errors);
    }
    out.weekly = weekly;
  }

  if (out.holidays !== undefined) {
    out.holidays = out.holidays.map((h, i) => {
      const p: Path = [...root, 'holidays', i];
      if (h.endDate !== undefined && h.endDate < h.date) {
        errors.push({ field: renderPath([...p, 'endDate']), message: 'must not be before date' });
      }
      const closed = h.closed ?? true;
      const n = h.ranges?.length ?? 0;
      if (closed && n > 0) {
        errors.push({ field: renderPath([...p, 'ranges']), message: 'must be absent or empty when closed is true (the default)' });
      } else if (!closed && n === 0) {
        errors.push({ field: renderPath([...p, 'ranges']), message: 'required (non-empty) when closed is false' });
      }
      checkRanges(h.ranges, [...p, 'ranges'], errors);
      return orderKeys(h as Holiday & Record<string, unknown>, MEMBER_ORDER.holiday);
    });
  }

  if (out.afterHours !== undefined) {
    const ah: AfterHours = { ...out.afterHours };
    const p: Path = [...root, 'afterHours'];
    if (ah.number !== undefined && ah.number !== null) ah.number = normalizeDest(ah.number, [...p, 'number'], errors) as string;
    if (ah.emergencyNumber !== undefined && ah.emergencyNumber !== null) {
      ah.emergencyNumber = normalizeDest(ah.emergencyNumber, [...p, 'emergencyNumber'], errors) as string;
    }
    if ((ah.mode === 'forward' || ah.allowHumanTransfer === true) && (ah.number === undefined || ah.number === null)) {
      errors.push({
        field: 'businessHours.afterHours.number',
        message: 'required when mode is forward or allowHumanTransfer is true',
      });
    }
    out.afterHours = orderKeys(ah as AfterHours & Record<string, unknown>, MEMBER_ORDER.afterHours);
  }
  return orderKeys(out as BusinessHours & Record<string, unknown>, MEMBER_ORDER.businessHours);
}

export { normalizeDest, DESTINATION_MESSAGE };
