/**
 * The agent's editable configuration: create (defaults + normalisation + cross-field rules),
 * PATCH (read-only comparison, JSON Merge Patch, then the same), equality and changed fields.
 * Pure: the body has already passed the request-shape validator (src/contracts/validator.ts);
 * everything here is stage 7/8 of api.md "Which check answers first".
 *
 * Pieces: defaults.ts (types, defaults), merge.ts (RFC 7396 with agent.md's null rules),
 * languages.ts (primaryLanguage/languages/sku/voiceMap), rules.ts and
 * business-hours-rules.ts (normalisation, cross-field rules), read-only.ts.
 */
import { sortFieldErrors, type FieldError } from '../../errors.js';
import { EDITABLE_FIELDS, READ_ONLY_FIELDS, type AgentView } from '../../contracts/agent.js';
import type { AgentConfig } from './defaults.js';
import { checkLanguages, checkVoiceMap, mergeVoiceMap, resolveLanguages, type LanguageTrio } from './languages.js';
import { defaultMergedFields, mergeFields, type MergedFields } from './merge.js';
import { normalizeFields, normalizeName } from './rules.js';
import { normalizeBusinessHours } from './business-hours-rules.js';
import { compareReadOnly, readOnlyInCreate } from './read-only.js';
import { cloneJson, deepEqual, hasOwn, isPlainObject } from './json.js';
import { renderPath } from '../../contracts/validator.js';

export type { AgentConfig } from './defaults.js';
export { READ_ONLY_FIELDS, EDITABLE_FIELDS };

export type ConfigResult = { ok: true; config: AgentConfig } | { ok: false; errors: FieldError[] };
export type PatchResult = ConfigResult | { ok: false; versionConflict: true };

/** The key two names are "the same" under: trim → NFC → lower case. */
export function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** The editable part of an agent as GET returns it (a copy). */
export function configOf(view: AgentView): AgentConfig {
  const v = view as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of EDITABLE_FIELDS) out[f] = cloneJson(v[f]);
  return out as unknown as AgentConfig;
}

const KNOWN = new Set<string>([...EDITABLE_FIELDS, ...READ_ONLY_FIELDS]);

function unknownFields(body: Record<string, unknown>): FieldError[] {
  return Object.keys(body)
    .filter((k) => !KNOWN.has(k))
    .map((k) => ({ field: renderPath([k]), message: 'unknown field' }));
}

/** Sorted, at most one error per field (the first found). */
function onePerField(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return sortFieldErrors(errors).filter((e) => !seen.has(e.field) && (seen.add(e.field), true));
}

function notAnObject(): ConfigResult {
  return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
}

/** Resolves, normalises and checks a merged document; `errors` already holds earlier ones. */
function finish(
  name: unknown,
  base: { trio: LanguageTrio | null; voiceMap: Record<string, string>; fields: MergedFields },
  input: Record<string, unknown>,
  errors: FieldError[],
): ConfigResult {
  const storedName = normalizeName(name, errors);
  const trio = resolveLanguages(base.trio, input, errors);
  checkLanguages(trio, errors);
  const vmPatch = hasOwn(input, 'voiceMap') ? input.voiceMap : undefined;
  const vm = mergeVoiceMap(vmPatch === null ? {} : base.voiceMap, vmPatch, errors);
  checkVoiceMap(vm, trio.languages, errors);
  const fields = normalizeFields(mergeFields(base.fields, input), errors);
  const businessHours = normalizeBusinessHours(fields.businessHours, errors);
  if (errors.length > 0) return { ok: false, errors: onePerField(errors) };
  // every editable field, in the schema's order (EDITABLE_FIELDS is derived from it)
  const resolved: Record<string, unknown> = {
    ...fields,
    name: storedName,
    primaryLanguage: trio.primaryLanguage,
    languages: trio.languages,
    sku: trio.sku,
    voiceMap: vm.map,
    businessHours,
  };
  const config = {} as Record<string, unknown>;
  for (const f of EDITABLE_FIELDS) config[f] = resolved[f];
  return { ok: true, config: config as AgentConfig };
}

/**
 * A new agent's configuration from a POST body (shape already validated). Read-only fields
 * are errors; defaults apply in the order primaryLanguage, languages, sku; every error is
 * returned, sorted.
 */
export function createAgentConfig(body: Record<string, unknown>): ConfigResult {
  if (!isPlainObject(body)) return notAnObject();
  const errors: FieldError[] = [...readOnlyInCreate(body), ...unknownFields(body)];
  const name = hasOwn(body, 'name') ? body.name : undefined;
  return finish(name, { trio: null, voiceMap: {}, fields: defaultMergedFields() }, body, errors);
}

/**
 * The draft after a JSON Merge Patch (shape already validated). A differing `version` is a
 * version conflict, checked before anything else; other read-only fields must equal the
 * current values. Then merge, normalise, check — all errors, sorted.
 */
export function patchAgentConfig(current: AgentView, patch: Record<string, unknown>): PatchResult {
  if (!isPlainObject(patch)) return notAnObject();
  const ro = compareReadOnly(current, patch);
  if (ro.versionConflict) return { ok: false, versionConflict: true };
  const errors: FieldError[] = [...ro.errors, ...unknownFields(patch)];
  const base = configOf(current);
  const name = hasOwn(patch, 'name') ? patch.name : base.name;
  return finish(
    name,
    {
      trio: { primaryLanguage: base.primaryLanguage, languages: base.languages, sku: base.sku },
      voiceMap: base.voiceMap,
      fields: base,
    },
    patch,
    errors,
  );
}

/** Deep equality of two configurations, independent of key order (no-op detection). */
export function configsEqual(a: AgentConfig, b: AgentConfig): boolean {
  return deepEqual(a, b);
}

/** Top-level editable fields whose values differ, sorted (the audit trail's changedFields). */
export function changedFields(a: AgentConfig, b: AgentConfig): string[] {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].filter((k) => !deepEqual(ra[k], rb[k])).sort();
}
