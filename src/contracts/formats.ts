/**
 * Pure checkers and normalisers for the string formats of the Agent contract (agent.md,
 * business-hours.md), plus their registration as Ajv formats. No I/O, no Fastify.
 */
import { parseInstant } from './instant.js';

/** Ajv format names registered by {@link registerFormats}. */
export const FORMATS = {
  agentName: 'flowyte-agent-name',
  destination: 'flowyte-destination',
  languageTag: 'flowyte-language-tag',
  timezone: 'flowyte-timezone',
  hhmmStart: 'flowyte-hhmm-start',
  hhmmEnd: 'flowyte-hhmm-end',
  date: 'flowyte-date',
  httpsUrl: 'flowyte-https-url',
  instant: 'flowyte-instant',
  agentVersionId: 'flowyte-agent-version-id',
} as const;

export type FormatName = (typeof FORMATS)[keyof typeof FORMATS];

/** The error message the validator shows when a value fails one of these formats. */
export const FORMAT_MESSAGES: Record<FormatName, string> = {
  'flowyte-agent-name': 'must be 1–120 characters after trimming',
  'flowyte-destination': 'must be an E.164 number or sip: URI',
  'flowyte-language-tag': 'must be a well-formed language tag (BCP 47)',
  'flowyte-timezone': 'must be an IANA time zone such as America/New_York',
  'flowyte-hhmm-start': 'must be a time HH:MM from 00:00 to 23:59',
  'flowyte-hhmm-end': 'must be a time HH:MM from 00:01 to 24:00',
  'flowyte-date': 'must be a calendar date YYYY-MM-DD',
  'flowyte-https-url': 'must be an https:// URL of at most 2048 characters',
  'flowyte-instant': 'must be an RFC 3339 instant with Z or an offset, years 0001–9998, e.g. 2026-12-24T22:00:00Z',
  'flowyte-agent-version-id': 'must be a version id: agv_ and 26 characters',
};

export const NAME_MAX_CODE_POINTS = 120;
export const SIP_MAX_LENGTH = 256;
export const URL_MAX_LENGTH = 2048;

/** Length in Unicode code points (what agent.md calls characters). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `name` rule: 1–120 code points after `trim()`. */
export function isValidAgentName(s: string): boolean {
  const n = codePointLength(s.trim());
  return n >= 1 && n <= NAME_MAX_CODE_POINTS;
}

// sip:/sips: (any case), then `user@host` or `host`; no whitespace or control characters.
const SIP_RE = /^sips?:(?:[^\s@\u0000-\u001f\u007f]+@)?[^\s@\u0000-\u001f\u007f]+$/i;
const PHONE_STRIP_RE = /[ \-.()]/g;

/**
 * agent.md "Phone numbers": a SIP URI is kept exactly as given; a phone number is returned in
 * E.164 form (`(415) 555-0134` → `+14155550134`). Anything else → null.
 */
export function normalizeDestination(s: string): string | null {
  if (typeof s !== 'string') return null;
  if (/^sips?:/i.test(s)) {
    return s.length <= SIP_MAX_LENGTH && SIP_RE.test(s) ? s : null;
  }
  const t = s.replace(PHONE_STRIP_RE, '');
  if (/^[0-9]{10}$/.test(t)) return `+1${t}`;
  if (/^1[0-9]{10}$/.test(t)) return `+${t}`;
  if (/^\+[1-9][0-9]{7,14}$/.test(t)) return t;
  return null;
}

/** A language tag as `Intl.getCanonicalLocales` returns it (`en-us` → `en-US`), else null. */
export function canonicalLanguageTag(s: string): string | null {
  if (typeof s !== 'string' || s === '') return null;
  try {
    const out = Intl.getCanonicalLocales(s);
    return out.length === 1 ? out[0]! : null;
  } catch {
    return null;
  }
}

const OFFSET_RE = /^(?:utc|gmt)?\s*[+\-\u2212]\s*\d/i;

/** Answers already found: building an Intl.DateTimeFormat is tens of microseconds, and a body names a zone several times. */
const zoneAnswers = new Map<string, boolean>();

/** An IANA zone `Intl.DateTimeFormat` accepts, not a numeric offset (`+05:00`, `-0800`). */
export function isValidTimeZone(s: string): boolean {
  if (typeof s !== 'string' || s === '' || s.length > 64) return false;
  if (OFFSET_RE.test(s)) return false;
  const known = zoneAnswers.get(s);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: s });
    ok = true;
  } catch {
    ok = false;
  }
  if (zoneAnswers.size >= 2048) zoneAnswers.clear();
  zoneAnswers.set(s, ok);
  return ok;
}

const HHMM_RE = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

/** A range start: `00:00`–`23:59`. */
export function isValidStartTime(s: string): boolean {
  return typeof s === 'string' && HHMM_RE.test(s);
}

/** A range end: `00:01`–`24:00`. */
export function isValidEndTime(s: string): boolean {
  if (typeof s !== 'string') return false;
  if (s === '24:00') return true;
  return HHMM_RE.test(s) && s !== '00:00';
}

/** Minutes since midnight of an `HH:MM` (24:00 → 1440). Assumes a valid time. */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** `YYYY-MM-DD` that exists in the (proleptic Gregorian) calendar, years 0001–9999. */
export function isValidDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** An `https://` URL of at most 2048 characters that `new URL` parses, with a host. */
export function isValidHttpsUrl(s: string): boolean {
  if (typeof s !== 'string' || s.length > URL_MAX_LENGTH) return false;
  if (!/^https:\/\//i.test(s)) return false;
  // new URL silently strips tabs/newlines and surrounding spaces; such input is not "a URL".
  if (/[\s\u0000-\u001f\u007f]/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname !== '';
  } catch {
    return false;
  }
}

const CHECKERS: Record<FormatName, (s: string) => boolean> = {
  'flowyte-agent-name': isValidAgentName,
  'flowyte-destination': (s) => normalizeDestination(s) !== null,
  'flowyte-language-tag': (s) => canonicalLanguageTag(s) !== null,
  'flowyte-timezone': isValidTimeZone,
  'flowyte-hhmm-start': isValidStartTime,
  'flowyte-hhmm-end': isValidEndTime,
  'flowyte-date': isValidDate,
  'flowyte-https-url': isValidHttpsUrl,
  'flowyte-instant': (s) => parseInstant(s) !== null,
  'flowyte-agent-version-id': (s) => /^agv_[0-9A-HJKMNP-TV-Z]{26}$/.test(s),
};

/** The subset of Ajv's API used here, so this file does not import Ajv. */
export interface FormatRegistry {
  addFormat(name: string, format: { type: 'string'; validate: (s: string) => boolean }): unknown;
}

/**
 * Adds every Flowyte format to an Ajv instance and returns it, so it can also serve as a
 * Fastify `ajv.plugins` entry: `ajv: { plugins: [registerFormats] }`.
 */
export function registerFormats<A extends FormatRegistry>(ajv: A): A {
  for (const [name, validate] of Object.entries(CHECKERS)) {
    ajv.addFormat(name, { type: 'string', validate });
  }
  return ajv;
}
