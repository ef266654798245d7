import { ApiError } from '../errors.js';
import type { Precondition } from '../domain/agents/agents.js';

const VERSION = '(?:[1-9][0-9]{0,9})';
const IF_MATCH_RE = new RegExp(`^(?:(${VERSION})|"(${VERSION})"|W/"(${VERSION})"|(\\*))$`);

function parseOne(raw: string): number | '*' | undefined {
  const m = IF_MATCH_RE.exec(raw.trim());
  if (!m) return undefined;
  if (m[4]) return '*';
  const n = Number(m[1] ?? m[2] ?? m[3]);
  return n <= 2147483647 ? n : undefined;
}

/** `If-Match`: one value — bare, quoted or weak version, or `*`; anything else is invalid_header. */
export function parseIfMatch(h: string | string[] | undefined): Precondition {
  if (h === undefined) return null;
  const v = Array.isArray(h) ? undefined : parseOne(h);
  if (v === undefined) throw new ApiError('invalid_header', 'If-Match must be one version: 7, "7", W/"7" or *');
  return v;
}

/** `If-None-Match`: a comma-separated list; true when one entry matches `version` (or is `*`). */
export function ifNoneMatchHits(h: string | string[] | undefined, version: number): boolean {
  if (h === undefined) return false;
  const parts = (Array.isArray(h) ? h.join(',') : h).split(',');
  return parts.some((p) => {
    const v = parseOne(p);
    return v === '*' || v === version;
  });
}

/** `If-None-Match` against an entity tag, by weak comparison (RFC 9110 §8.8.3.2): a listed tag (`W/` or not) or `*`. */
export function ifNoneMatchesEtag(h: string | string[] | undefined, etag: string): boolean {
  if (h === undefined) return false;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const raw of (Array.isArray(h) ? h.join(',') : h).split(',')) {
    const t = raw.trim();
    if (t === '*' || t === opaque || (t.startsWith('W/') && t.slice(2) === opaque)) return true;
  }
  return false;
}

/** `Idempotency-Key`: 1–255 visible ASCII characters; null when absent. */
export function parseIdempotencyKey(h: string | string[] | undefined): string | null {
  if (h === undefined) return null;
  if (Array.isArray(h) || !/^[\x21-\x7e]{1,255}$/.test(h)) {
    throw new ApiError('invalid_header', 'Idempotency-Key must be 1–255 visible ASCII characters');
  }
  return h;
}
