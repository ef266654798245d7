/**
 * Mutations of valid bodies, for the fuzz suites: each turns one place of a valid body into
 * something its schema (or api.md / agent.md) forbids, and says which field the 400 must name.
 *
 * Kinds: a required member dropped, a value of the wrong type, a number out of range, a string
 * over its length (in code points) or empty, a value breaking its format or enum, an unknown
 * member, a reserved key (`__proto__`, `constructor`, `prototype`), an array or map over its
 * item limit (reported once, on the container: api.md), a deeply nested value, NUL or a lone
 * surrogate in a string or a key, a body that is not an object, and (creates only) a read-only
 * member. Values that JSON.stringify cannot express (a 3 000-level nesting) travel as RawJson.
 */
import fc from 'fast-check';
import { INVALID_FORMAT_VALUES } from './formats.js';
import { defineOwn, isUngenerable, RESERVED_KEYS, sitesOf, typesOf, type Schema, type Segment, type Site } from './schema-arbitrary.js';

/** JSON text spliced in as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawJson);

/** JSON text of a value that may hold RawJson and own keys such as `__proto__`. */
export function toJsonText(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toJsonText(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** A deep copy keeping own keys of any name. */
export function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) defineOwn(out, k, copy(v[k]));
    return out as T;
  }
  return v;
}

/** How the 400 must name the field: exactly it (and nothing else), or it or fields below it. */
export type Match = 'exact' | 'within';

export interface Edit {
  kind: string;
  /** the place edited (for choosing places that do not nest) */
  site: Segment[];
  /** the field the answer must name */
  field: Segment[];
  match: Match;
  apply(body: unknown): unknown;
}

export interface Mutated {
  edits: Edit[];
  body: unknown;
}

function parentAndKey(root: unknown, path: Segment[]): [any, Segment] {
  let cur: any = root;
  for (const s of path.slice(0, -1)) cur = cur[s as any];
  return [cur, path[path.length - 1]];
}

