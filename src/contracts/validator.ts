/**
 * Request-shape validation (api.md "Which check answers first", stage 4): Ajv 8 compiled from
 * the TypeBox schemas, with Ajv's errors mapped to api.md field paths and messages — one entry
 * per field, sorted. Pure: no Fastify, no I/O.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { sortFieldErrors, type FieldError } from '../errors.js';
import { FORMAT_MESSAGES, registerFormats, type FormatName } from './formats.js';

/** Keys that are a `validation_error` wherever they appear (agent.md "Writes"). */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Ajv 8 set up for request validation: all errors, no coercion, no defaults, Flowyte formats. */
export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: false,
    coerceTypes: false,
    strict: false, // TypeBox/OpenAPI annotations (examples, readOnly, x-…) are not Ajv keywords
    verbose: true, // errors carry parentSchema: needed for range messages and x-unknown-member-message
    allowUnionTypes: true,
  });
  return registerFormats(ajv);
}

let shared: Ajv | undefined;
function sharedAjv(): Ajv {
  return (shared ??= createAjv());
}

const SIMPLE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * api.md field path: dotted, `[i]` for array items, `["key"]` (JSON-quoted) for a map key that
 * is not `[A-Za-z0-9_-]+`; the root is `""`.
 */
export function renderPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const seg of segments) out = appendSegment(out, seg);
  return out;
}

function appendSegment(out: string, seg: string | number): string {
  if (typeof seg === 'number') return `${out}[${seg}]`;
  if (SIMPLE_KEY.test(seg)) return out === '' ? seg : `${out}.${seg}`;
  return `${out}[${JSON.stringify(seg)}]`;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits a JSON pointer and walks `data` with it, so array indexes become numbers. */
function pointerSegments(data: unknown, pointer: string): (string | number)[] {
  if (pointer === '') return [];
  const raw = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const seg of raw) {
    if (Array.isArray(cur) && /^(0|[1-9][0-9]*)$/.test(seg)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = isPlainObject(cur) && hasOwn(cur, seg) ? cur[seg] : undefined;
    }
  }
  return out;
}

/** Every own key named `__proto__`, `constructor` or `prototype` in `data` (see scanBody). */
export function findReservedKeys(data: unknown, path: (string | number)[] = []): (string | number)[][] {
  const found = scanBody(data).reserved;
  return path.length === 0 ? found : found.map((p) => [...path, ...p]);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL (text, jsonb) could not store this string as sent, or null when it can. */
export function unstorableString(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL (U+0000) characters';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (no unpaired surrogates)';
  return null;
}

/** Strings (values and keys) that PostgreSQL cannot store, in `data` (see scanBody). */
export function findUnstorableStrings(data: unknown): { segments: (string | number)[]; message: string }[] {
  return scanBody(data).unstorable;
}

/**
 * How deep scanBody looks. Far deeper than any request schema (an agent body is at most 6 levels
 * deep): anything below it sits inside a value the schema already reports (an unknown member or a
 * value of the wrong type). Without a bound, a body of 12 000 nested objects each holding a
 * reserved key has 12 000 paths of up to 12 000 segments: quadratic time and memory.
 */
export const MAX_SCAN_DEPTH = 64;

interface WalkNode {
  v: unknown;
  parent: WalkNode | null;
  seg: string | number;
  depth: number;
}

function pathOf(node: WalkNode): (string | number)[] {
  const segs: (string | number)[] = [];
  for (let n: WalkNode | null = node; n && n.parent; n = n.parent) segs.push(n.seg);
  return segs.reverse();
}

/**
 * One pass over a parsed JSON body, iterative (a body nested 100 000 levels deep must not
 * overflow the stack) and linear (a path is built only for what is found, at most
 * MAX_SCAN_DEPTH segments): own keys named `__proto__`, `constructor` or `prototype` (nothing
 * below one is looked at), and strings, keys or values, that PostgreSQL cannot store.
 */
export function scanBody(data: unknown): { reserved: (string | number)[][]; unstorable: { segments: (string | number)[]; message: string }[] } {
  const reserved: (string | number)[][] = [];
  const unstorable: { segments: (string | number)[]; message: string }[] = [];
  if (typeof data === 'string') {
    const why = unstorableString(data);
    if (why) unstorable.push({ segments: [], message: why });
  }
  if (typeof data !== 'object' || data === null) return { reserved, unstorable };
  const stack: WalkNode[] = [{ v: data, parent: null, seg: '', depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.v;
    const depth = node.depth + 1;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'string') {
          const why = unstorableString(item);
          if (why) unstorable.push({ segments: [...pathOf(node), i], message: why });
        } else if (typeof item === 'object' && item !== null && depth < MAX_SCAN_DEPTH) {
          stack.push({ v: item, parent: node, seg: i, depth });
        }
      }
    } else {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (RESERVED_KEYS.has(k)) {
          reserved.push([...pathOf(node), k]);
          continue; // nothing below a reserved key is looked at
        }
        const item = o[k];
        const why = unstorableString(k) ?? (typeof item === 'string' ? unstorableString(item) : null);
        if (why) unstorable.push({ segments: [...pathOf(node), k], message: why });
        else if (typeof item === 'object' && item !== null && depth < MAX_SCAN_DEPTH) stack.push({ v: item, parent: node, seg: k, depth });
      }
    }
  }
  return { reserved, unstorable };
}

