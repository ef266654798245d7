/**
 * Arbitraries of valid (and clearly invalid) values for the custom string formats of the
 * contracts (src/contracts/formats.ts), built from agent.md / business-hours.md / api.md rather
 * than from the server's own checkers. Where the spec defines validity through `Intl`
 * (language tags, time zones) or `new URL`, the generators filter with that same definition.
 */
import fc from 'fast-check';
import { defaultUnit, type GenOptions, type Path, type Schema } from './schema-arbitrary.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const chars = (s: string) => [...s];
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALPHA = LOWER + LOWER.toUpperCase();
const DIGITS = '0123456789';
const word = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...chars(alphabet)), minLength: min, maxLength: max });
/** Each letter upper- or lower-cased at random (for things compared case-insensitively). */
const mixedCase = (s: string) =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flips) => [...s].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

/** Code points, as agent.md counts characters. */
export const codePoints = (s: string) => [...s].length;

// ---------------------------------------------------------------------------------------- names

/** `name`: 1–120 code points after trim(); whitespace around it is allowed (and trimmed). */
export const agentName: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '', ' ', '  ', '\t', '\u00a0', '\n ', '\uFEFF', '\u2028'),
    fc.oneof(
      { weight: 10, arbitrary: fc.string({ unit: defaultUnit, minLength: 1, maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ unit: defaultUnit, minLength: 110, maxLength: 120 }) },
    ),
    fc.constantFrom('', '', '', ' ', '\t\t', '\u3000', '\r\n'),
  )
  .map(([a, core, b]) => a + core + b)
  .filter((s) => {
    const n = codePoints(s.trim());
    return n >= 1 && n <= 120;
  });

// ------------------------------------------------------------------------------- language tags

export function canonicalTag(s: string): string | null {
  try {
    const out = Intl.getCanonicalLocales(s);
    return out.length === 1 ? out[0] : null;
  } catch {
    return null;
  }
}

const opt = (a: fc.Arbitrary<string>, empty: '') => fc.option(a, { nil: empty });

/** Well-formed BCP 47 tags in any case: language, script, region, variants, extensions, private use. */
export const languageTag: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom('en', 'en-US', 'en-us', 'EN-gb', 'de', 'de-CH', 'fr', 'es', 'es-419', 'pt-BR', 'zh-Hans', 'zh-hant-tw', 'ja', 'sr-Latn', 'iw', 'in', 'mo', 'sh', 'und', 'fil', 'yue', 'de-DD', 'en-BU', 'sgn-GR', 'en-u-ca-gregory', 'ja-JP-u-ca-japanese', 'en-x-private', 'de-1996', 'sl-rozaj-biske', 'ca-ES-valencia', 'hy-arevela', 'art-lojban', 'cmn', 'zh-min-nan', 'en-GB-oed', 'x-private', 'i-klingon', 'no-bok', 'tl', 'und-Latn-t-und-cyrl') },
    {
      weight: 5,
      arbitrary: fc
        .tuple(
          fc.oneof(word(ALPHA, 2, 3), word(ALPHA, 5, 8)),
          opt(word(ALPHA, 4, 4).map((s) => `-${s}`), ''),
          opt(fc.oneof(word(ALPHA, 2, 2), word(DIGITS, 3, 3)).map((s) => `-${s}`), ''),
          opt(fc.oneof(word(ALPHA + DIGITS, 5, 8), fc.tuple(word(DIGITS, 1, 1), word(ALPHA + DIGITS, 3, 3)).map(([a, b]) => a + b)).map((s) => `-${s}`), ''),
          opt(fc.constantFrom('-u-ca-gregory', '-u-nu-latn', '-u-co-phonebk-ka-shifted', '-t-en', '-x-abc', '-x-a1b2c3d4-zz', '-a-bcd-u-attr'), ''),
        )
        .map((p) => p.join('')),
    },
  )
  .chain((t) => mixedCase(t))
  .filter((t) => t.length <= 100 && canonicalTag(t) !== null);

export const INVALID_LANGUAGE_TAGS = ['en_US', 'e', 'english!', '123', 'en--US', 'en-US-', '-en', 'toolonglanguage', 'en US', 'x', 'en-a', 'de-1996-1996', '☃'].filter(
  (t) => canonicalTag(t) === null,
);

