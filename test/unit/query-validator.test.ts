import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { compileQueryValidator } from '../../src/contracts/validator.js';
import { InstantParam, ListQuery } from '../../src/contracts/common.js';
import { StringEnum } from '../../src/contracts/agent.js';

const check = compileQueryValidator(
  Type.Object({
    ...ListQuery,
    isActive: Type.Optional(Type.Boolean()),
    status: Type.Optional(StringEnum(['draft', 'published'] as const)),
    at: Type.Optional(InstantParam('an instant')),
    channel: StringEnum(['voice', 'chat'] as const),
  }),
);
const fields = (q: Record<string, unknown>) => {
  const r = check(q);
  return 'errors' in r ? r.errors.map((e) => e.field) : [];
};

describe('query parameters: typed by their schema, converted strictly, every invalid one listed', () => {
  it('converts integers and booleans and keeps the rest; unknown parameters are dropped', () => {
    expect(check({ channel: 'voice', limit: '20', isActive: 'false', status: 'draft', at: '2026-12-24T22:00:00Z', utm: 'x' })).toEqual({
      value: { channel: 'voice', limit: 20, isActive: false, status: 'draft', at: '2026-12-24T22:00:00Z' },
    });
  });

  it('refuses lenient forms a coercing Ajv would take', () => {
    for (const limit of ['1e1', ' 5', '5 ', '0x10', '', '20.0', '+20']) expect(fields({ channel: 'voice', limit }), limit).toEqual(['limit']);
    for (const isActive of ['TRUE', '1', 'yes', '']) expect(fields({ channel: 'voice', isActive }), isActive).toEqual(['isActive']);
  });

  it('lists every invalid parameter at once, sorted: ranges, enums, formats, required, repeats, unstorable text', () => {
    const r = check({ limit: '0', status: 'live', at: 'tomorrow', cursor: ['a', 'b'], isActive: 'maybe' });
    expect('errors' in r && r.errors).toEqual([
      { field: 'at', message: expect.stringContaining('RFC 3339') },
      { field: 'channel', message: 'required' },
      { field: 'cursor', message: 'must be given once' },
      { field: 'isActive', message: expect.any(String) },
      { field: 'limit', message: expect.stringContaining('1') },
      { field: 'status', message: expect.stringContaining('draft') },
    ]);
    expect(fields({ channel: 'voice', cursor: 'a\u0000b' })).toEqual(['cursor']);
  });
});
