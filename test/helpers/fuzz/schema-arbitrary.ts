/**
 * A small JSON-Schema (TypeBox) → fast-check generator, for the fuzz suites (test/security/fuzz-*).
 *
 * It walks the subset of JSON Schema the request contracts use (src/contracts/*.ts): `type` (also
 * as a list, e.g. `['string', 'null']`), `properties` / `required` / `additionalProperties`
 * (false, or a schema: a map) / `propertyNames` / `patternProperties` / min/maxProperties,
 * `enum`, `const`, `anyOf` / `oneOf`, arrays with `items`, min/maxItems and `uniqueItems`,
 * strings with min/maxLength (counted in code points, as Ajv and agent.md count) and `format`
 * (each format needs an arbitrary in `formats`: an unknown format throws, so a new one is never
 * silently generated as free text), and numbers / integers with minimum / maximum. A member
 * marked `readOnly` without a `type` (the read-only members of the agent bodies) is never
 * generated. TypeBox's symbol keys are ignored (Object.keys only).
 *
 * Every value generated is valid against the schema *by construction*: the suites send it and
 * require a 2xx, or a 400 naming only a documented cross-field rule.
 */
import fc from 'fast-check';

export type Schema = Record<string, unknown>;
export type Segment = string | number;
export type Path = readonly Segment[];

export interface GenOptions {
  /** an arbitrary of valid strings for every `format` the schema uses */
  formats: Record<string, (s: Schema, path: Path) => fc.Arbitrary<string>>;
  /** a value for one path instead of what the schema would give (return undefined to let the schema decide) */
  override?: (path: Path, schema: Schema) => fc.Arbitrary<unknown> | undefined;
  /** the usual largest array / map size generated (the schema's bound is also hit, rarely) */
  softMaxItems?: number;
  /** relative weight of a container generated at exactly its upper bound (0 = never) */
  boundaryWeight?: number;
  /** relative weight of `null` where a schema allows it, against 4 for a value */
  nullWeight?: number;
  /** the character unit of free text (one code point per unit) */
  unit?: fc.Arbitrary<string>;
  /** an optional member is absent one time in `absentOneIn` (default 2: half the time) */
  absentOneIn?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys that are a validation_error wherever they appear (agent.md "Writes"): never generated as valid. */
export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const isReserved = (k: string) => (RESERVED_KEYS as readonly string[]).includes(k);

/** Names of Object.prototype members and other magic names: fine as map keys, and must stay plain data. */
export const PROTOTYPE_NAMES = ['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', '__lookupSetter__', 'then', 'length', 'toJSON', 'constructor ', 'Prototype'];

/** No NUL and no lone surrogate: what any of our strings may hold (PostgreSQL's text). */
export function storable(s: string): boolean {
  return !s.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/**
 * One code point per unit: mostly printable ASCII, some characters that tend to break things
 * (quotes, backslash, `%`, `_`, zero-width and bidi marks, BOM, line separators, noncharacters,
 * astral characters), and any code point except NUL (lone surrogates are never produced).
 */
export const defaultUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ' ', '\t', '\n', '\r', '"', '\\', "'", '%', '_', '/', '<', '&', 'é', 'ß', 'İ', 'ı', 'Σ', 'ς', '中', '😀', '\u{1F1FA}',
      '\u200b', '\u202e', '\uFEFF', '\u00a0', '\u2028', '\u2029', '\uFFFE', '\uFFFF', '\u{10FFFF}', '\u0001', '\u007f', '\u0301',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\u0000') },
);

/** The type list of a schema node (`type: 'x'` or `type: ['x', 'null']`), empty when it has none. */
export function typesOf(s: Schema): string[] {
  const t = s.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}

/** The node restricted to one of its types (enum keeps the values of that type). */
export function narrow(s: Schema, type: string): Schema {
  const out: Schema = { ...s, type };
  if (Array.isArray(s.enum)) out.enum = (s.enum as unknown[]).filter((v) => (type === 'null' ? v === null : v !== null));
  return out;
}

/** A member the generator must never produce (read-only members of the write bodies). */
export const isUngenerable = (s: Schema) => s.readOnly === true && typesOf(s).length === 0;

export function arbitraryFor(schema: Schema, opts: GenOptions, path: Path = []): fc.Arbitrary<unknown> {
  const o = opts.override?.(path, schema);
  if (o) return o;
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alts = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(alts)) return fc.oneof(...alts.map((a) => arbitraryFor(a, opts, path)));
  const types = typesOf(schema);
  if (types.length === 0) throw new Error(`no type at ${JSON.stringify(path)}: ${JSON.stringify(schema).slice(0, 200)}`);
  if (types.length > 1) {
    const nullW = opts.nullWeight ?? 1;
    return fc.oneof(
      ...types.map((t) => ({ weight: t === 'null' ? nullW : 4, arbitrary: arbitraryFor(narrow(schema, t), opts, path) })),
    );
  }
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArb(schema);
    case 'number':
      return numberArb(schema);
    case 'string':
      return stringArb(schema, opts, path);
    case 'array':
      return arrayArb(schema, opts, path);
    case 'object':
      return objectArb(schema, opts, path);
    default:
      throw new Error(`type ${String(types[0])} at ${JSON.stringify(path)}`);
  }
}

