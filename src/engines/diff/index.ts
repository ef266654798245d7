/**
 * Field-level diff of two JSON values (lifecycle.md "Diff"). Pure and synchronous.
 *
 * - Plain objects recurse over the union of their keys; a member on one side only is expanded
 *   into its leaves when it is a non-empty object or an array containing objects.
 * - Arrays containing at least one plain object (on either side) compare item by item by index;
 *   any other array (scalars, empty, nested arrays) is one value.
 * - Different JSON types on the two sides are one `changed` entry holding both whole values.
 * - `undefined` members count as absent; `undefined` array items count as `null` (as in JSON).
 * Entries carry deep copies, never references into the inputs, and are sorted by `field`.
 */
import type { Static } from '@sinclair/typebox';
import { renderPath } from '../../contracts/validator.js';
import type { DiffEntrySchema } from '../../contracts/versions.js';

/** One entry of lifecycle.md's Diff (its schema is the one source). */
export type DiffEntry = Static<typeof DiffEntrySchema>;
export type DiffKind = DiffEntry['kind'];

type Obj = Record<string, unknown>;
type Segments = (string | number)[];

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A member is present when it is an own property whose value is not `undefined`. */
function present(o: Obj, k: string): boolean {
  return hasOwn(o, k) && o[k] !== undefined;
}

function item(a: readonly unknown[], i: number): unknown {
  const v = a[i];
  return v === undefined ? null : v;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasObjectItem(a: readonly unknown[]): boolean {
  for (const v of a) if (isObject(v)) return true;
  return false;
}

function hasPresentMember(o: Obj): boolean {
  for (const k of Object.keys(o)) if (o[k] !== undefined) return true;
  return false;
}

/** Deep copy with JSON semantics. Keys are defined, not assigned, so `__proto__` stays data. */
function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => clone(x === undefined ? null : x));
  if (!isObject(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x !== undefined) Object.defineProperty(out, k, { value: clone(x), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Key-order-independent deep equality; linear in the size of the values. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const t = jsonType(a);
  if (t !== jsonType(b)) return false;
  if (t === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (t === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(item(x, i), item(y, i))) return false;
    return true;
  }
  if (t !== 'object') return false;
  const x = a as Obj;
  const y = b as Obj;
  // Count present members on both sides instead of building key sets: each key of x is looked
  // up once in y, and equal counts mean y has no extra members.
  let n = 0;
  for (const k of Object.keys(x)) {
    if (x[k] === undefined) continue;
    if (!present(y, k) || !deepEqual(x[k], y[k])) return false;
    n++;
  }
  let m = 0;
  for (const k of Object.keys(y)) if (y[k] !== undefined) m++;
  return n === m;
}

/** Emits every leaf of a value present on one side only. */
function emitSide(path: Segments, v: unknown, kind: 'added' | 'removed', out: DiffEntry[]): void {
  if (isObject(v) && hasPresentMember(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === undefined) continue;
      path.push(k);
      emitSide(path, v[k], kind, out);
      path.pop();
    }
  } else if (Array.isArray(v) && hasObjectItem(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      emitSide(path, item(v, i), kind, out);
      path.pop();
    }
  } else {
    const field = renderPath(path);
    out.push(kind === 'added' ? { field, kind, after: clone(v) } : { field, kind, before: clone(v) });
  }
}

function diffValue(path: Segments, a: unknown, b: unknown, out: DiffEntry[]): void {
  const t = jsonType(a);
  if (t !== jsonType(b)) {
    out.push({ field: renderPath(path), kind: 'changed', before: clone(a), after: clone(b) });
  } else if (t === 'object') {
    const x = a as Obj;
    const y = b as Obj;
    for (const k of Object.keys(x)) {
      if (x[k] === undefined) continue;
      path.push(k);
      if (present(y, k)) diffValue(path, x[k], y[k], out);
      else emitSide(path, x[k], 'removed', out);
      path.pop();
    }
    for (const k of Object.keys(y)) {
      if (y[k] === undefined || present(x, k)) continue;
      path.push(k);
      emitSide(path, y[k], 'added', out);
      path.pop();
    }
  } else if (t === 'array' && (hasObjectItem(a as unknown[]) || hasObjectItem(b as unknown[]))) {
    const x = a as unknown[];
    const y = b as unknown[];
    const n = Math.max(x.length, y.length);
    for (let i = 0; i < n; i++) {
      path.push(i);
      if (i >= y.length) emitSide(path, item(x, i), 'removed', out);
      else if (i >= x.length) emitSide(path, item(y, i), 'added', out);
      else diffValue(path, item(x, i), item(y, i), out);
      path.pop();
    }
  } else if (!deepEqual(a, b)) {
    out.push({ field: renderPath(path), kind: 'changed', before: clone(a), after: clone(b) });
  }
}

/** Sort key of a field path: array indexes compare as numbers (`[2]` before `[10]`). */
export function fieldSortKey(field: string): string {
  return field.replace(/\[(\d+)\]/g, (_, d: string) => `[${d.padStart(10, '0')}]`);
}

/**
 * One entry per differing leaf between two JSON values (plain objects), sorted by `field` path
 * (string order, with array indexes in numeric order). `[]` means deep-equal.
 */
export function diffJson(before: unknown, after: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  if (before === undefined && after === undefined) return out;
  if (before === undefined) emitSide([], after, 'added', out);
  else if (after === undefined) emitSide([], before, 'removed', out);
  else diffValue([], before, after, out);
  // Fields are unique (renderPath is injective and each path is visited once), so ties never occur.
  const keyed = out.map((e) => ({ k: fieldSortKey(e.field), e }));
  keyed.sort((p, q) => (p.k < q.k ? -1 : p.k > q.k ? 1 : 0));
  return keyed.map((x) => x.e);
}