// --------------------------------------------------------------------------------- time zones

const OFFSET_RE = /^(?:utc|gmt)?\s*[+\-\u2212]\s*\d/i;
export function isTimeZone(s: string): boolean {
  if (s === '' || s.length > 64 || OFFSET_RE.test(s)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: s });
    return true;
  } catch {
    return false;
  }
}

const ZONES = [
  ...Intl.supportedValuesOf('timeZone'),
  // links and oddities: stored as written (agent.md)
  'US/Eastern', 'US/Pacific', 'Asia/Calcutta', 'Europe/Kiev', 'UTC', 'Etc/UTC', 'GMT', 'Etc/GMT+5', 'Etc/GMT-14', 'Etc/GMT+12', 'Zulu', 'Universal',
  'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Antarctica/Troll', 'Africa/Casablanca', 'America/St_Johns', 'Pacific/Kiritimati', 'Pacific/Apia',
  'America/Havana', 'Asia/Gaza', 'Europe/Dublin', 'EST5EDT', 'Cuba', 'Egypt', 'Navajo',
];
export const timeZone: fc.Arbitrary<string> = fc
  .oneof({ weight: 4, arbitrary: fc.constantFrom(...ZONES) }, { weight: 1, arbitrary: fc.constantFrom(...ZONES).chain(mixedCase) })
  .filter(isTimeZone);
export const INVALID_TIME_ZONES = ['Mars/Olympus_Mons', '+05:00', 'UTC+5', 'GMT-08:00', 'America/New York', 'Europe/', '../etc/passwd', 'Local', 'America/New_York/', '−05:00'].filter(
  (z) => !isTimeZone(z),
);

// ------------------------------------------------------------------------------- times, dates

export const hhmmStart = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`);
export const hhmmEnd = fc
  .oneof(
    { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`) },
    { weight: 1, arbitrary: fc.constant('24:00') },
  )
  .filter((s) => s !== '00:00');
/** Ranges people actually write (so schedules are often open), or anything. */
export const hhmmStartNice = fc.oneof(fc.constantFrom('00:00', '08:00', '09:00', '09:30', '12:00', '13:00', '22:00', '23:59'), hhmmStart);
export const hhmmEndNice = fc.oneof(fc.constantFrom('12:00', '17:00', '17:30', '18:00', '24:00', '02:00', '00:01', '06:00'), hhmmEnd);

