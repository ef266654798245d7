/**
 * Read-only fields in a write body (agent.md "Writes"): always an error in a create; in a
 * PATCH compared with the agent before the patch — equal is accepted and ignored (timestamps
 * compared as instants truncated to milliseconds), a differing `version` is a version
 * conflict, anything else differing is `read-only`.
 */
import type { FieldError } from '../../errors.js';
import { READ_ONLY_FIELDS, type AgentView } from '../../contracts/agent.js';
import { deepEqual, hasOwn } from './json.js';

export { READ_ONLY_FIELDS };
export const READ_ONLY_MESSAGE = 'read-only';

const TIMESTAMP_FIELDS = new Set(['createdAt', 'updatedAt']);
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** An ISO 8601 / RFC 3339 instant (Z or offset) in epoch ms, fraction truncated; else null. */
export function instantMs(v: unknown): number | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.getTime();
  if (typeof v !== 'string') return null;
  const m = INSTANT_RE.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null; // 2026-02-30
  if (!m[8]) {
    const sign = m[9] === '-' ? -1 : 1;
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    t -= sign * (oh * 60 + om) * 60_000;
  }
  return t;
}

/** Every read-only field present in a create body is an error. */
export function readOnlyInCreate(body: Record<string, unknown>): FieldError[] {
  return READ_ONLY_FIELDS.filter((f) => hasOwn(body, f)).map((field) => ({ field, message: READ_ONLY_MESSAGE }));
}

/** Compares the read-only fields of a PATCH body with the current agent. */
export function compareReadOnly(
  current: AgentView,
  patch: Record<string, unknown>,
): { versionConflict: boolean; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const cur = current as unknown as Record<string, unknown>;
  if (hasOwn(patch, 'version')) {
    const v = patch.version;
    if (typeof v === 'number') {
      if (v !== current.version) return { versionConflict: true, errors: [] };
    } else {
      errors.push({ field: 'version', message: READ_ONLY_MESSAGE });
    }
  }
  for (const f of READ_ONLY_FIELDS) {
    if (f === 'version' || !hasOwn(patch, f)) continue;
    const equal = TIMESTAMP_FIELDS.has(f)
      ? instantMs(patch[f]) !== null && instantMs(patch[f]) === instantMs(cur[f])
      : deepEqual(patch[f], cur[f]);
    if (!equal) errors.push({ field: f, message: READ_ONLY_MESSAGE });
  }
  return { versionConflict: false, errors };
}