interface Candidate {
  segments: (string | number)[];
  message: string;
  rank: number;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

function typeMessage(types: string[], atRoot: boolean): string {
  const wanted = types.filter((t) => t !== 'null');
  const nullable = types.includes('null');
  if (atRoot && wanted.length === 1 && wanted[0] === 'object') return 'must be a JSON object';
  const names = wanted.map((t) => TYPE_NAMES[t] ?? t);
  return `must be ${names.join(' or ')}${nullable ? ' or null' : ''}`;
}

function fmtNumber(n: unknown): string {
  return String(n);
}

function rangeMessage(parent: Record<string, unknown> | undefined, fallback: string): string {
  const lo = parent?.minimum;
  const hi = parent?.maximum;
  if (typeof lo === 'number' && typeof hi === 'number') return `must be between ${fmtNumber(lo)} and ${fmtNumber(hi)}`;
  return fallback;
}

/** Maps one Ajv error to a candidate field error (null = noise to drop). */
function mapError(e: ErrorObject, data: unknown): Candidate | null {
  const base = pointerSegments(data, e.instancePath);
  const params = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  // Errors raised inside `propertyNames` name the offending key.
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined && e.keyword !== 'propertyNames') {
    return { segments: [...base, propertyName], message: keyMessage(e), rank: 3 };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const custom = (parent?.['x-unknown-member-message'] as string | undefined) ?? 'unknown field';
      return { segments: [...base, key], message: custom, rank: 1 };
    }
    case 'required':
      return { segments: [...base, String(params.missingProperty)], message: 'required', rank: 2 };
    case 'propertyNames':
      return { segments: [...base, String(params.propertyName)], message: 'invalid key', rank: 9 };
    case 'type': {
      const types = Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(',');
      const value = e.data;
      const atRoot = base.length === 0;
      const message = value === null && !atRoot ? 'cannot be null' : typeMessage(types, atRoot);
      return { segments: base, message, rank: 3 };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((v) => v !== null).map(String);
      return { segments: base, message: `must be one of: ${allowed.join(', ')}`, rank: 4 };
    }
    case 'const':
      return { segments: base, message: `must be ${JSON.stringify(params.allowedValue)}`, rank: 4 };
    case 'format': {
      const fmt = String(params.format) as FormatName;
      return { segments: base, message: FORMAT_MESSAGES[fmt] ?? `must be a valid ${fmt}`, rank: 5 };
    }
    case 'minLength': {
      const n = Number(params.limit);
      return { segments: base, message: n === 1 ? 'must not be empty' : `must be at least ${n} characters`, rank: 6 };
    }
    case 'maxLength':
      return { segments: base, message: `must be at most ${Number(params.limit)} characters`, rank: 6 };
    case 'minimum':
      return { segments: base, message: rangeMessage(parent, `must be at least ${fmtNumber(params.limit)}`), rank: 7 };
    case 'maximum':
      return { segments: base, message: rangeMessage(parent, `must be at most ${fmtNumber(params.limit)}`), rank: 7 };
    case 'exclusiveMinimum':
      return { segments: base, message: `must be greater than ${fmtNumber(params.limit)}`, rank: 7 };
    case 'exclusiveMaximum':
      return { segments: base, message: `must be less than ${fmtNumber(params.limit)}`, rank: 7 };
    case 'multipleOf':
      return { segments: base, message: `must be a multiple of ${fmtNumber(params.multipleOf)}`, rank: 7 };
    case 'minItems':
      return { segments: base, message: `must have at least ${Number(params.limit)} item${Number(params.limit) === 1 ? '' : 's'}`, rank: 8 };
    case 'maxItems':
      return { segments: base, message: `must have at most ${Number(params.limit)} items`, rank: 8 };
    case 'minProperties':
      return { segments: base, message: `must have at least ${Number(params.limit)} entries`, rank: 8 };
    case 'maxProperties':
      return { segments: base, message: `must have at most ${Number(params.limit)} entries`, rank: 8 };
    case 'uniqueItems': {
      // Ajv reports the pair (j, i) with i > j: name the second occurrence.
      const i = Math.max(Number(params.i), Number(params.j));
      return { segments: [...base, i], message: 'duplicate', rank: 8 };
    }
    case 'pattern':
      return { segments: base, message: 'has an invalid format', rank: 5 };
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
    case 'if':
    case 'then':
    case 'else':
    case 'not':
      return { segments: base, message: 'is invalid', rank: 50 };
    default:
      return { segments: base, message: e.message ?? 'is invalid', rank: 40 };
  }
}