function daysIn(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}
const dateIn = (ymin: number, ymax: number) =>
  fc
    .tuple(fc.integer({ min: ymin, max: ymax }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(Math.min(d, daysIn(y, m)))}`);
/** `YYYY-MM-DD`, years 0001–9999, mostly near today. */
export const calendarDate = fc.oneof({ weight: 5, arbitrary: dateIn(2025, 2028) }, { weight: 1, arbitrary: dateIn(1, 9999) });
export const INVALID_TIMES_START = ['24:00', '9:00', '09:60', '0900', '09:00:00', '-1:00', '23:5a', '', '٠٩:٠٠'].filter((t) => !/^([01]\d|2[0-3]):[0-5]\d$/.test(t));
export const INVALID_TIMES_END = ['00:00', '24:01', '25:00', '12:60', '7:30', '24:00:00', 'noon'].filter((t) => t !== '24:00' && !(/^([01]\d|2[0-3]):[0-5]\d$/.test(t) && t !== '00:00'));
/** agent.md: a `YYYY-MM-DD` date of the calendar, years 0001–9999. */
export const isCalendarDate = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && +m[1] >= 1 && +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= daysIn(+m[1], +m[2]);
};
export const INVALID_DATES = ['2026-02-30', '2026-13-01', '0000-01-01', '2026-1-01', '20260101', '2026/01/01', '2025-02-29', '2026-00-10', '2026-12-32', '10000-01-01'].filter((d) => !isCalendarDate(d));

// ------------------------------------------------------------------------------- destinations

const digits = (n: number) => word(DIGITS, n, n);
const US_SHAPES = [
  (d: string) => d,
  (d: string) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
  (d: string) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`,
  (d: string) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
  (d: string) => ` ${d.slice(0, 3)} ${d.slice(3)} `,
];
const SIP_CHARS = ALPHA + DIGITS + ".-_;=+!~*'()%&$,/?:[]" + 'éü中';
/** Phone numbers in the shapes agent.md accepts, and SIP URIs (stored as given). */
export const destination: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 7, max: 14 }).chain(digits)).map(([a, b]) => `+${a}${b}`),
  fc.tuple(digits(10), fc.constantFrom(...US_SHAPES)).map(([d, f]) => f(d)),
  fc.tuple(digits(10), fc.constantFrom(...US_SHAPES)).map(([d, f]) => `1 ${f(d)}`),
  fc.tuple(digits(10)).map(([d]) => `+1 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`),
  fc
    .tuple(
      fc.constantFrom('sip:', 'sips:', 'SIP:', 'Sips:'),
      fc.option(word(SIP_CHARS, 1, 20).map((u) => `${u}@`), { nil: '' }),
      word(SIP_CHARS, 1, 40),
    )
    .map((p) => p.join(''))
    .filter((s) => s.length <= 256),
);
/** agent.md "Phone numbers": the stored form of a destination, or null when it is none. */
export function normalizeDestinationModel(s: string): string | null {
  if (/^sips?:/i.test(s)) return s.length <= 256 && /^sips?:(?:[^\s@\u0000-\u001f\u007f]+@)?[^\s@\u0000-\u001f\u007f]+$/i.test(s) ? s : null;
  const t = s.replace(/[ \-.()]/g, '');
  if (/^[0-9]{10}$/.test(t)) return `+1${t}`;
  if (/^1[0-9]{10}$/.test(t)) return `+${t}`;
  if (/^\+[1-9][0-9]{7,14}$/.test(t)) return t;
  return null;
}
export const INVALID_DESTINATIONS = ['call me', '555-0134', '+0123456789', '+1234567', 'sip:', 'sip:a b', 'tel:+14155550134', 'sip:@host', 'sips:a@b@c', '22345678901', `sip:${'a'.repeat(260)}`, '+1 (415) 555-01', '４１５５５５０１３４', '+1234567890123456', '1-800-FLOWERS'].filter(
  (d) => normalizeDestinationModel(d) === null,
);

// ---------------------------------------------------------------------------------------- URLs

const label = fc.tuple(word(LOWER + DIGITS, 1, 1), word(LOWER + DIGITS + '-', 0, 10), word(LOWER + DIGITS, 1, 1)).map((p) => p.join(''));
const host = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'example', 'io', 'dev')).map(([ls, tld]) => [...ls, tld].join('.')) },
  { weight: 1, arbitrary: fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'bücher.example', 'xn--bcher-kva.example', 'EXAMPLE.COM', 'a.b.c.d.e.f') },
);
const pathChars = ALPHA + DIGITS + "-._~!$&'()*+,;=:@%" + 'é中';
export function isHttpsUrl(s: string): boolean {
  if (s.length > 2048 || !/^https:\/\//i.test(s) || /[\s\u0000-\u001f\u007f]/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname !== '';
  } catch {
    return false;
  }
}
export const httpsUrl: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('https://', 'HTTPS://', 'Https://'),
    host,
    fc.option(fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`), { nil: '' }),
    fc.array(word(pathChars, 0, 12), { maxLength: 4 }).map((segs) => segs.map((x) => `/${x}`).join('')),
    fc.option(word(pathChars + '/?', 0, 30).map((q) => `?${q}`), { nil: '' }),
    fc.option(word(pathChars, 0, 10).map((f) => `#${f}`), { nil: '' }),
    fc.option(fc.constant('/' + 'p'.repeat(1900)), { nil: '', freq: 20 }),
  )
  .map((p) => p.join(''))
  .filter(isHttpsUrl);
export const INVALID_URLS = ['http://example.com', 'https://', 'https:// example.com', 'ftp://x.com', 'example.com', 'https://exa mple.com', 'https://x.com/\u0000', `https://x.com/${'a'.repeat(2050)}`, 'https://x.com/a\nb', 'javascript:alert(1)'].filter(
  (u) => !isHttpsUrl(u),
);

// ----------------------------------------------------------------------------------- instants

