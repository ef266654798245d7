import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseInstant } from '../../src/contracts/instant.js';
import { parseInstantReference } from './instant-reference.js';

const d2 = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
/** Strings shaped like RFC 3339 instants, with every part allowed out of range. */
const instantish = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
    d2, d2, fc.constantFrom('T', 't', ' ', 'x'), d2, d2, d2,
    fc.option(fc.stringMatching(/^\.[0-9]{1,10}$/), { nil: '' }),
    fc.oneof(fc.constantFrom('Z', 'z', ''), fc.tuple(fc.constantFrom('+', '-', ' ', '\u2212'), d2, d2).map(([s, h, m]) => `${s}${h}:${m}`)),
  )
  .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);

describe('parseInstant', () => {
  it('agrees with the Date-based reference on instant-shaped strings (in range or not) and on any string', () => {
    fc.assert(fc.property(fc.oneof(instantish, fc.string()), (raw) => {
      expect(parseInstant(raw)).toBe(parseInstantReference(raw));
    }), { numRuns: 20_000 });
  });

  it('reads the examples business-hours.md and api.md use', () => {
    expect(parseInstant('2026-03-29T01:30:00Z')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(parseInstant('2026-03-29T03:30:00+02:00')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(parseInstant('2026-03-29T03:30:00 02:00')).toBe(Date.UTC(2026, 2, 29, 1, 30)); // `+` read as a space
    expect(parseInstant('2026-12-31T23:59:60Z')).toBe(Date.UTC(2027, 0, 1)); // a leap second: the instant after it
    expect(parseInstant('2024-02-29T00:00:00.123456789Z')).toBe(Date.UTC(2024, 1, 29) + 123);
    expect(parseInstant('0001-01-01T00:00:00Z')).toBe(Date.UTC(2000, 0, 1) - 730_119 * 86_400_000);
    for (const bad of ['2025-02-29T00:00:00Z', '9999-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:00:60Z', '2026-01-01T10:00:00+24:00', '2026-01-01T10:00:00']) {
      expect(parseInstant(bad)).toBeNull();
    }
  });
});