function setAt(root: unknown, path: Segment[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [parent, key] = parentAndKey(root, path);
  if (Array.isArray(parent)) parent[key as number] = value;
  else defineOwn(parent, String(key), value);
  return root;
}

function renameKey(root: unknown, path: Segment[], to: string): unknown {
  const [parent, key] = parentAndKey(root, path);
  const entries = Object.keys(parent).map((k) => [k, parent[k]] as const);
  for (const [k] of entries) delete parent[k];
  for (const [k, v] of entries) defineOwn(parent, k === key ? to : k, v);
  return root;
}

const at = (root: unknown, path: Segment[]): any => path.reduce((cur: any, s) => cur[s as any], root);

const deep = (depth: number, kind: 'array' | 'object') =>
  new RawJson(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

const SAMPLE_OF_TYPE: Record<string, unknown[]> = {
  string: ['text', ''],
  number: [4.5, -1, 0],
  integer: [42],
  boolean: [true, false],
  array: [[], ['x']],
  object: [{}, { a: 1 }],
  null: [null],
};

/** Values of a JSON type the node does not allow (42 is a number, so not "wrong" for a number). */
function wrongTypeValues(allowed: string[]): unknown[] {
  const ok = (v: unknown) => {
    if (v === null) return allowed.includes('null');
    if (Array.isArray(v)) return allowed.includes('array');
    if (typeof v === 'number') return allowed.includes('number') || (allowed.includes('integer') && Number.isInteger(v));
    return allowed.includes(typeof v);
  };
  return Object.values(SAMPLE_OF_TYPE).flat().filter((v) => !ok(v));
}

function outOfRange(s: Schema, integer: boolean): number[] {
  const out: number[] = [];
  if (typeof s.maximum === 'number') out.push(s.maximum + (integer ? 1 : Math.max(1e-9, Math.abs(s.maximum) * 1e-9)), 1e308);
  if (typeof s.minimum === 'number') out.push(s.minimum - (integer ? 1 : Math.max(1e-9, Math.abs(s.minimum) * 1e-9)), -1e308);
  if (integer && typeof s.minimum === 'number' && typeof s.maximum === 'number' && s.maximum > s.minimum) out.push(s.minimum + 0.5);
  return out;
}

/** The code-point limit a string is checked against (the agent name's is its format's, 120). */
function maxCodePoints(s: Schema): number | undefined {
  if (s.format === 'flowyte-agent-name') return 120;
  return typeof s.maxLength === 'number' ? s.maxLength : undefined;
}

function insertAt(s: string, what: string, i: number): string {
  const cps = [...s];
  const k = Math.min(i, cps.length);
  return [...cps.slice(0, k), what, ...cps.slice(k)].join('');
}

const UNKNOWN_NAMES = ['zzz', 'Name', 'extra_field', 'name ', 'NAME', '$ref', 'x-y', ' ', '', 'ключ', '__proto', 'proto__', 'toString', 'hasOwnProperty', '0'];

/** The mutations one place of a valid body admits, as edits (each an arbitrary). */
function editsFor(site: Site, root: Schema, options: MutationOptions): { kind: string; arb: fc.Arbitrary<Edit> }[] {
  const out: { kind: string; arb: fc.Arbitrary<Edit> }[] = [];
  const s = site.schema;
  const path = site.path;
  const edit = (kind: string, field: Segment[], match: Match, apply: (b: unknown) => unknown, touched: Segment[] = path): Edit => ({ kind, site: touched, field, match, apply });
  const valueEdit = (kind: string, values: fc.Arbitrary<unknown>, match: Match = 'exact') =>
    out.push({ kind, arb: values.map((v) => edit(kind, path, match, (b) => setAt(b, path, v))) });

  if (site.isKey) {
    // a map key: rename it
    const key = String(site.value);
    const renames: string[] = [];
    const limit = maxCodePoints(s);
    if (limit !== undefined) renames.push('k'.repeat(limit + 1));
    if (typeof s.minLength === 'number' && s.minLength > 0) renames.push('');
    if (typeof s.format === 'string') renames.push(...(INVALID_FORMAT_VALUES[s.format] ?? []).filter((v) => v !== ''));
    renames.push(insertAt(key, '\u0000', 1), insertAt(key, '\ud800', 1), insertAt(key, '\udc00', 0));
    const parentObj = path.slice(0, -1);
    out.push({
      kind: 'bad-key',
      // (an invalid name never collides with a key of the valid body)
      arb: fc.constantFrom(...renames).map((to) => edit('bad-key', [...parentObj, to], 'exact', (b) => renameKey(b, path, to))),
    });
    return out;
  }

  const allowed = site.allowed && site.allowed.length > 0 ? site.allowed : typesOf(s);
  const wrong = allowed.length > 0 ? wrongTypeValues(allowed) : [];
  if (wrong.length > 0) valueEdit('wrong-type', fc.constantFrom(...wrong));
  const type = typesOf(s)[0];
  if ((type === 'number' || type === 'integer') && (typeof s.minimum === 'number' || typeof s.maximum === 'number')) {
    valueEdit('out-of-range', fc.constantFrom(...outOfRange(s, type === 'integer')));
  }
  if (type === 'string' && typeof site.value === 'string') {
    const limit = maxCodePoints(s);
    if (limit !== undefined) {
      valueEdit('too-long', fc.tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom('x', '😀', 'é')).map(([n, c]) => c.repeat(limit + n)));
    }
    if ((typeof s.minLength === 'number' && s.minLength > 0) || s.format === 'flowyte-agent-name') valueEdit('too-short', fc.constantFrom(''));
    if (typeof s.format === 'string' && INVALID_FORMAT_VALUES[s.format]) valueEdit('bad-format', fc.constantFrom(...INVALID_FORMAT_VALUES[s.format]));
    const str = site.value;
    valueEdit('nul', fc.nat({ max: 50 }).map((i) => insertAt(str, '\u0000', i)));
    valueEdit('lone-surrogate', fc.tuple(fc.nat({ max: 50 }), fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff')).map(([i, c]) => insertAt(str, c, i)));
  }
  if (Array.isArray(s.enum) && typeof site.value === 'string') valueEdit('bad-enum', fc.constantFrom('bogus', String(site.value).toUpperCase() + '!', ' ' + String(site.value)));
  valueEdit(
    'deep-nesting',
    fc.tuple(fc.integer({ min: 20, max: 3000 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => deep(d, k)),
    'within',
  );
  if (type === 'object' && isObj(site.value)) {
    const props = (isObj(s.properties) ? s.properties : {}) as Record<string, Schema>;
    const value = site.value;
    // an object already at its maxProperties: one more member would break two rules at once (its
    // size and its name), both reported; only below the limit does the mutation break one
    const full = typeof s.maxProperties === 'number' && Object.keys(value).length >= s.maxProperties;
    if (s.additionalProperties === false && !full) {
      const names = UNKNOWN_NAMES.filter((n) => !Object.prototype.hasOwnProperty.call(props, n));
      out.push({
        kind: 'unknown-member',
        arb: fc.tuple(fc.constantFrom(...names), fc.constantFrom<unknown>(1, 'x', null, {}, [])).map(([k, v]) =>
          edit('unknown-member', [...path, k], 'exact', (b) => (defineOwn(at(b, path), k, v), b), [...path, k]),
        ),
      });
    }
    if (!full) out.push({
      kind: 'reserved-key',
      arb: fc.tuple(fc.constantFrom(...RESERVED_KEYS), fc.constantFrom<unknown>(1, 'x', null, {}, { a: 1 }, { polluted: true }, [])).map(([k, v]) =>
        edit('reserved-key', [...path, k], 'exact', (b) => (defineOwn(at(b, path), k, v), b), [...path, k]),
      ),
    });
    const required = (Array.isArray(s.required) ? (s.required as string[]) : []).filter((k) => Object.prototype.hasOwnProperty.call(value, k));
    if (required.length > 0) {
      out.push({
        kind: 'drop-required',
        arb: fc.constantFrom(...required).map((k) => edit('drop-required', [...path, k], 'exact', (b) => (delete at(b, path)[k], b), [...path, k])),
      });
    }
    if (isObj(s.additionalProperties) && typeof s.maxProperties === 'number') {
      const max = s.maxProperties;
      const sample = Object.values(value)[0] ?? 'v';
      out.push({
        kind: 'huge-map',
        arb: fc.integer({ min: 1, max: 500 }).map((n) =>
          edit('huge-map', path, 'within', (b) => {
            const m = at(b, path);
            for (let i = 0; Object.keys(m).length <= max + n - 1; i++) if (!Object.prototype.hasOwnProperty.call(m, `k${i}`)) defineOwn(m, `k${i}`, copy(sample));
            return b;
          }),
        ),
      });
    }
    if (path.length === 0 && options.readOnlyMembers) {
      const ro = Object.entries(props).filter(([, p]) => isUngenerable(p)).map(([k]) => k);
      if (ro.length > 0) {
        out.push({
          kind: 'read-only-member',
          arb: fc.tuple(fc.constantFrom(...ro), fc.constantFrom<unknown>('agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB', 1, 'draft', true, null, '2026-01-01T00:00:00.000Z')).map(([k, v]) =>
            edit('read-only-member', [k], 'exact', (b) => (defineOwn(b as Record<string, unknown>, k, v), b), [k]),
          ),
        });
      }
    }
  }
  if (type === 'array' && Array.isArray(site.value) && typeof s.maxItems === 'number') {
    const max = s.maxItems;
    const items = (s.items ?? {}) as Schema;
    const filler = site.value.length > 0 ? site.value[0] : simpleOf(items);
    if (filler !== undefined) {
      out.push({
        kind: 'huge-array',
        arb: fc.integer({ min: 1, max: 3000 }).map((n) => edit('huge-array', path, 'exact', (b) => setAt(b, path, Array.from({ length: max + n }, () => copy(filler))))),
      });
    }
  }
  if (path.length === 0) valueEdit('not-an-object', fc.constantFrom<unknown>([], [{}], 'text', 42, null, true, new RawJson('"\\u0000"')));
  return out;
}

/** A value valid for simple item schemas (for filling an empty array over its limit). */
function simpleOf(s: Schema): unknown {
  if (Array.isArray(s.enum)) return s.enum[0];
  const t = typesOf(s)[0];
  if (t === 'string' && !s.format) return 'x';
  if (t === 'integer' || t === 'number') return typeof s.minimum === 'number' ? s.minimum : 0;
  if (t === 'boolean') return true;
  return undefined;
}

export interface MutationOptions {
  /** the schema's untyped read-only members may be sent (a create body: they are errors) */
  readOnlyMembers?: boolean;
  /** kinds left out */
  skip?: readonly string[];
}

/** `prefix` is `a` or one of its ancestors. */
const startsWith = (a: Segment[], prefix: Segment[]) => prefix.length <= a.length && prefix.every((s, i) => a[i] === s);

/** Every edit one valid body admits, grouped by kind (a kind is chosen first, so rare kinds are tried as often as common ones). */
export function editsOf(schema: Schema, valid: unknown, options: MutationOptions = {}): Map<string, fc.Arbitrary<Edit>[]> {
  const byKind = new Map<string, fc.Arbitrary<Edit>[]>();
  for (const site of sitesOf(schema, valid)) {
    for (const e of editsFor(site, schema, options)) {
      if (options.skip?.includes(e.kind)) continue;
      if (!byKind.has(e.kind)) byKind.set(e.kind, []);
      byKind.get(e.kind)!.push(e.arb);
    }
  }
  return byKind;
}

/** One mutation of one valid body. */
export function oneMutation(schema: Schema, valid: unknown, options: MutationOptions = {}): fc.Arbitrary<Mutated> {
  const byKind = editsOf(schema, valid, options);
  const kinds = [...byKind.keys()];
  return fc
    .constantFrom(...kinds)
    .chain((k) => fc.oneof(...byKind.get(k)!))
    .map((e) => ({ edits: [e], body: e.apply(copy(valid)) }));
}

/** 2–4 mutations at places that do not nest (each must still be reported). */
export function severalMutations(schema: Schema, valid: unknown, options: MutationOptions = {}): fc.Arbitrary<Mutated> {
  const byKind = editsOf(schema, valid, { ...options, skip: [...(options.skip ?? []), 'not-an-object', 'deep-nesting', 'huge-map', 'read-only-member'] });
  const all = [...byKind.values()].flat();
  return fc.array(fc.oneof(...all), { minLength: 2, maxLength: 4 }).map((edits) => {
    const chosen: Edit[] = [];
    for (const e of edits) {
      const nests = chosen.some((c) => startsWith(c.site, e.site) || startsWith(e.site, c.site) || startsWith(c.field, e.field) || startsWith(e.field, c.field));
      if (!nests) chosen.push(e);
    }
    let body = copy(valid);
    for (const e of chosen) body = e.apply(body) as typeof body;
    return { edits: chosen, body };
  });
}
