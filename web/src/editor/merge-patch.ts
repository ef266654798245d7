/**
 * RFC 7396 helpers. `mergePatchBetween(a, b)` is the merge patch that turns `a` into `b`: objects
 * member by member (a member gone from `b` is `null`, which removes it or restores its default),
 * arrays and scalars whole. `undefined` means no change.
 */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export function mergePatchBetween(a: unknown, b: unknown): unknown {
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(b)) {
      const d = Object.prototype.hasOwnProperty.call(a, k) ? mergePatchBetween(a[k], b[k]) : b[k];
      if (d !== undefined) out[k] = d;
    }
    for (const k of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, k)) out[k] = null;
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return deepEqual(a, b) ? undefined : b;
}
