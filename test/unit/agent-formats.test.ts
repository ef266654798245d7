import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  FORMATS,
  canonicalLanguageTag,
  codePointLength,
  isValidAgentName,
  isValidDate,
  isValidEndTime,
  isValidHttpsUrl,
  isValidStartTime,
  isValidTimeZone,
  minutesOf,
  normalizeDestination,
} from '../../src/contracts/formats.js';
import { createAjv } from '../../src/contracts/validator.js';

describe('normalizeDestination', () => {
  it.each([
    ['(415) 555-0134', '+14155550134'],
    ['415.555.0134', '+14155550134'],
    ['415-555-0134', '+14155550134'],
    ['4155550134', '+14155550134'],
    ['14155550134', '+14155550134'],
    ['1 (415) 555-0134', '+14155550134'],
    ['1-415-555-0134', '+14155550134'],
    ['+1 415 555 0134', '+14155550134'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+49 (30) 1234-5678', '+493012345678'],
    ['+12345678', '+12345678'], // 8 digits: the minimum
    ['+123456789012345', '+123456789012345'], // 15 digits: the maximum
  ])('phone %s → %s', (input, out) => {
    expect(normalizeDestination(input)).toBe(out);
  });

  it.each([
    '',
    '123',
    '415555013', // 9 digits
    '24155550134', // 11 digits not starting with 1
    '141555501345', // 12 digits without +
    '+1234567', // 7 digits
    '+1234567890123456', // 16 digits
    '+0123456789', // first digit 0
    '++14155550134',
    '415 555 0134 ext 2',
    '415/555/0134',
    '４１５５５５０１３４', // full-width digits
    'tel:+14155550134',
    'call me',
  ])('rejects %j', (input) => {
    expect(normalizeDestination(input)).toBeNull();
  });

  it.each(['sip:alice@example.com', 'SIP:alice@example.com', 'sips:frontdesk@pbx.example.com:5061', 'Sips:pbx.example.com', 'sip:+14155550134@trunk.example'])(
    'keeps SIP URI %s as given',
    (uri) => {
      expect(normalizeDestination(uri)).toBe(uri);
    },
  );

  it.each(['sip:', 'sips:', 'sip:alice @example.com', 'sip:@example.com', 'sip:alice@', 'sip:a@b@c', 'sip:alice@exa\tmple.com', 'sip:x\n'])(
    'rejects SIP-ish %j',
    (uri) => {
      expect(normalizeDestination(uri)).toBeNull();
    },
  );

  it('SIP URIs: at most 256 characters', () => {
    const at256 = 'sip:' + 'a'.repeat(252);
    expect(at256.length).toBe(256);
    expect(normalizeDestination(at256)).toBe(at256);
    expect(normalizeDestination(at256 + 'a')).toBeNull();
  });

  it('is idempotent on what it returns', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('0', '1', '4', '5', '9', ' ', '-', '.', '(', ')', '+'), maxLength: 20 }), (s) => {
        const n = normalizeDestination(s);
        if (n !== null) expect(normalizeDestination(n)).toBe(n);
      }),
    );
  });
});

describe('canonicalLanguageTag', () => {
  it.each([
    ['en-us', 'en-US'],
    ['EN', 'en'],
    ['en-US', 'en-US'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
    ['TLH-latn', 'tlh-Latn'], // well-formed; registry membership is not checked
  ])('%s → %s', (input, out) => {
    expect(canonicalLanguageTag(input)).toBe(out);
  });

  it.each(['', 'en_US', 'not a tag', 'e', 'en--us', '123'])('rejects %j', (input) => {
    expect(canonicalLanguageTag(input)).toBeNull();
  });
});

describe('isValidTimeZone', () => {
  it.each(['America/New_York', 'Europe/Berlin', 'US/Eastern', 'Etc/GMT+5', 'UTC', 'Asia/Kolkata'])('accepts %s', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });
  it.each(['+05:00', '-0800', '+05', 'UTC+05:00', 'GMT-8', '', 'Mars/Olympus_Mons', 'america new york'])('rejects %j', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('HH:MM', () => {
  it('start is 00:00–23:59', () => {
    for (const ok of ['00:00', '09:30', '23:59']) expect(isValidStartTime(ok)).toBe(true);
    for (const bad of ['24:00', '9:00', '23:60', '12:5', '12-00', '', ' 09:00']) expect(isValidStartTime(bad)).toBe(false);
  });
  it('end is 00:01–24:00', () => {
    for (const ok of ['00:01', '17:00', '23:59', '24:00']) expect(isValidEndTime(ok)).toBe(true);
    for (const bad of ['00:00', '24:01', '25:00', '7:00', '']) expect(isValidEndTime(bad)).toBe(false);
  });
  it('minutesOf', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('09:30')).toBe(570);
    expect(minutesOf('24:00')).toBe(1440);
  });
});

describe('isValidDate', () => {
  it.each(['2026-12-24', '2024-02-29', '2000-02-29', '2026-01-31', '0001-01-01', '9999-12-31'])('accepts %s', (d) => {
    expect(isValidDate(d)).toBe(true);
  });
  it.each(['2023-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '2026-01-00', '0000-01-01', '2026-12-24T00:00', ''])(
    'rejects %j',
    (d) => {
      expect(isValidDate(d)).toBe(false);
    },
  );
});

describe('isValidHttpsUrl', () => {
  it('accepts https URLs up to 2048 characters', () => {
    expect(isValidHttpsUrl('https://example.com/hook')).toBe(true);
    expect(isValidHttpsUrl('HTTPS://EXAMPLE.COM')).toBe(true);
    const base = 'https://example.com/';
    const at2048 = base + 'a'.repeat(2048 - base.length);
    expect(isValidHttpsUrl(at2048)).toBe(true);
    expect(isValidHttpsUrl(at2048 + 'a')).toBe(false);
  });
  it.each(['http://example.com', 'https://', 'ftp://example.com', 'example.com', 'https://exa mple.com', ' https://example.com', 'https://example.com/\n'])(
    'rejects %j',
    (u) => {
      expect(isValidHttpsUrl(u)).toBe(false);
    },
  );
});

describe('agent name', () => {
  it('counts code points after trimming: 1–120', () => {
    expect(codePointLength('😀')).toBe(1);
    expect(isValidAgentName('😀'.repeat(120))).toBe(true);
    expect(isValidAgentName('😀'.repeat(121))).toBe(false);
    expect(isValidAgentName('  ' + 'a'.repeat(120) + '  ')).toBe(true);
    expect(isValidAgentName('   ')).toBe(false);
    expect(isValidAgentName('')).toBe(false);
  });
});

describe('registerFormats', () => {
  it('makes every format usable in Ajv', () => {
    const ajv = createAjv();
    const cases: [string, string, string][] = [
      [FORMATS.destination, '(415) 555-0134', 'nope'],
      [FORMATS.languageTag, 'en-us', 'en_US'],
      [FORMATS.timezone, 'Europe/Berlin', '+01:00'],
      [FORMATS.hhmmStart, '00:00', '24:00'],
      [FORMATS.hhmmEnd, '24:00', '00:00'],
      [FORMATS.date, '2024-02-29', '2023-02-29'],
      [FORMATS.httpsUrl, 'https://example.com', 'http://example.com'],
      [FORMATS.agentName, ' Front desk ', '  '],
    ];
    for (const [format, good, bad] of cases) {
      const validate = ajv.compile({ type: 'string', format });
      expect(validate(good), `${format} ${good}`).toBe(true);
      expect(validate(bad), `${format} ${bad}`).toBe(false);
    }
  });
});