/** Message for an error raised by a `propertyNames` sub-schema, i.e. about a key. */
function keyMessage(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'format':
      return `invalid key: ${FORMAT_MESSAGES[String(params.format) as FormatName] ?? 'has an invalid format'}`;
    case 'minLength':
      return 'invalid key: must not be empty';
    case 'maxLength':
      return `invalid key: must be at most ${Number(params.limit)} characters`;
    default:
      return 'invalid key';
  }
}

/** The rendered paths of `segments`' prefixes, shortest first: proper ones only, or also itself. */
function renderedPrefixes(segments: readonly (string | number)[], includeSelf: boolean): string[] {
  const n = includeSelf ? segments.length : segments.length - 1;
  const out: string[] = [''];
  let cur = '';
  for (let i = 0; i < n; i++) out.push((cur = appendSegment(cur, segments[i]!)));
  return n < 0 ? [] : out;
}

/** Turns Ajv errors plus the reserved-key scan into api.md field errors, one per field, sorted. */
export function toFieldErrors(
  errors: readonly ErrorObject[] | null | undefined,
  data: unknown,
  reserved: (string | number)[][] = findReservedKeys(data),
): FieldError[] {
  // Linear in the number of errors (times the depth): a body may hold tens of thousands of them.
  const candidates: Candidate[] = reserved.map((segments) => ({ segments, message: 'reserved key', rank: 0 }));
  const reservedPaths = new Set(reserved.map((r) => renderPath(r)));
  for (const e of errors ?? []) {
    const c = mapError(e, data);
    if (!c) continue;
    // Anything at or below a reserved key is reported as that key only.
    if (reservedPaths.size > 0 && renderedPrefixes(c.segments, true).some((p) => reservedPaths.has(p))) continue;
    candidates.push(c);
  }
  const best = new Map<string, Candidate>();
  let generic = false;
  for (const c of candidates) {
    const field = renderPath(c.segments);
    const prev = best.get(field);
    if (!prev || c.rank < prev.rank) best.set(field, c);
    if (c.rank >= 50) generic = true;
  }
  /** every path that has a precise (rank < 50) error strictly below it */
  const abovePrecise = new Set<string>();
  if (generic) for (const c of candidates) if (c.rank < 50) for (const p of renderedPrefixes(c.segments, false)) abovePrecise.add(p);
  // A generic "is invalid" (anyOf & co.) is dropped when a more precise error sits below it.
  const out: FieldError[] = [];
  for (const [field, c] of best) {
    if (c.rank >= 50 && abovePrecise.has(field)) continue;
    out.push({ field, message: c.message });
  }
  return sortFieldErrors(out);
}

/** Keywords that check an array's items: skipped when the array is over its `maxItems`. */
const ITEM_KEYWORDS = ['items', 'prefixItems', 'additionalItems', 'contains', 'minContains', 'maxContains', 'uniqueItems', 'unevaluatedItems'] as const;
/** Keywords that check an object's members: skipped when the object is over its `maxProperties`. */
const MEMBER_KEYWORDS = ['properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'dependentSchemas', 'unevaluatedProperties'] as const;
/** Keywords whose value is one schema, a list of schemas, or a map of schemas. */
const SUB_SCHEMA = ['items', 'additionalItems', 'contains', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties'] as const;
const SUB_SCHEMA_LISTS = ['prefixItems', 'allOf', 'anyOf', 'oneOf'] as const;
const SUB_SCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'] as const;

/**
 * api.md "Envelope": an array over its item limit is reported once, on the array, and its items
 * are not checked — and (the same rule, where the spec is silent) a map over its entry limit is
 * reported once and its entries are not checked. Ajv with `allErrors` would check every item of
 * a 40 000-item array; this rewrites each bounded container so its content keywords apply only
 * within the bound: `{ maxItems: N, items: S }` becomes `{ maxItems: N, if: { maxItems: N },
 * then: { items: S } }` (in an `allOf`, so an existing `if` is kept). Validation work is then
 * bounded by the schema's limits, not by the body. Returns a new schema; the input is untouched.
 */
export function boundContainers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundContainers);
  if (!isPlainObject(schema)) return schema;
  const out: Record<string, unknown> = { ...schema };
  for (const k of SUB_SCHEMA) if (k in out) out[k] = boundContainers(out[k]);
  for (const k of SUB_SCHEMA_LISTS) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map(boundContainers);
  for (const k of SUB_SCHEMA_MAPS) {
    const m = out[k];
    if (isPlainObject(m)) out[k] = Object.fromEntries(Object.entries(m).map(([name, sub]) => [name, boundContainers(sub)]));
  }
  const guard = (limitKeyword: 'maxItems' | 'maxProperties', keywords: readonly string[]) => {
    const limit = out[limitKeyword];
    if (typeof limit !== 'number') return;
    const then: Record<string, unknown> = {};
    for (const k of keywords) {
      if (k in out) {
        then[k] = out[k];
        delete out[k];
      }
    }
    if (Object.keys(then).length === 0) return;
    // an unknown member's message is read from the schema holding `additionalProperties`
    if ('x-unknown-member-message' in out) then['x-unknown-member-message'] = out['x-unknown-member-message'];
    out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), { if: { [limitKeyword]: limit }, then }];
  };
  guard('maxItems', ITEM_KEYWORDS);
  guard('maxProperties', MEMBER_KEYWORDS);
  return out;
}