function integerArb(s: Schema): fc.Arbitrary<number> {
  const min = typeof s.minimum === 'number' ? s.minimum : -(2 ** 31);
  const max = typeof s.maximum === 'number' ? s.maximum : 2 ** 31;
  return fc.oneof({ weight: 6, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
}

function numberArb(s: Schema): fc.Arbitrary<number> {
  const min = typeof s.minimum === 'number' ? s.minimum : -1e12;
  const max = typeof s.maximum === 'number' ? s.maximum : 1e12;
  return fc.oneof(
    { weight: 5, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
    { weight: 2, arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max, (min + max) / 2) },
  );
}

function stringArb(s: Schema, opts: GenOptions, path: Path): fc.Arbitrary<string> {
  if (typeof s.format === 'string') {
    const f = opts.formats[s.format];
    if (!f) throw new Error(`no generator for format ${s.format} (at ${JSON.stringify(path)})`);
    return f(s, path);
  }
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : 200;
  const unit = opts.unit ?? defaultUnit;
  const bw = opts.boundaryWeight ?? 1;
  const arbs: fc.WeightedArbitrary<string>[] = [{ weight: 12, arbitrary: fc.string({ unit, minLength, maxLength }) }];
  if (bw > 0) {
    // exactly at the bounds (code points, some of them astral: two UTF-16 units each)
    arbs.push({ weight: bw, arbitrary: fc.string({ unit, minLength: maxLength, maxLength }) });
    arbs.push({ weight: bw, arbitrary: fc.constantFrom('😀'.repeat(maxLength), 'x'.repeat(maxLength), 'é'.repeat(minLength)) });
  }
  return fc.oneof(...arbs);
}

function sizeRange(min: number, max: number | undefined, opts: GenOptions): { weight: number; min: number; max: number }[] {
  const soft = opts.softMaxItems ?? 3;
  const hi = max === undefined ? min + soft : Math.min(max, min + soft);
  const out = [{ weight: 12, min, max: hi }];
  const bw = opts.boundaryWeight ?? 1;
  if (bw > 0 && max !== undefined && max > hi && max <= 400) out.push({ weight: bw, min: max, max });
  return out;
}

function arrayArb(s: Schema, opts: GenOptions, path: Path): fc.Arbitrary<unknown[]> {
  const items = (s.items ?? {}) as Schema;
  const itemArb = arbitraryFor(items, opts, [...path, 0]);
  const min = typeof s.minItems === 'number' ? s.minItems : 0;
  let max = typeof s.maxItems === 'number' ? s.maxItems : undefined;
  if (s.uniqueItems === true) {
    // a unique array of enum values holds at most that many items
    if (Array.isArray(items.enum)) max = Math.min(max ?? Infinity, items.enum.length);
    return fc.oneof(
      ...sizeRange(min, max, opts).map((r) => ({
        weight: r.weight,
        arbitrary: fc.uniqueArray(itemArb, { minLength: r.min, maxLength: r.max, selector: (v) => JSON.stringify(v) }),
      })),
    );
  }
  return fc.oneof(...sizeRange(min, max, opts).map((r) => ({ weight: r.weight, arbitrary: fc.array(itemArb, { minLength: r.min, maxLength: r.max }) })));
}

function objectArb(s: Schema, opts: GenOptions, path: Path): fc.Arbitrary<Record<string, unknown>> {
  const props = (isObj(s.properties) ? s.properties : {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, sub] of Object.entries(props)) {
    if (isUngenerable(sub)) continue;
    model[k] = arbitraryFor(sub, opts, [...path, k]);
  }
  // an optional member is present half the time (fc.record's own choice keeps most of them, so
  // omitted members and their defaults would rarely be tried)
  const ABSENT = Symbol('absent');
  const withAbsent: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, a] of Object.entries(model)) withAbsent[k] = required.has(k) ? a : fc.option(a, { nil: ABSENT, freq: opts.absentOneIn ?? 2 });
  const fixed = fc.record(withAbsent).map((r) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(r)) if (r[k] !== ABSENT) defineOwn(out, k, r[k]);
    return out;
  });
  const extras: fc.Arbitrary<Record<string, unknown>>[] = [];
  if (isObj(s.additionalProperties)) extras.push(mapArb(s, s.additionalProperties as Schema, (s.propertyNames ?? {}) as Schema, opts, path));
  if (isObj(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties as Record<string, Schema>)) {
      const key = fc.stringMatching(new RegExp(pattern), { size: 'xsmall' }).filter((k) => !isReserved(k) && !(k in props) && storable(k));
      extras.push(fc.dictionary(key, arbitraryFor(sub, opts, [...path, '*']), { maxKeys: opts.softMaxItems ?? 3, noNullPrototype: true }));
    }
  }
  if (extras.length === 0) return fixed;
  return fc.tuple(fixed, ...extras).map(([a, ...rest]) => {
    const out: Record<string, unknown> = {};
    for (const part of [...rest, a]) for (const k of Object.keys(part)) defineOwn(out, k, part[k]);
    return out;
  });
}