/** RFC 3339 instants with Z or an offset, years 0001–9998 (business-hours.md `at`), mostly near today. */
const instantParts = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: dateIn(2025, 2028) }, { weight: 1, arbitrary: dateIn(1, 9998) }),
    fc.constantFrom('T', 't'),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(word(DIGITS, 1, 9).map((f) => `.${f}`), { nil: '' }),
    fc.oneof(
      fc.constantFrom('Z', 'z', '+00:00', '-00:00'),
      fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
    ),
  )
  .map(([d, t, h, mi, s, f, z]) => `${d}${t}${pad(h)}:${pad(mi)}:${pad(s)}${f}${z}`);
export const instant: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: instantParts },
  // the edges: an offset that moves the instant out of 0001–9998, a leap second, many fraction digits
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '0001-01-01T00:00:00+01:00', '0001-01-01T00:00:00Z', '9998-12-31T23:59:59-23:59', '2026-12-31T23:59:60Z', '2026-03-29T02:30:00+02:00',
      '2026-11-01T01:30:00.999999999-04:00', '1970-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z',
    ),
  },
);
/** Not RFC 3339 instants with Z or an offset (no offset, no time, impossible dates and times, words). */
export const INVALID_INSTANTS = ['yesterday', '2026-13-01T00:00:00Z', '2026-12-24T22:00:00', '2026-12-24', '1e3', '2026-02-30T00:00:00Z', '2026-12-24T24:00:00Z', '2026-12-24T22:00:00+24:00', '2026-12-24T22:00:00.Z', 'now', '2026-12-24T22:00Z', '26-12-24T22:00:00Z', '2026-12-24T22:00:00+0500', ''];

// ------------------------------------------------------------------------------------ ids

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ulid = word(CROCKFORD, 26, 26);
export const agentVersionId = ulid.map((u) => `agv_${u}`);
export const INVALID_VERSION_IDS = ['agv_', 'agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB', 'agv_01jd4zq6w5n1kxg3m8p7r2t9vb', 'agv_01JD4ZQ6W5N1KXG3M8P7R2T9V', 'agv_01JD4ZQ6W5N1KXG3M8P7R2T9VI', 'AGV_01JD4ZQ6W5N1KXG3M8P7R2T9VB', ' agv_01JD4ZQ6W5N1KXG3M8P7R2T9VB'];

// -------------------------------------------------------------------------------- the registry

type FormatArb = (s: Schema, path: Path) => fc.Arbitrary<string>;
const withMax = (a: fc.Arbitrary<string>): FormatArb => (s) =>
  typeof s.maxLength === 'number' ? a.filter((v) => codePoints(v) <= (s.maxLength as number)) : a;

/** Valid values of every custom format (keys: the names in src/contracts/formats.ts FORMATS). */
export const FORMAT_ARBS: GenOptions['formats'] = {
  'flowyte-agent-name': () => agentName,
  'flowyte-destination': withMax(destination),
  'flowyte-language-tag': withMax(languageTag),
  'flowyte-timezone': withMax(timeZone),
  'flowyte-hhmm-start': () => hhmmStartNice,
  'flowyte-hhmm-end': () => hhmmEndNice,
  'flowyte-date': () => calendarDate,
  'flowyte-https-url': withMax(httpsUrl),
  'flowyte-instant': () => instant,
  'flowyte-agent-version-id': () => agentVersionId,
  'date-time': () => fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
};

/** Values that are clearly not of the format (mutations). */
export const INVALID_FORMAT_VALUES: Record<string, readonly string[]> = {
  'flowyte-agent-name': ['', '   ', '\u00a0\t', 'x'.repeat(121), '😀'.repeat(121), ` ${'y'.repeat(121)} `],
  'flowyte-destination': INVALID_DESTINATIONS,
  'flowyte-language-tag': INVALID_LANGUAGE_TAGS,
  'flowyte-timezone': INVALID_TIME_ZONES,
  'flowyte-hhmm-start': INVALID_TIMES_START,
  'flowyte-hhmm-end': INVALID_TIMES_END,
  'flowyte-date': INVALID_DATES,
  'flowyte-https-url': INVALID_URLS,
  'flowyte-instant': INVALID_INSTANTS,
  'flowyte-agent-version-id': INVALID_VERSION_IDS,
};