/** One rewritten schema per schema object, so Ajv's compile cache still recognises a schema. */
const bounded = new WeakMap<object, object>();
function boundedSchema(schema: object): object {
  let b = bounded.get(schema);
  if (!b) bounded.set(schema, (b = boundContainers(schema) as object));
  return b;
}

/**
 * Compiles a body schema into a function returning the request's shape errors
 * (empty = valid). Never mutates the data.
 */
export function compileBodyValidator(schema: unknown, ajv: Ajv = sharedAjv()): (data: unknown) => FieldError[] {
  const validate: ValidateFunction = ajv.compile(boundedSchema(schema as object));
  return (data: unknown) => {
    const ok = validate(data);
    const { reserved, unstorable } = scanBody(data);
    if (ok && reserved.length === 0 && unstorable.length === 0) return [];
    const errors = toFieldErrors(ok ? [] : validate.errors, data, reserved);
    const named = new Set(errors.map((e) => e.field));
    for (const u of unstorable) {
      const field = renderPath(u.segments);
      if (!named.has(field)) errors.push({ field, message: u.message });
    }
    return sortFieldErrors(errors);
  };
}

/**
 * Query strings arrive as text (or arrays, when a parameter repeats). Each declared parameter
 * given once is converted to its schema's type strictly (`^-?[0-9]{1,15}$` for integers, exactly
 * `true`/`false` for booleans; anything else stays text and fails its type), then the object is
 * validated like a body: every invalid parameter is listed in one error. Undeclared parameters
 * are ignored (dropped). Returns the typed query, or the errors.
 */
export function compileQueryValidator(schema: unknown, ajv: Ajv = sharedAjv()): (raw: unknown) => { value: Record<string, unknown> } | { errors: FieldError[] } {
  const props = ((schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {}) as Record<string, { type?: unknown }>;
  const check = compileBodyValidator(schema, ajv);
  // the query holds only declared parameters, each a checked string or what it was converted
  // to: nothing for the body's scan of reserved keys and unstorable text to find, so a valid
  // query costs one Ajv call (the live path validates one per request)
  const validate: ValidateFunction = ajv.compile(boundedSchema(schema as object));
  return (raw: unknown) => {
    const given = isPlainObject(raw) ? raw : {};
    const value: Record<string, unknown> = {};
    const errors: FieldError[] = [];
    for (const k of Object.keys(given)) {
      if (!hasOwn(props, k)) continue;
      const v = given[k];
      if (typeof v !== 'string') {
        errors.push({ field: renderPath([k]), message: 'must be given once' });
        continue;
      }
      const why = unstorableString(v);
      if (why) {
        errors.push({ field: renderPath([k]), message: why });
        continue;
      }
      Object.defineProperty(value, k, { value: coerceQueryValue(v, props[k]!.type), enumerable: true, writable: true, configurable: true });
    }
    if (errors.length === 0 && validate(value)) return { value };
    const named = new Set(errors.map((e) => e.field));
    for (const e of check(value)) if (!named.has(e.field)) errors.push(e);
    return errors.length > 0 ? { errors: sortFieldErrors(errors) } : { value };
  };
}

function coerceQueryValue(v: string, type: unknown): unknown {
  if (type === 'integer') return /^-?[0-9]{1,15}$/.test(v) ? Number(v) : v;
  if (type === 'number') return /^-?[0-9]{1,15}(\.[0-9]{1,15})?$/.test(v) ? Number(v) : v;
  if (type === 'boolean') return v === 'true' ? true : v === 'false' ? false : v;
  return v;
}

