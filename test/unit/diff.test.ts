import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffJson, fieldSortKey, type DiffEntry } from '../../src/engines/diff/index.js';

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Independent, naive reference equality (key-order independent, JSON semantics). */
function refEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => refEqual(x, b[i]));
  }
  if (isObj(a) || isObj(b)) {
    if (!isObj(a) || !isObj(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined).sort();
    const kb = Object.keys(b).filter((k) => b[k] !== undefined).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && refEqual(a[k], b[k]));
  }
  return a === b;
}

/** Parses a renderPath field back into segments (test-only). */
function parsePath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  let rest = field;
  while (rest !== '') {
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\[(\d+)\]/))) out.push(Number(m[1]));
    else if ((m = rest.match(/^\[("(?:[^"\\]|\\.)*")\]/))) out.push(JSON.parse(m[1]) as string);
    else if ((m = rest.match(out.length === 0 ? /^([A-Za-z0-9_-]+)/ : /^\.([A-Za-z0-9_-]+)/))) out.push(m[1]);
    else throw new Error(`unparsable path ${JSON.stringify(field)} at ${JSON.stringify(rest)}`);
    rest = rest.slice(m[0].length);
  }
  return out;
}

const MISSING = Symbol('missing');
function resolve(v: unknown, segs: (string | number)[]): unknown {
  let cur: unknown = v;
  for (const s of segs) {
    if (typeof s === 'number' ? Array.isArray(cur) && s < cur.length : isObj(cur) && hasOwn(cur, s)) {
      cur = (cur as Record<string | number, unknown>)[s];
    } else return MISSING;
  }
  return cur;
}

function shapeOk(e: DiffEntry): boolean {
  if (e.kind === 'changed') return hasOwn(e, 'before') && hasOwn(e, 'after');
  if (e.kind === 'added') return !hasOwn(e, 'before') && hasOwn(e, 'after');
  return hasOwn(e, 'before') && !hasOwn(e, 'after');
}

describe('diffJson — hand-worked cases', () => {
  it('identical inputs give []', () => {
    const v = { a: 1, b: { c: [1, 2], d: [{ e: null }] }, f: {}, g: [] };
    expect(diffJson(v, structuredClone(v))).toEqual([]);
    expect(diffJson({}, {})).toEqual([]);
  });

  it('changed scalars at top level and nested', () => {
    expect(diffJson({ a: 1, b: 'x', c: true }, { a: 2, b: 'x', c: false })).toEqual([
      { field: 'a', kind: 'changed', before: 1, after: 2 },
      { field: 'c', kind: 'changed', before: true, after: false },
    ]);
    expect(diffJson({ persona: { name: 'Ann', tone: 'warm' } }, { persona: { name: 'Bea', tone: 'warm' } })).toEqual([
      { field: 'persona.name', kind: 'changed', before: 'Ann', after: 'Bea' },
    ]);
  });

  it('added and removed scalar members', () => {
    expect(diffJson({ a: 1 }, { b: 2 })).toEqual([
      { field: 'a', kind: 'removed', before: 1 },
      { field: 'b', kind: 'added', after: 2 },
    ]);
    expect(diffJson({ x: {} }, { x: { y: null } })).toEqual([{ field: 'x.y', kind: 'added', after: null }]);
  });

  it('added/removed object members expand into one entry per leaf', () => {
    expect(diffJson({}, { afterHours: { mode: 'forward', number: '+15550100', extra: { z: 1 } } })).toEqual([
      { field: 'afterHours.extra.z', kind: 'added', after: 1 },
      { field: 'afterHours.mode', kind: 'added', after: 'forward' },
      { field: 'afterHours.number', kind: 'added', after: '+15550100' },
    ]);
    expect(diffJson({ a: { b: { c: 'x' }, d: [1] } }, {})).toEqual([
      { field: 'a.b.c', kind: 'removed', before: 'x' },
      { field: 'a.d', kind: 'removed', before: [1] },
    ]);
  });

  it('added/removed arrays of objects expand by index', () => {
    expect(diffJson({}, { rules: [{ label: 'A', when: 'w' }, { label: 'B' }] })).toEqual([
      { field: 'rules[0].label', kind: 'added', after: 'A' },
      { field: 'rules[0].when', kind: 'added', after: 'w' },
      { field: 'rules[1].label', kind: 'added', after: 'B' },
    ]);
    // A mixed array expands too: scalar items are leaves at their index.
    expect(diffJson({ m: [{ a: 1 }, 'x', {}] }, {})).toEqual([
      { field: 'm[0].a', kind: 'removed', before: 1 },
      { field: 'm[1]', kind: 'removed', before: 'x' },
      { field: 'm[2]', kind: 'removed', before: {} },
    ]);
  });

  it('empty object, empty array and array of scalars are single leaves when added/removed', () => {
    expect(diffJson({}, { o: {}, e: [], s: ['a', 'b'] })).toEqual([
      { field: 'e', kind: 'added', after: [] },
      { field: 'o', kind: 'added', after: {} },
      { field: 's', kind: 'added', after: ['a', 'b'] },
    ]);
    expect(diffJson({ o: {}, e: [] }, {})).toEqual([
      { field: 'e', kind: 'removed', before: [] },
      { field: 'o', kind: 'removed', before: {} },
    ]);
  });

  it('arrays of scalars compare as whole values', () => {
    expect(diffJson({ neverDo: ['a', 'b'] }, { neverDo: ['a', 'b', 'c'] })).toEqual([
      { field: 'neverDo', kind: 'changed', before: ['a', 'b'], after: ['a', 'b', 'c'] },
    ]);
    expect(diffJson({ l: ['en', 'fr'] }, { l: ['fr', 'en'] })).toEqual([
      { field: 'l', kind: 'changed', before: ['en', 'fr'], after: ['fr', 'en'] },
    ]);
    expect(diffJson({ l: [] }, { l: [1] })).toEqual([{ field: 'l', kind: 'changed', before: [], after: [1] }]);
    expect(diffJson({ l: [1, [2]] }, { l: [1, [2]] })).toEqual([]);
  });

  it('arrays of objects compare by index, with items added/removed at the end', () => {
    const before = { businessHours: { weekly: { mon: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }] } } };
    const after = { businessHours: { weekly: { mon: [{ start: '09:00', end: '12:30' }] } } };
    expect(diffJson(before, after)).toEqual([
      { field: 'businessHours.weekly.mon[0].end', kind: 'changed', before: '12:00', after: '12:30' },
      { field: 'businessHours.weekly.mon[1].end', kind: 'removed', before: '17:00' },
      { field: 'businessHours.weekly.mon[1].start', kind: 'removed', before: '13:00' },
    ]);
    expect(diffJson(after, before)).toEqual([
      { field: 'businessHours.weekly.mon[0].end', kind: 'changed', before: '12:30', after: '12:00' },
      { field: 'businessHours.weekly.mon[1].end', kind: 'added', after: '17:00' },
      { field: 'businessHours.weekly.mon[1].start', kind: 'added', after: '13:00' },
    ]);
  });

  it('an array gaining its first object switches to by-index comparison', () => {
    expect(diffJson({ r: [] }, { r: [{ a: 1 }] })).toEqual([{ field: 'r[0].a', kind: 'added', after: 1 }]);
    expect(diffJson({ r: ['x'] }, { r: [{ a: 1 }] })).toEqual([
      { field: 'r[0]', kind: 'changed', before: 'x', after: { a: 1 } },
    ]);
  });

  it('type changes are one changed entry with whole values', () => {
    expect(diffJson({ d: null }, { d: '+1555' })).toEqual([{ field: 'd', kind: 'changed', before: null, after: '+1555' }]);
    expect(diffJson({ d: '+1555' }, { d: null })).toEqual([{ field: 'd', kind: 'changed', before: '+1555', after: null }]);
    expect(diffJson({ v: { a: 1 } }, { v: [{ a: 1 }] })).toEqual([
      { field: 'v', kind: 'changed', before: { a: 1 }, after: [{ a: 1 }] },
    ]);
    expect(diffJson({ v: [{ a: 1 }] }, { v: { a: 1 } })).toEqual([
      { field: 'v', kind: 'changed', before: [{ a: 1 }], after: { a: 1 } },
    ]);
    expect(diffJson({ v: 1 }, { v: { a: { b: 2 } } })).toEqual([
      { field: 'v', kind: 'changed', before: 1, after: { a: { b: 2 } } },
    ]);
    expect(diffJson({ v: 1 }, { v: '1' })).toEqual([{ field: 'v', kind: 'changed', before: 1, after: '1' }]);
  });

  it('root of different types has the empty path', () => {
    expect(diffJson({ a: 1 }, [1])).toEqual([{ field: '', kind: 'changed', before: { a: 1 }, after: [1] }]);
    expect(diffJson(1, 2)).toEqual([{ field: '', kind: 'changed', before: 1, after: 2 }]);
  });

  it('map keys that are not [A-Za-z0-9_-]+ are JSON-quoted', () => {
    expect(
      diffJson({ lexicon: { pronunciations: { 'Dr.': 'doctor', ok_key: 'x' } } }, { lexicon: { pronunciations: { 'Dr.': 'dok-tor', 'a "b"': 'c', ok_key: 'x' } } }),
    ).toEqual([
      { field: 'lexicon.pronunciations["Dr."]', kind: 'changed', before: 'doctor', after: 'dok-tor' },
      { field: 'lexicon.pronunciations["a \\"b\\""]', kind: 'added', after: 'c' },
    ]);
    expect(diffJson({}, { 'a.b': 1, '': 2 })).toEqual([
      { field: '[""]', kind: 'added', after: 2 },
      { field: '["a.b"]', kind: 'added', after: 1 },
    ]);
  });

  it('is independent of object key order', () => {
    expect(diffJson({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual([]);
    // Key order also does not matter inside arrays compared as whole values.
    expect(diffJson({ l: [[{ x: 1, y: 2 }]] }, { l: [[{ y: 2, x: 1 }]] })).toEqual([]);
  });

  it('treats undefined members as absent', () => {
    expect(diffJson({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(diffJson({ a: undefined }, { a: 2 })).toEqual([{ field: 'a', kind: 'added', after: 2 }]);
    expect(diffJson({ o: { u: undefined } }, {})).toEqual([{ field: 'o', kind: 'removed', before: {} }]);
  });

  it('sorts by field with plain string comparison', () => {
    const fields = diffJson({}, { b: 1, a: { z: 1, A: 2 }, 'x y': 3, a0: 4 }).map((e) => e.field);
    expect(fields).toEqual(['["x y"]', 'a.A', 'a.z', 'a0', 'b']);
  });

  it('omits before on added and after on removed entries (absent keys, not undefined)', () => {
    const [removed, added] = diffJson({ a: 1 }, { b: 2 });
    expect(Object.keys(removed)).toEqual(['field', 'kind', 'before']);
    expect(Object.keys(added)).toEqual(['field', 'kind', 'after']);
    expect(JSON.stringify([removed, added])).toBe('[{"field":"a","kind":"removed","before":1},{"field":"b","kind":"added","after":2}]');
  });

  it('returns deep copies of the values', () => {
    const before = { l: [1, 2], o: { k: [{ a: 1 }] }, t: { x: 1 } };
    const after = { l: [3], o: 1, t: ['y'] };
    const snapshot = structuredClone({ before, after });
    const changes = diffJson(before, after);
    for (const c of changes) {
      for (const v of [c.before, c.after]) {
        if (Array.isArray(v)) v.push('mutated');
        else if (isObj(v)) v.mutated = true;
      }
    }
    expect({ before, after }).toEqual(snapshot);
    const src = { x: { y: [1] } };
    const [e] = diffJson({}, src);
    (e.after as number[]).push(2);
    expect(src.x.y).toEqual([1]);
  });

  it('handles __proto__ and other prototype-ish keys as plain data', () => {
    const before = JSON.parse('{"__proto__":{"polluted":1},"constructor":"c"}') as Record<string, unknown>;
    const after = JSON.parse('{"__proto__":{"polluted":2,"x":[]},"prototype":{}}') as Record<string, unknown>;
    const changes = diffJson(before, after);
    expect(changes).toEqual([
      { field: '__proto__.polluted', kind: 'changed', before: 1, after: 2 },
      { field: '__proto__.x', kind: 'added', after: [] },
      { field: 'constructor', kind: 'removed', before: 'c' },
      { field: 'prototype', kind: 'added', after: {} },
    ]);
    const [whole] = diffJson({}, JSON.parse('{"a":{"__proto__":{}}}'));
    expect(whole.field).toBe('a.__proto__');
    const [copied] = diffJson({ v: 1 }, JSON.parse('{"v":{"__proto__":{"p":1}}}'));
    const after2 = copied.after as Record<string, unknown>;
    expect(Object.getPrototypeOf(after2)).toBe(Object.prototype);
    expect(hasOwn(after2, '__proto__')).toBe(true);
    expect(JSON.stringify(after2)).toBe('{"__proto__":{"p":1}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is linear: wide and long inputs finish quickly', () => {
    const n = 50_000;
    const a: Record<string, unknown> = {};
    const b: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      a[`k${i}`] = i;
      b[`k${n - 1 - i}`] = n - 1 - i === 7 ? -1 : n - 1 - i;
    }
    const items = Array.from({ length: n }, (_, i) => ({ i }));
    const t0 = performance.now();
    expect(diffJson(a, b)).toEqual([{ field: 'k7', kind: 'changed', before: 7, after: -1 }]);
    expect(diffJson({ items }, { items: items.slice(0, n - 1) })).toEqual([
      { field: `items[${n - 1}].i`, kind: 'removed', before: n - 1 },
    ]);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe('diffJson — properties', () => {
  const jsonObject = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
  /** Same content as the input, keys inserted in reverse order (recursively). */
  const reorder = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reorder);
    if (!isObj(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) Object.defineProperty(out, k, { value: reorder(v[k]), enumerable: true, writable: true, configurable: true });
    return out;
  };
  /** Pairs that are sometimes equal (reordered copy), sometimes slightly or wholly different. */
  const pair = jsonObject.chain((a) =>
    fc.oneof(
      fc.constant([a, reorder(a)] as const),
      jsonObject.map((b) => [a, b] as const),
      fc.tuple(fc.string(), fc.jsonValue()).map(([k, v]) => {
        const b = reorder(a) as Record<string, unknown>;
        Object.defineProperty(b, k, { value: v, enumerable: true, writable: true, configurable: true });
        return [a, b] as const;
      }),
    ),
  );

  it('(a) diffJson(x, x) is [] for arbitrary JSON objects', () => {
    fc.assert(
      fc.property(jsonObject, (x) => {
        expect(diffJson(x, x)).toEqual([]);
        expect(diffJson(x, reorder(x))).toEqual([]);
      }),
    );
  });

  it('(b) output is sorted by field path (indexes numerically) and fields are unique', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const fields = diffJson(a, b).map((e) => e.field);
        expect(new Set(fields).size).toBe(fields.length);
        for (let i = 1; i < fields.length; i++) expect(fieldSortKey(fields[i - 1]!) <= fieldSortKey(fields[i]!)).toBe(true);
      }),
    );
  });

  it('array indexes sort numerically: [2] before [10]', () => {
    const before = { h: Array.from({ length: 12 }, (_, i) => ({ n: i })) };
    const after = { h: before.h.map((x) => ({ n: x.n + 100 })) };
    expect(diffJson(before, after).map((e) => e.field)).toEqual(before.h.map((_, i) => `h[${i}].n`));
  });

  it('(c) empty iff deep-equal; entry shapes match their kind', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const changes = diffJson(a, b);
        expect(changes.length === 0).toBe(refEqual(a, b));
        for (const e of changes) expect(shapeOk(e)).toBe(true);
      }),
    );
  });

  it('(d) every field resolves in the inputs to exactly the before/after it reports', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        for (const e of diffJson(a, b)) {
          const segs = parsePath(e.field);
          const va = resolve(a, segs);
          const vb = resolve(b, segs);
          if (e.kind === 'added') expect(va).toBe(MISSING);
          else expect(refEqual(va, e.before)).toBe(true);
          if (e.kind === 'removed') expect(vb).toBe(MISSING);
          else expect(refEqual(vb, e.after)).toBe(true);
          if (e.kind === 'changed') expect(refEqual(e.before, e.after)).toBe(false);
        }
      }),
    );
  });

  it('(e) swapping the inputs swaps added/removed and before/after', () => {
    const flip = (e: DiffEntry): DiffEntry => {
      if (e.kind === 'added') return { field: e.field, kind: 'removed', before: e.after };
      if (e.kind === 'removed') return { field: e.field, kind: 'added', after: e.before };
      return { field: e.field, kind: 'changed', before: e.after, after: e.before };
    };
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(diffJson(b, a)).toEqual(diffJson(a, b).map(flip));
      }),
    );
  });

  it('(f) never mutates its inputs', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const sa = JSON.stringify(a);
        const sb = JSON.stringify(b);
        diffJson(a, b);
        expect(JSON.stringify(a)).toBe(sa);
        expect(JSON.stringify(b)).toBe(sb);
      }),
    );
  });
});
