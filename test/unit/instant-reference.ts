// The parser as it was before it was rewritten without Date objects: the reference the rewrite is checked against (test/unit/instant.test.ts).
/**
 * RFC 3339 instants as query parameters take them (business-hours.md `at`, audit `since` and
 * `until`): `Z` or an offset, optional fractional seconds (truncated to milliseconds), years
 * 0001–9998 (a year ahead must stay a 4-digit year), a leap second read as the instant after
 * it, and a space where an unencoded offset's `+` was read as `+`. Pure.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Epoch milliseconds, or null when `raw` is not such an instant. */
export function parseInstantReference(raw: string): number | null {
  const m = RFC3339.exec(raw.replace(/ (\d{2}:\d{2})$/, '+$1'));
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  if (+y! < 1 || +y! > 9998) return null;
  const day = new Date(0);
  day.setUTCFullYear(+y!, +mo! - 1, +d!); // not Date.UTC, which reads years 0–99 as 1900–1999
  if (day.getUTCFullYear() !== +y! || day.getUTCMonth() !== +mo! - 1 || day.getUTCDate() !== +d!) return null;
  if (+h! > 23 || +mi! > 59 || +s! > 60 || (+s! === 60 && +mi! !== 59)) return null;
  if (sign && (+oh! > 23 || +om! > 59)) return null;
  const ms = day.getTime() + ((+h! * 60 + +mi!) * 60 + +s!) * 1000 + (frac && +s! < 60 ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  const offset = sign ? (sign === '+' ? 1 : -1) * (+oh! * 60 + +om!) * 60_000 : 0;
  return ms - offset;
}
