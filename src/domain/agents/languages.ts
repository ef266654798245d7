/**
 * `primaryLanguage`, `languages`, `sku` and `voiceMap` keys: canonicalisation, defaults (in the
 * order primaryLanguage, languages, sku) and how a PATCH moves them together.
 *
 * PATCH: a merge patch never changes a field the client did not send (agent.md: the merged
 * result is validated as a whole), apart from `sku`'s documented recomputation:
 * - sent fields replace; the result must satisfy "primaryLanguage is one of languages", else a
 *   `validation_error` on `primaryLanguage` (so moving a one-language agent from `en` to `de`
 *   sends both, or `languages: ["de"]` with `primaryLanguage: null`).
 * - `primaryLanguage: null` → its default, the first of the resulting languages (the sent
 *   list, else the current one); when `languages` is null too → `"en"`.
 * - `languages: null` → `[primaryLanguage]`.
 * - `sku`: as sent; null → recomputed; not sent → recomputed when the (canonical) languages
 *   changed, else kept.
 */
import type { FieldError } from '../../errors.js';
import { canonicalLanguageTag } from '../../contracts/formats.js';
import { renderPath } from '../../contracts/validator.js';
import { DEFAULT_PRIMARY_LANGUAGE } from './defaults.js';
import { defineOwn, deepEqual, hasOwn, isPlainObject } from './json.js';

export type Sku = 'single_language' | 'code_switch';

export interface LanguageTrio {
  primaryLanguage: string;
  languages: string[];
  sku: Sku;
}

const INVALID_TAG = 'must be a well-formed language tag (BCP 47)';

function canonOne(v: unknown, field: string, errors: FieldError[]): string {
  const c = typeof v === 'string' ? canonicalLanguageTag(v) : null;
  if (c === null) {
    errors.push({ field, message: INVALID_TAG });
    return String(v);
  }
  return c;
}

function canonList(v: unknown, errors: FieldError[]): string[] {
  if (!Array.isArray(v)) {
    errors.push({ field: 'languages', message: 'must be an array' });
    return [];
  }
  return v.map((x, i) => canonOne(x, renderPath(['languages', i]), errors));
}

export function skuFor(languages: readonly string[]): Sku {
  return languages.length > 1 ? 'code_switch' : 'single_language';
}

/** Resolves the trio for a create (`current` null) or a PATCH (`current` = the draft). */
export function resolveLanguages(
  current: LanguageTrio | null,
  input: Record<string, unknown>,
  errors: FieldError[],
): LanguageTrio {
  const pPrim = hasOwn(input, 'primaryLanguage') ? input.primaryLanguage : undefined;
  const pLangs = hasOwn(input, 'languages') ? input.languages : undefined;
  const pSku = hasOwn(input, 'sku') ? input.sku : undefined;
  const sentLangs = pLangs !== undefined && pLangs !== null ? canonList(pLangs, errors) : undefined;
  const sentPrim =
    pPrim !== undefined && pPrim !== null ? canonOne(pPrim, 'primaryLanguage', errors) : undefined;

  let primaryLanguage: string;
  let languages: string[];
  if (current === null) {
    primaryLanguage = sentPrim ?? sentLangs?.[0] ?? DEFAULT_PRIMARY_LANGUAGE;
    languages = sentLangs ?? [primaryLanguage];
  } else {
    // primaryLanguage first
    if (sentPrim !== undefined) primaryLanguage = sentPrim;
    else if (pPrim === null) {
      primaryLanguage =
        pLangs === null ? DEFAULT_PRIMARY_LANGUAGE : (sentLangs ?? current.languages)[0] ?? DEFAULT_PRIMARY_LANGUAGE;
    } else primaryLanguage = current.primaryLanguage;
    // then languages
    if (sentLangs !== undefined) languages = sentLangs;
    else if (pLangs === null) languages = [primaryLanguage];
    else languages = [...current.languages];
  }

  // then sku
  let sku: Sku;
  if (pSku === 'single_language' || pSku === 'code_switch') sku = pSku;
  else if (current === null || pSku === null || !deepEqual(languages, current.languages)) sku = skuFor(languages);
  else sku = current.sku;

  return { primaryLanguage, languages, sku };
}

/** The trio's cross-field rules, with agent.md's fields. */
export function checkLanguages(t: LanguageTrio, errors: FieldError[]): void {
  const seen = new Map<string, number>();
  t.languages.forEach((tag, i) => {
    const first = seen.get(tag);
    if (first !== undefined) {
      errors.push({ field: renderPath(['languages', i]), message: `duplicate language (same as languages[${first}])` });
    } else seen.set(tag, i);
  });
  if (t.languages.length < 1) errors.push({ field: 'languages', message: 'must have at least 1 item' });
  if (t.languages.length > 50) errors.push({ field: 'languages', message: 'must have at most 50 items' });
  if (!t.languages.includes(t.primaryLanguage)) {
    errors.push({ field: 'primaryLanguage', message: 'must be one of languages' });
  }
  if (t.sku === 'single_language' && t.languages.length > 1) {
    errors.push({ field: 'sku', message: 'single_language requires exactly one language' });
  }
}

/** A voiceMap keyed by canonical tags, remembering each key as the client wrote it. */
export interface VoiceMapDraft {
  map: Record<string, string>;
  /** canonical key → key as written (for error paths) */
  written: Map<string, string>;
}

/**
 * Merges voiceMap entries by canonical tag: `{"en-us": "x"}` replaces a stored `en-US`, and
 * `{"en-us": null}` removes it. Two keys of one input naming the same tag are an error on the
 * second.
 */
export function mergeVoiceMap(base: Record<string, string>, input: unknown, errors: FieldError[]): VoiceMapDraft {
  const map: Record<string, string> = {};
  const written = new Map<string, string>();
  for (const k of Object.keys(base)) {
    defineOwn(map, k, base[k]);
    written.set(k, k);
  }
  if (!isPlainObject(input)) return { map, written };
  const seenInInput = new Map<string, string>();
  for (const k of Object.keys(input)) {
    const field = renderPath(['voiceMap', k]);
    const c = canonicalLanguageTag(k);
    if (c === null) {
      errors.push({ field, message: INVALID_TAG });
      continue;
    }
    const prev = seenInInput.get(c);
    if (prev !== undefined) {
      errors.push({ field, message: `duplicate language (same as ${JSON.stringify(prev)})` });
      continue;
    }
    seenInInput.set(c, k);
    const v = input[k];
    if (v === null) {
      delete map[c];
      written.delete(c);
    } else {
      defineOwn(map, c, v);
      written.set(c, k);
    }
  }
  return { map, written };
}

/** `voiceMap` keys must be among `languages`: the error names the key as written. */
export function checkVoiceMap(vm: VoiceMapDraft, languages: readonly string[], errors: FieldError[]): void {
  for (const c of Object.keys(vm.map)) {
    if (!languages.includes(c)) {
      errors.push({ field: renderPath(['voiceMap', vm.written.get(c) ?? c]), message: 'must be one of languages' });
    }
  }
}
