/**
 * An independent model of agent.md's write semantics, for the fuzz suites: what an agent's
 * editable fields must be after a create or a JSON Merge Patch (defaults, null rules,
 * normalisation: trimmed name, canonical language tags, E.164 numbers), which cross-field rules
 * the result breaks (with the field agent.md says each names), and a `repair` that edits a
 * schema-valid body until it breaks none (the "constrained" generator).
 *
 * Written from the spec, not from src/domain: where the two disagree a fuzz run fails, and one
 * of them is wrong.
 */
import { canonicalTag, normalizeDestinationModel } from './formats.js';
import { defineOwn, type Segment } from './schema-arbitrary.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Config = Record<string, any>;

export const READ_ONLY = ['id', 'organizationId', 'version', 'status', 'hasUnpublishedChanges', 'publishedVersionId', 'createdBy', 'createdAt', 'updatedAt'] as const;
/** agent.md "Fields", every editable one. */
export const EDITABLE = [
  'name', 'persona', 'primaryLanguage', 'languages', 'sku', 'enabledChannels', 'goals', 'neverDo', 'tone', 'lexicon', 'voiceMap', 'defaultVoiceId',
  'voiceSettings', 'llmModel', 'llmTemperature', 'ttsModel', 'sttModel', 'endpointing', 'greeting', 'handoffConfig', 'callControl', 'businessHours',
  'channelOverrides', 'avgTicketCents', 'isActive',
] as const;

