/**
 * JSON Merge Patch (RFC 7396) of an agent's editable fields with agent.md's null semantics:
 * - nullable fields (defaultVoiceId, greeting, avgTicketCents and the nullable members of
 *   handoffConfig): null stores null;
 * - fields and members with a default: null restores the default (`voiceSettings: null` → all
 *   voice defaults; `voiceSettings: {speed: null}` → default speed);
 * - members without a default (inside callControl, businessHours, channelOverrides, entries of
 *   voiceMap and lexicon.pronunciations): null removes them. Inside these as-given objects null
 *   is never stored, on create either: null and absent mean the same there (platform default /
 *   shared config), and storing only "absent" keeps a GET body sent back as PATCH a no-op.
 * - `{}` changes nothing; arrays and scalars replace.
 * A create is the same merge applied to the defaults.
 * The language trio and voiceMap are resolved in languages.ts; `name` in config.ts.
 */
import type { AgentConfig, DefaultedObjectField } from './defaults.js';
import { AS_GIVEN_OBJECTS, DEFAULTED_OBJECTS, NULLABLE_FIELDS, SCALAR_DEFAULTS } from './defaults.js';
import { cloneJson, defineOwn, hasOwn, isPlainObject, mergePatch } from './json.js';

/** The fields merged here: all but name, the language trio and voiceMap. */
export type MergedFields = Omit<AgentConfig, 'name' | 'primaryLanguage' | 'languages' | 'sku' | 'voiceMap'>;

type ScalarField = Exclude<keyof typeof SCALAR_DEFAULTS, 'voiceMap'>;
const SCALAR_FIELDS = (Object.keys(SCALAR_DEFAULTS) as (keyof typeof SCALAR_DEFAULTS)[]).filter(
  (k): k is ScalarField => k !== 'voiceMap',
);

/** Defaults of every merged field (a fresh copy). */
export function defaultMergedFields(): MergedFields {
  const out: Record<string, unknown> = {};
  for (const f of SCALAR_FIELDS) out[f] = SCALAR_DEFAULTS[f]();
  for (const f of Object.keys(DEFAULTED_OBJECTS) as DefaultedObjectField[]) out[f] = DEFAULTED_OBJECTS[f]();
  for (const f of AS_GIVEN_OBJECTS) out[f] = {};
  return out as unknown as MergedFields;
}

function mergeDefaulted(field: DefaultedObjectField, base: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  const defaults = DEFAULTED_OBJECTS[field]() as Record<string, unknown>;
  if (patch === null) return defaults;
  const out: Record<string, unknown> = {};
  for (const m of Object.keys(defaults)) {
    const b = hasOwn(base, m) ? base[m] : defaults[m];
    const p = isPlainObject(patch) && hasOwn(patch, m) ? patch[m] : undefined;
    let v: unknown;
    if (p === undefined) v = cloneJson(b);
    else if (p === null) v = defaults[m];
    else if (field === 'lexicon' && m === 'pronunciations') v = mergePatch(b, p);
    else v = cloneJson(p);
    defineOwn(out, m, v);
  }
  return out;
}

/** Merges `patch` into `base` for every field of {@link MergedFields}. */
export function mergeFields(base: MergedFields, patch: Record<string, unknown>): MergedFields {
  const b = base as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const get = (f: string) => (hasOwn(patch, f) ? patch[f] : undefined);
  for (const f of SCALAR_FIELDS) {
    const p = get(f);
    if (p === undefined) out[f] = cloneJson(b[f]);
    else if (p === null) out[f] = (NULLABLE_FIELDS as readonly string[]).includes(f) ? null : SCALAR_DEFAULTS[f]();
    else out[f] = cloneJson(p);
  }
  for (const f of Object.keys(DEFAULTED_OBJECTS) as DefaultedObjectField[]) {
    const p = get(f);
    out[f] = p === undefined ? cloneJson(b[f]) : mergeDefaulted(f, (b[f] ?? {}) as Record<string, unknown>, p);
  }
  for (const f of AS_GIVEN_OBJECTS) {
    const p = get(f);
    if (p === undefined) out[f] = cloneJson(b[f] ?? {});
    else if (p === null) out[f] = {};
    else out[f] = mergePatch(b[f] ?? {}, p);
  }
  return out as unknown as MergedFields;
}
