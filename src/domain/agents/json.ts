/**
 * Small JSON helpers for the agent domain: own-key checks, deep equality, RFC 7396 merge.
 * Keys are read with Object.keys / hasOwnProperty only (never `in`), so keys such as
 * `__proto__` parsed as own properties can never reach a prototype.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** Deep equality of JSON values, independent of key order; `undefined` members count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!hasOwn(b, k) || !deepEqual(a[k], b[k])) return false;
    }
    return true;
  }
  return false;
}

/** A deep copy of a JSON value (plain objects built with own data properties only). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneJson(x)) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) defineOwn(out, k, cloneJson(v[k]));
    return out as T;
  }
  return v;
}

/** Sets an own data property (safe for any key name). */
export function defineOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/**
 * RFC 7396 JSON Merge Patch: objects merge member by member, `null` removes a member, arrays
 * and scalars replace. Neither input is mutated. A non-object target counts as `{}`.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? cloneJson(target) : {};
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === undefined) continue;
    if (v === null) {
      delete out[k];
    } else {
      defineOwn(out, k, mergePatch(hasOwn(out, k) ? out[k] : undefined, v));
    }
  }
  return out;
}

/** The same object with its known members first, in `order`, then any others as they came. */
export function orderKeys<T extends Record<string, unknown>>(o: T, order: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const k of order) if (hasOwn(o, k) && o[k] !== undefined) defineOwn(out, k, o[k]);
  for (const k of Object.keys(o)) if (!hasOwn(out, k) && o[k] !== undefined) defineOwn(out, k, o[k]);
  return out as T;
}

/** PostgreSQL's jsonb key order: shorter keys first, then by their UTF-8 bytes. */
function jsonbKeyOrder(a: string, b: string): number {
  if (a.length !== b.length || !/^[\x00-\x7f]*$/.test(a + b)) {
    const ba = Buffer.from(a);
    const bb = Buffer.from(b);
    return ba.length - bb.length || Buffer.compare(ba, bb);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A deep copy with every object's members in the order jsonb stores them, so a value written
 * and answered without reading it back serialises exactly as it will when read back
 * (`undefined` members are dropped, as JSON does).
 */
export function jsonbOrdered<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => jsonbOrdered(x)) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(jsonbKeyOrder)) if (v[k] !== undefined) defineOwn(out, k, jsonbOrdered(v[k]));
    return out as T;
  }
  return v;
}