/** agent.md defaults (name and the language trio are computed). */
const DEFAULTS: Config = {
  persona: '',
  enabledChannels: ['voice', 'chat'],
  goals: [],
  neverDo: [],
  tone: '',
  lexicon: { preferred: [], banned: [], pronunciations: {} },
  voiceMap: {},
  defaultVoiceId: null,
  voiceSettings: { stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1.0 },
  llmModel: 'default',
  llmTemperature: 0.4,
  ttsModel: 'default',
  sttModel: 'default',
  endpointing: { minSilenceMs: 400, maxSilenceMs: 2000, semantic: true },
  greeting: null,
  handoffConfig: { warm: false, transferDestination: null, escalationThreshold: 3, contextSummaryUrl: null, transferRules: [] },
  callControl: {},
  businessHours: {},
  channelOverrides: {},
  avgTicketCents: null,
  isActive: true,
};
const SIMPLE = ['persona', 'enabledChannels', 'goals', 'neverDo', 'tone', 'defaultVoiceId', 'llmModel', 'llmTemperature', 'ttsModel', 'sttModel', 'greeting', 'avgTicketCents', 'isActive'];
const DEFAULTED_OBJECTS = ['lexicon', 'voiceSettings', 'endpointing', 'handoffConfig'];
const AS_GIVEN = ['callControl', 'businessHours', 'channelOverrides'];

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
export const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** RFC 7396. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, unknown> = isObj(target) ? clone(target) : {};
  for (const k of Object.keys(patch)) {
    if (patch[k] === null) delete out[k];
    else defineOwn(out, k, mergePatch(has(out, k) ? out[k] : undefined, patch[k]));
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => has(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const SIMPLE_KEY = /^[A-Za-z0-9_-]+$/;
/** api.md field paths: dotted, `[i]`, `["key"]` for keys that are not `[A-Za-z0-9_-]+`. */
export function renderPath(segs: readonly Segment[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (SIMPLE_KEY.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

const canon = (t: string) => canonicalTag(t) ?? t;
const dest = (v: unknown) => (typeof v === 'string' ? (normalizeDestinationModel(v) ?? v) : v);

/** The editable fields of an agent as GET returns it. */
export function editableOf(view: Config): Config {
  const out: Config = {};
  for (const f of EDITABLE) out[f] = clone(view[f]);
  return out;
}

export interface Outcome {
  /** the editable fields the write must store */
  config: Config;
  /** canonical voiceMap key → the key as this write spelt it (errors name it so) */
  voiceKeys: Map<string, string>;
  /** voiceMap keys of this body naming a tag an earlier key of it already named */
  voiceDupes: string[];
}

/** What a create (`prev` null) or a merge patch of `prev` stores, if valid. */
export function applyWrite(prev: Config | null, body: Config): Outcome {
  const base: Config = prev ? clone(prev) : { ...clone(DEFAULTS) };
  const c: Config = {};
  c.name = has(body, 'name') && typeof body.name === 'string' ? body.name.trim() : base.name;
  for (const f of SIMPLE) {
    if (!has(body, f)) c[f] = clone(base[f]);
    else c[f] = body[f] === null ? clone(DEFAULTS[f]) : clone(body[f]);
  }
  for (const f of DEFAULTED_OBJECTS) {
    const p = has(body, f) ? body[f] : undefined;
    if (p === undefined) c[f] = clone(base[f]);
    else if (p === null) c[f] = clone(DEFAULTS[f]);
    else {
      const o: Config = {};
      for (const m of Object.keys(DEFAULTS[f])) {
        const pm = has(p, m) ? p[m] : undefined;
        if (pm === undefined) o[m] = clone(base[f][m]);
        else if (pm === null) o[m] = clone(DEFAULTS[f][m]);
        else if (f === 'lexicon' && m === 'pronunciations') o[m] = mergePatch(base[f][m], pm);
        else o[m] = clone(pm);
      }
      c[f] = o;
    }
  }
  c.handoffConfig.transferDestination = dest(c.handoffConfig.transferDestination);
  c.handoffConfig.transferRules = c.handoffConfig.transferRules.map((r: Config) => ({ ...r, destination: dest(r.destination) }));
  for (const f of AS_GIVEN) {
    const p = has(body, f) ? body[f] : undefined;
    c[f] = p === undefined ? clone(base[f]) : p === null ? {} : mergePatch(base[f], p);
  }
  const ah = c.businessHours.afterHours;
  if (isObj(ah)) for (const m of ['number', 'emergencyNumber']) if (typeof ah[m] === 'string') ah[m] = dest(ah[m]);

  // the language trio: primaryLanguage, then languages, then sku
  const pPrim = has(body, 'primaryLanguage') ? body.primaryLanguage : undefined;
  const pLangs = has(body, 'languages') ? body.languages : undefined;
  const sentLangs: string[] | undefined = Array.isArray(pLangs) ? pLangs.map(canon) : undefined;
  const sentPrim: string | undefined = typeof pPrim === 'string' ? canon(pPrim) : undefined;
  if (!prev) {
    c.primaryLanguage = sentPrim ?? sentLangs?.[0] ?? 'en';
    c.languages = sentLangs ?? [c.primaryLanguage];
  } else {
    if (sentPrim !== undefined) c.primaryLanguage = sentPrim;
    else if (pPrim === null) c.primaryLanguage = pLangs === null ? 'en' : ((sentLangs ?? prev.languages)[0] ?? 'en');
    else c.primaryLanguage = prev.primaryLanguage;
    c.languages = sentLangs ?? (pLangs === null ? [c.primaryLanguage] : [...prev.languages]);
  }
  const pSku = has(body, 'sku') ? body.sku : undefined;
  const computed = c.languages.length > 1 ? 'code_switch' : 'single_language';
  if (typeof pSku === 'string') c.sku = pSku;
  else if (!prev || pSku === null || !deepEqual(c.languages, prev.languages)) c.sku = computed;
  else c.sku = prev.sku;

  // voiceMap: merged by canonical tag
  const voiceKeys = new Map<string, string>();
  const voiceDupes: string[] = [];
  const pVm = has(body, 'voiceMap') ? body.voiceMap : undefined;
  const vm: Config = pVm === null ? {} : clone(base.voiceMap ?? {});
  for (const k of Object.keys(vm)) voiceKeys.set(k, k);
  if (isObj(pVm)) {
    const seen = new Set<string>();
    for (const k of Object.keys(pVm)) {
      const ck = canon(k);
      if (seen.has(ck)) {
        voiceDupes.push(k);
        continue;
      }
      seen.add(ck);
      if (pVm[k] === null) {
        delete vm[ck];
        voiceKeys.delete(ck);
      } else {
        defineOwn(vm, ck, pVm[k]);
        voiceKeys.set(ck, k);
      }
    }
  }
  c.voiceMap = vm;
  const ordered: Config = {};
  for (const f of EDITABLE) ordered[f] = c[f];
  return { config: ordered, voiceKeys, voiceDupes };
}

/** One broken cross-field rule: the field agent.md names, or one of several when it leaves the choice open. */
export interface RuleBreak {
  rule: string;
  /** the acceptable fields (as segments); the answer must name at least one */
  fields: Segment[][];
}

type Range = { start: string; end: string };
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** start == end, and overlaps (an overnight range covers its day to 24:00; touching is fine). */
function rangeBreaks(list: Range[] | undefined, path: Segment[], out: RuleBreak[]): void {
  if (!Array.isArray(list)) return;
  const spans: { i: number; s: number; e: number }[] = [];
  list.forEach((r, i) => {
    if (r.start === r.end) out.push({ rule: 'start == end', fields: [[...path, i, 'end']] });
    else {
      const s = minutes(r.start);
      const e = minutes(r.end);
      spans.push({ i, s, e: e > s ? e : 1440 });
    }
  });
  for (let a = 0; a < spans.length; a++) {
    for (let b = a + 1; b < spans.length; b++) {
      const x = spans[a];
      const y = spans[b];
      if (x.s < y.e && y.s < x.e) out.push({ rule: 'overlap', fields: [[...path, x.i, 'start'], [...path, y.i, 'start']] });
    }
  }
}

/** Every cross-field rule of agent.md the written config breaks. */
export function ruleBreaks(o: Outcome): RuleBreak[] {
  const c = o.config;
  const out: RuleBreak[] = [];
  const seen = new Set<string>();
  c.languages.forEach((t: string, i: number) => {
    if (seen.has(t)) out.push({ rule: 'duplicate language', fields: [['languages', i]] });
    seen.add(t);
  });
  if (!c.languages.includes(c.primaryLanguage)) out.push({ rule: 'primaryLanguage in languages', fields: [['primaryLanguage']] });
  if (c.sku === 'single_language' && c.languages.length > 1) out.push({ rule: 'single_language', fields: [['sku']] });
  for (const k of o.voiceDupes) out.push({ rule: 'duplicate voiceMap key', fields: [['voiceMap', k]] });
  for (const ck of Object.keys(c.voiceMap)) {
    if (!c.languages.includes(ck)) out.push({ rule: 'voiceMap key in languages', fields: [['voiceMap', o.voiceKeys.get(ck) ?? ck]] });
  }
  if (c.endpointing.maxSilenceMs < c.endpointing.minSilenceMs) out.push({ rule: 'maxSilenceMs >= minSilenceMs', fields: [['endpointing', 'maxSilenceMs']] });
  const labels = new Set<string>();
  c.handoffConfig.transferRules.forEach((r: Config, i: number) => {
    if (labels.has(r.label)) out.push({ rule: 'duplicate rule label', fields: [['handoffConfig', 'transferRules', i, 'label']] });
    labels.add(r.label);
  });
  if (c.callControl.onNoResponseAction === 'transfer' && c.handoffConfig.transferDestination === null) {
    out.push({ rule: 'transfer needs a destination', fields: [['callControl', 'onNoResponseAction']] });
  }
  const bh = c.businessHours;
  if (Object.keys(bh).length > 0) {
    if (bh.timezone === undefined) out.push({ rule: 'schedule needs timezone', fields: [['businessHours', 'timezone']] });
    if (bh.weekly === undefined) out.push({ rule: 'schedule needs weekly', fields: [['businessHours', 'weekly']] });
    for (const day of Object.keys(bh.weekly ?? {})) rangeBreaks(bh.weekly[day], ['businessHours', 'weekly', day], out);
    (bh.holidays ?? []).forEach((h: Config, i: number) => {
      const p: Segment[] = ['businessHours', 'holidays', i];
      if (h.endDate !== undefined && h.endDate < h.date) out.push({ rule: 'endDate before date', fields: [[...p, 'endDate']] });
      const closed = h.closed ?? true;
      const n = Array.isArray(h.ranges) ? h.ranges.length : 0;
      if (closed && n > 0) out.push({ rule: 'closed with ranges', fields: [[...p, 'ranges']] });
      if (!closed && n === 0) out.push({ rule: 'open without ranges', fields: [[...p, 'ranges']] });
      rangeBreaks(h.ranges, [...p, 'ranges'], out);
    });
    const ah = bh.afterHours;
    if (isObj(ah) && (ah.mode === 'forward' || ah.allowHumanTransfer === true) && (ah.number === undefined || ah.number === null)) {
      out.push({ rule: 'after-hours transfer needs a number', fields: [['businessHours', 'afterHours', 'number']] });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------ repair

const FALLBACK_NUMBER = '+14155550134';

function getAt(root: unknown, segs: readonly Segment[]): any {
  let cur: any = root;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object' || !has(cur, String(s))) return undefined;
    cur = cur[s as any];
  }
  return cur;
}

/** The ranges of a list kept: no start == end, no overlap with an earlier kept one (list order kept). */
function keepDisjoint(list: Range[]): Range[] {
  const kept: { s: number; e: number; r: Range }[] = [];
  for (const r of list) {
    if (r.start === r.end) continue;
    const s = minutes(r.start);
    const e = minutes(r.end) > s ? minutes(r.end) : 1440;
    if (kept.some((k) => k.s < e && s < k.e)) continue;
    kept.push({ s, e, r });
  }
  return kept.map((k) => k.r);
}

const objOr = (v: unknown): Config => (isObj(v) ? v : {});

/**
 * Edits a schema-valid write body until the write it makes breaks no cross-field rule (or gives
 * up after a few rounds: the caller then predicts the 400). Returns a new body.
 */
export function repair(prev: Config | null, body0: Config): Config {
  const body = clone(body0);
  for (let round = 0; round < 8; round++) {
    const o = applyWrite(prev, body);
    const breaks = ruleBreaks(o);
    if (breaks.length === 0) return body;
    for (const b of breaks) fix(prev, body, o, b);
  }
  return body;
}

function fix(prev: Config | null, body: Config, o: Outcome, b: RuleBreak): void {
  const c = o.config;
  const f = b.fields[0];
  switch (b.rule) {
    case 'duplicate language':
      if (Array.isArray(body.languages)) {
        const seen = new Set<string>();
        body.languages = body.languages.filter((t: string) => !seen.has(canon(t)) && (seen.add(canon(t)), true));
      }
      return;
    case 'primaryLanguage in languages':
      body.primaryLanguage = Array.isArray(body.languages) && body.languages.length > 0 ? body.languages[0] : c.languages[0];
      return;
    case 'single_language':
      body.sku = 'code_switch';
      return;
    case 'duplicate voiceMap key':
    case 'voiceMap key in languages':
      if (prev) body.voiceMap = null;
      else {
        const vm: Config = {};
        const seen = new Set<string>();
        for (const [k, v] of Object.entries(objOr(body.voiceMap))) {
          const ck = canon(k);
          if (seen.has(ck) || !c.languages.includes(ck)) continue;
          seen.add(ck);
          defineOwn(vm, k, v);
        }
        body.voiceMap = vm;
      }
      return;
    case 'maxSilenceMs >= minSilenceMs':
      body.endpointing = { ...objOr(body.endpointing), maxSilenceMs: Math.max(c.endpointing.minSilenceMs, 200) };
      return;
    case 'duplicate rule label': {
      const rules = getAt(body, ['handoffConfig', 'transferRules']);
      if (Array.isArray(rules)) {
        const seen = new Set<string>();
        body.handoffConfig.transferRules = rules.filter((r: Config) => !seen.has(r.label) && (seen.add(r.label), true));
      }
      return;
    }
    case 'transfer needs a destination':
      body.handoffConfig = { ...objOr(body.handoffConfig), transferDestination: FALLBACK_NUMBER };
      return;
    case 'schedule needs timezone':
      body.businessHours = { ...objOr(body.businessHours), timezone: 'Europe/Berlin' };
      return;
    case 'schedule needs weekly':
      body.businessHours = { ...objOr(body.businessHours), weekly: {} };
      return;
    case 'start == end':
    case 'overlap': {
      const listPath = f.slice(0, -2);
      const list = getAt(body, listPath);
      if (Array.isArray(list)) {
        const parent = getAt(body, listPath.slice(0, -1));
        parent[listPath[listPath.length - 1] as any] = keepDisjoint(list);
      }
      return;
    }
    case 'endDate before date': {
      const h = getAt(body, f.slice(0, -1));
      if (isObj(h)) delete h.endDate;
      return;
    }
    case 'closed with ranges':
    case 'open without ranges': {
      const h = getAt(body, f.slice(0, -1));
      if (isObj(h)) h.closed = b.rule === 'closed with ranges' ? false : true;
      return;
    }
    case 'after-hours transfer needs a number': {
      body.businessHours = objOr(body.businessHours);
      body.businessHours.afterHours = { ...objOr(body.businessHours.afterHours), number: FALLBACK_NUMBER };
      return;
    }
    default:
      throw new Error(`no repair for ${b.rule}`);
  }
}
