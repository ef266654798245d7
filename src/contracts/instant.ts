/**
 * RFC 3339 instants as query parameters take them (business-hours.md `at`, audit `since` and
 * `until`): `Z` or an offset, optional fractional seconds (truncated to milliseconds), years
 * 0001–9998 (a year ahead must stay a 4-digit year), a leap second read as the instant after
 * it, and a space where an unencoded offset's `+` was read as `+`. Pure, and cheap: the live
 * path parses one per request (no Date object, no string rewriting).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+ -])(\d{2}):(\d{2}))$/;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Epoch milliseconds, or null when `raw` is not such an instant. */
export function parseInstant(raw: string): number | null {
  const m = RFC3339.exec(raw);
  if (!m) return null;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  const h = +m[4]!;
  const mi = +m[5]!;
  const s = +m[6]!;
  const frac = m[7];
  const sign = m[9];
  if (y < 1 || y > 9998 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  if (h > 23 || mi > 59 || s > 60 || (s === 60 && mi !== 59)) return null;
  let offset = 0;
  if (sign) {
    const oh = +m[10]!;
    const om = +m[11]!;
    if (oh > 23 || om > 59) return null;
    // a space stands for an unencoded `+`
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const fracMs = frac && s < 60 ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + fracMs - offset;
}