/** An open map (`additionalProperties` a schema), keys from `propertyNames`. */
function mapArb(s: Schema, value: Schema, names: Schema, opts: GenOptions, path: Path): fc.Arbitrary<Record<string, unknown>> {
  const keySchema: Schema = { type: 'string', ...names };
  let key = arbitraryFor(keySchema, { ...opts, boundaryWeight: 0 }, [...path, '<key>']) as fc.Arbitrary<string>;
  // free-text keys: also the names of Object.prototype's members (an own key must stay just data)
  if (keySchema.format === undefined) key = fc.oneof({ weight: 6, arbitrary: key }, { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) });
  key = key.filter((k) => !isReserved(k) && storable(k));
  const min = typeof s.minProperties === 'number' ? s.minProperties : 0;
  const max = typeof s.maxProperties === 'number' ? s.maxProperties : undefined;
  const valueArb = arbitraryFor(value, opts, [...path, '*']);
  return fc.oneof(
    ...sizeRange(min, max, opts).map((r) => ({
      weight: r.weight,
      arbitrary: fc.dictionary(key, valueArb, { minKeys: r.min, maxKeys: r.max, noNullPrototype: true }),
    })),
  );
}

/** Sets an own data property, whatever its name (`__proto__` included). */
export function defineOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

// ------------------------------------------------------------------------------------------------
// Walking a value along its schema: the places a mutation can hit

export interface Site {
  path: Segment[];
  /** the schema of the value there, narrowed to the value's type when the node allows several */
  schema: Schema;
  value: unknown;
  /** the types the node allows before narrowing (`['string', 'null']` for a nullable string) */
  allowed?: string[];
  /** the value is a key of a map (`path` ends with it); `schema` is then the key's schema */
  isKey?: boolean;
}

/** Every value (and map key) of `value` with the schema node it must satisfy; `value` must be valid. */
export function sitesOf(schema: Schema, value: unknown, path: Segment[] = []): Site[] {
  let s = schema;
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(alts)) s = alts.find((a) => matchesType(a, value)) ?? alts[0];
  const types = typesOf(s);
  if (types.length > 1) s = narrow(s, jsonType(value, types));
  const out: Site[] = [{ path, schema: s, value, allowed: types }];
  if (Array.isArray(value)) {
    const items = (s.items ?? {}) as Schema;
    value.forEach((v, i) => out.push(...sitesOf(items, v, [...path, i])));
  } else if (isObj(value)) {
    const props = (isObj(s.properties) ? s.properties : {}) as Record<string, Schema>;
    for (const k of Object.keys(value)) {
      if (Object.prototype.hasOwnProperty.call(props, k)) out.push(...sitesOf(props[k], value[k], [...path, k]));
      else if (isObj(s.additionalProperties)) {
        out.push({ path: [...path, k], schema: { type: 'string', ...((s.propertyNames ?? {}) as Schema) }, value: k, isKey: true });
        out.push(...sitesOf(s.additionalProperties as Schema, value[k], [...path, k]));
      }
    }
  }
  return out;
}

function jsonType(v: unknown, allowed: string[]): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) && allowed.includes('integer') ? 'integer' : 'number';
  return typeof v;
}

function matchesType(s: Schema, v: unknown): boolean {
  if ('const' in s) return s.const === v;
  const t = typesOf(s);
  return t.length === 0 || t.includes(jsonType(v, t)) || (t.includes('number') && typeof v === 'number');
}
