import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  EDITABLE_FIELDS,
  READ_ONLY_FIELDS,
  changedFields,
  configOf,
  configsEqual,
  createAgentConfig,
  nameKey,
  patchAgentConfig,
  type AgentConfig,
} from '../../src/domain/agents/config.js';
import { AgentCreateBody, AgentPatchBody, type AgentView } from '../../src/contracts/agent.js';
import { compileBodyValidator } from '../../src/contracts/validator.js';
import type { FieldError } from '../../src/errors.js';

const validateCreate = compileBodyValidator(AgentCreateBody);
const validatePatch = compileBodyValidator(AgentPatchBody);

function created(body: Record<string, unknown>): AgentConfig {
  expect(validateCreate(body)).toEqual([]);
  const r = createAgentConfig(body);
  if (!r.ok) throw new Error(`create failed: ${JSON.stringify(r.errors)}`);
  return r.config;
}

function createErrors(body: Record<string, unknown>): FieldError[] {
  expect(validateCreate(body)).toEqual([]);
  const r = createAgentConfig(body);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

const RO = {
  id: 'agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB',
  organizationId: 'org_01JD4ZQ6W5N1KXG3M8P7R2T9VC',
  version: 3,
  status: 'draft' as const,
  hasUnpublishedChanges: true,
  publishedVersionId: null,
  createdBy: 'key_01JD4ZQ6W5N1KXG3M8P7R2T9VD',
  createdAt: '2026-11-22T08:05:49.123Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
};

function viewOf(c: AgentConfig): AgentView {
  return { ...RO, ...c } as AgentView;
}

function patched(current: AgentConfig, patch: Record<string, unknown>): AgentConfig {
  expect(validatePatch(patch)).toEqual([]);
  const r = patchAgentConfig(viewOf(current), patch);
  if (!r.ok) throw new Error(`patch failed: ${JSON.stringify(r)}`);
  return r.config;
}

function patchErrors(current: AgentConfig, patch: Record<string, unknown>): FieldError[] {
  expect(validatePatch(patch)).toEqual([]);
  const r = patchAgentConfig(viewOf(current), patch);
  if (r.ok || !('errors' in r)) throw new Error(`expected errors, got ${JSON.stringify(r)}`);
  return r.errors;
}

const only = (errors: FieldError[]) => errors.map((e) => e.field);

const DEFAULTS: AgentConfig = {
  name: 'Front desk',
  persona: '',
  primaryLanguage: 'en',
  languages: ['en'],
  sku: 'single_language',
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

const base = () => created({ name: 'Front desk' });
const WEEK = { mon: [{ start: '09:00', end: '17:00' }] };

describe('nameKey', () => {
  it('trims, NFC-normalises and lower-cases', () => {
    expect(nameKey('  Front Desk ')).toBe('front desk');
    expect(nameKey('Cafe\u0301')).toBe(nameKey('CAFÉ'));
  });
});

describe('create: defaults and normalisation', () => {
  it('fills every default, members in agent.md order', () => {
    const c = base();
    expect(c).toEqual(DEFAULTS);
    expect(Object.keys(c)).toEqual([...EDITABLE_FIELDS]);
  });

  it('objects whose members all have defaults are stored complete', () => {
    const c = created({
      name: 'x',
      lexicon: { banned: ['cheap'] },
      voiceSettings: { speed: 1.1 },
      endpointing: { semantic: false },
      handoffConfig: { warm: true },
    });
    expect(c.lexicon).toEqual({ preferred: [], banned: ['cheap'], pronunciations: {} });
    expect(c.voiceSettings).toEqual({ ...DEFAULTS.voiceSettings, speed: 1.1 });
    expect(c.endpointing).toEqual({ ...DEFAULTS.endpointing, semantic: false });
    expect(c.handoffConfig).toEqual({ ...DEFAULTS.handoffConfig, warm: true });
  });

  it('as-given objects stay as given ({} stays {})', () => {
    const c = created({ name: 'x', callControl: { maxCallSeconds: 900 }, channelOverrides: { chat: { tone: 'brief' } } });
    expect(c.callControl).toEqual({ maxCallSeconds: 900 });
    expect(c.channelOverrides).toEqual({ chat: { tone: 'brief' } });
    expect(c.businessHours).toEqual({});
  });

  it('null members of as-given objects are not stored (null = absent = platform default)', () => {
    const c = created({
      name: 'x',
      callControl: { maxDurationMessage: null },
      channelOverrides: { chat: { greeting: null } },
      businessHours: { timezone: 'UTC', weekly: {}, afterHours: { message: null, number: null } },
    });
    expect(c.callControl).toEqual({});
    expect(c.channelOverrides).toEqual({ chat: {} });
    expect(c.businessHours).toEqual({ timezone: 'UTC', weekly: {}, afterHours: {} });
  });

  it('trims the name; 120 code points after trimming', () => {
    expect(created({ name: '  Front desk \n' }).name).toBe('Front desk');
    expect(created({ name: ` ${'😀'.repeat(120)} ` }).name).toBe('😀'.repeat(120));
  });

  it('language defaults resolve in the order primaryLanguage, languages, sku', () => {
    expect(created({ name: 'x', languages: ['es', 'en'] })).toMatchObject({ primaryLanguage: 'es', languages: ['es', 'en'], sku: 'code_switch' });
    expect(created({ name: 'x', primaryLanguage: 'de' })).toMatchObject({ primaryLanguage: 'de', languages: ['de'], sku: 'single_language' });
    expect(created({ name: 'x', primaryLanguage: 'fr', languages: ['en', 'fr'] })).toMatchObject({ primaryLanguage: 'fr', sku: 'code_switch' });
    expect(created({ name: 'x', languages: ['en', 'es'], sku: 'code_switch' }).sku).toBe('code_switch');
    expect(created({ name: 'x', languages: ['en'], sku: 'code_switch' }).sku).toBe('code_switch');
  });

  it('canonicalises language tags, voiceMap keys included', () => {
    const c = created({ name: 'x', primaryLanguage: 'en-us', languages: ['EN-us', 'zh-hant-tw'], voiceMap: { 'en-US': 'a', 'ZH-HANT-TW': 'b' } });
    expect(c.primaryLanguage).toBe('en-US');
    expect(c.languages).toEqual(['en-US', 'zh-Hant-TW']);
    expect(c.voiceMap).toEqual({ 'en-US': 'a', 'zh-Hant-TW': 'b' });
  });

  it('normalises every destination; SIP URIs stay as given', () => {
    const c = created({
      name: 'x',
      handoffConfig: {
        transferDestination: '(415) 555-0134',
        transferRules: [
          { label: 'a', when: 'w', destination: '1.415.555.0134' },
          { label: 'b', when: 'w', destination: 'SIP:Desk@Example.com' },
        ],
      },
      businessHours: { timezone: 'UTC', weekly: {}, afterHours: { mode: 'forward', number: '415 555 0199', emergencyNumber: '+44 20 7946 0958' } },
    });
    expect(c.handoffConfig.transferDestination).toBe('+14155550134');
    expect(c.handoffConfig.transferRules.map((r) => r.destination)).toEqual(['+14155550134', 'SIP:Desk@Example.com']);
    expect(c.businessHours.afterHours).toEqual({ mode: 'forward', number: '+14155550199', emergencyNumber: '+442079460958' });
  });

  it('keeps timezones as written (links are not rewritten)', () => {
    expect(created({ name: 'x', businessHours: { timezone: 'US/Eastern', weekly: WEEK } }).businessHours.timezone).toBe('US/Eastern');
  });

  it('read-only fields in a create body are errors, each named', () => {
    const r = createAgentConfig({ name: 'x', id: 'agt_x', version: 1, createdAt: RO.createdAt });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'createdAt', message: 'read-only' },
        { field: 'id', message: 'read-only' },
        { field: 'version', message: 'read-only' },
      ],
    });
  });

  it('does not mutate its input', () => {
    const body = { name: ' x ', languages: ['en-us'], handoffConfig: { transferDestination: '4155550134' } };
    const copy = structuredClone(body);
    created(body);
    expect(body).toEqual(copy);
  });
});

describe('cross-field rules name agent.md fields', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['primaryLanguage not in languages', { primaryLanguage: 'de', languages: ['en', 'fr'] }, 'primaryLanguage'],
    ['single_language with several languages', { languages: ['en', 'fr'], sku: 'single_language' }, 'sku'],
    ['voiceMap key not in languages', { voiceMap: { fr: 'v' } }, 'voiceMap.fr'],
    ['voiceMap key not in languages, as written', { languages: ['en'], voiceMap: { 'fr-ca': 'v' } }, 'voiceMap.fr-ca'],
    ['maxSilenceMs < minSilenceMs', { endpointing: { minSilenceMs: 3000 } }, 'endpointing.maxSilenceMs'],
    ['transfer without a destination', { callControl: { onNoResponseAction: 'transfer' } }, 'callControl.onNoResponseAction'],
    ['forward without a number', { businessHours: { timezone: 'UTC', weekly: {}, afterHours: { mode: 'forward' } } }, 'businessHours.afterHours.number'],
    ['allowHumanTransfer without a number', { businessHours: { timezone: 'UTC', weekly: {}, afterHours: { allowHumanTransfer: true } } }, 'businessHours.afterHours.number'],
    ['schedule without timezone', { businessHours: { weekly: WEEK } }, 'businessHours.timezone'],
    ['schedule without weekly', { businessHours: { timezone: 'UTC' } }, 'businessHours.weekly'],
    ['start == end', { businessHours: { timezone: 'UTC', weekly: { tue: [{ start: '09:00', end: '09:00' }] } } }, 'businessHours.weekly.tue[0].end'],
    [
      'overlapping ranges: the later one',
      { businessHours: { timezone: 'UTC', weekly: { mon: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '17:00' }] } } },
      'businessHours.weekly.mon[1].start',
    ],
    [
      'overlap with an overnight range (covers start→24:00)',
      { businessHours: { timezone: 'UTC', weekly: { fri: [{ start: '22:00', end: '02:00' }, { start: '23:00', end: '24:00' }] } } },
      'businessHours.weekly.fri[1].start',
    ],
    [
      'later in time even when listed first',
      { businessHours: { timezone: 'UTC', weekly: { mon: [{ start: '10:00', end: '12:00' }, { start: '08:00', end: '11:00' }] } } },
      'businessHours.weekly.mon[0].start',
    ],
    [
      'endDate before date',
      { businessHours: { timezone: 'UTC', weekly: {}, holidays: [{ date: '2026-12-24', endDate: '2026-12-23', name: 'x' }] } },
      'businessHours.holidays[0].endDate',
    ],
    [
      'closed (by default) with ranges',
      { businessHours: { timezone: 'UTC', weekly: {}, holidays: [{ date: '2026-12-24', name: 'x', ranges: [{ start: '09:00', end: '12:00' }] }] } },
      'businessHours.holidays[0].ranges',
    ],
    [
      'open without ranges',
      { businessHours: { timezone: 'UTC', weekly: {}, holidays: [{ date: '2026-12-24', name: 'x', closed: false }] } },
      'businessHours.holidays[0].ranges',
    ],
    [
      'open with empty ranges',
      { businessHours: { timezone: 'UTC', weekly: {}, holidays: [{ date: '2026-12-24', name: 'x', closed: false, ranges: [] }] } },
      'businessHours.holidays[0].ranges',
    ],
    [
      'overlap inside a holiday',
      {
        businessHours: {
          timezone: 'UTC',
          weekly: {},
          holidays: [{ date: '2026-12-24', name: 'x', closed: false, ranges: [{ start: '09:00', end: '12:00' }, { start: '09:00', end: '10:00' }] }],
        },
      },
      'businessHours.holidays[0].ranges[1].start',
    ],
    ['duplicate language after canonicalisation', { languages: ['en-US', 'en-us'] }, 'languages[1]'],
    ['duplicate voiceMap key after canonicalisation', { languages: ['en-US'], voiceMap: { 'en-US': 'a', 'EN-us': 'b' } }, 'voiceMap.EN-us'],
    [
      'duplicate rule label',
      {
        handoffConfig: {
          transferRules: [
            { label: 'a', when: 'w', destination: '+14155550134' },
            { label: 'b', when: 'w', destination: '+14155550134' },
            { label: 'a', when: 'w', destination: '+14155550134' },
          ],
        },
      },
      'handoffConfig.transferRules[2].label',
    ],
  ])('%s', (_title, body, field) => {
    expect(only(createErrors({ name: 'x', ...body }))).toEqual([field]);
  });

  it('touching ranges and spills into the next day are fine', () => {
    created({
      name: 'x',
      businessHours: {
        timezone: 'Europe/Berlin',
        weekly: {
          mon: [{ start: '09:00', end: '12:00' }, { start: '12:00', end: '17:00' }, { start: '22:00', end: '24:00' }],
          tue: [{ start: '00:00', end: '06:00' }, { start: '20:00', end: '03:00' }],
          wed: [{ start: '01:00', end: '05:00' }],
        },
        holidays: [{ date: '2026-12-24', endDate: '2026-12-24', name: 'Eve', closed: false, ranges: [{ start: '09:00', end: '12:00' }] }],
      },
    });
  });

  it('24/7 is every day 00:00–24:00', () => {
    const all = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
    expect(created({ name: 'x', businessHours: { timezone: 'UTC', weekly: all } }).businessHours.weekly).toEqual(all);
  });

  it('transfer with a destination and forward with a number are fine', () => {
    created({ name: 'x', callControl: { onNoResponseAction: 'transfer' }, handoffConfig: { transferDestination: '+14155550134' } });
    created({ name: 'x', businessHours: { timezone: 'UTC', weekly: {}, afterHours: { mode: 'forward', number: 'sip:desk@pbx' } } });
  });

  it('maxSilenceMs == minSilenceMs is fine', () => {
    created({ name: 'x', endpointing: { minSilenceMs: 5000, maxSilenceMs: 5000 } });
  });

  it('lists every error, sorted by field', () => {
    const errors = createErrors({
      name: 'x',
      id: 'agt_1',
      languages: ['en', 'fr', 'EN'],
      sku: 'single_language',
      voiceMap: { de: 'v' },
      endpointing: { minSilenceMs: 3000, maxSilenceMs: 2999 },
      callControl: { onNoResponseAction: 'transfer' },
      businessHours: { afterHours: { mode: 'forward' } },
    });
    expect(errors).toEqual([
      { field: 'businessHours.afterHours.number', message: 'required when mode is forward or allowHumanTransfer is true' },
      { field: 'businessHours.timezone', message: 'required when a schedule is set' },
      { field: 'businessHours.weekly', message: 'required when a schedule is set' },
      { field: 'callControl.onNoResponseAction', message: 'transfer requires handoffConfig.transferDestination' },
      { field: 'endpointing.maxSilenceMs', message: 'must be at least minSilenceMs' },
      { field: 'id', message: 'read-only' },
      { field: 'languages[2]', message: 'duplicate language (same as languages[0])' },
      { field: 'sku', message: 'single_language requires exactly one language' },
      { field: 'voiceMap.de', message: 'must be one of languages' },
    ]);
  });
});

describe('patch: read-only fields', () => {
  it('equal read-only values are accepted and ignored (timestamps as instants, ms)', () => {
    const c = base();
    expect(patched(c, { ...RO })).toEqual(c);
    expect(patched(c, { createdAt: '2026-11-22T09:05:49.123+01:00', updatedAt: '2026-11-23T10:00:00Z' })).toEqual(c);
    expect(patched(c, { createdAt: '2026-11-22T08:05:49.1239Z' })).toEqual(c);
  });

  it('a differing version is a version conflict, checked first', () => {
    const c = base();
    expect(patchAgentConfig(viewOf(c), { version: 2, id: 'agt_other', name: '' })).toEqual({ ok: false, versionConflict: true });
    expect(patchAgentConfig(viewOf(c), { version: 3 }).ok).toBe(true);
  });

  it('other differing read-only values are "read-only" errors, with the other errors', () => {
    const c = base();
    expect(patchErrors(c, { id: 'agt_other', status: 'published', createdAt: '2026-11-22T08:05:49.124Z', updatedAt: 'yesterday', version: '3', sku: 'single_language', languages: ['en', 'de'] })).toEqual([
      { field: 'createdAt', message: 'read-only' },
      { field: 'id', message: 'read-only' },
      { field: 'sku', message: 'single_language requires exactly one language' },
      { field: 'status', message: 'read-only' },
      { field: 'updatedAt', message: 'read-only' },
      { field: 'version', message: 'read-only' },
    ]);
  });
});

describe('patch: JSON Merge Patch with agent.md null semantics', () => {
  const rich = () =>
    created({
      name: 'Front desk',
      persona: 'p',
      languages: ['en-US', 'es'],
      enabledChannels: ['voice'],
      goals: ['g'],
      tone: 't',
      lexicon: { preferred: ['a'], banned: ['b'], pronunciations: { 'Dr.': 'doctor', St: 'saint' } },
      voiceMap: { 'en-US': 'rachel', es: 'lucia' },
      defaultVoiceId: 'rachel',
      voiceSettings: { stability: 0.1, speed: 1.2 },
      llmModel: 'm',
      llmTemperature: 1,
      endpointing: { minSilenceMs: 500, maxSilenceMs: 900 },
      greeting: 'Hello',
      handoffConfig: { warm: true, transferDestination: '4155550134', escalationThreshold: 5 },
      callControl: { maxCallSeconds: 900, maxIdleReminders: 0 },
      businessHours: { timezone: 'Europe/Berlin', weekly: WEEK, afterHours: { mode: 'take_message', message: 'Closed' } },
      channelOverrides: { voice: { tone: 'calm' }, chat: { greeting: 'Hi' } },
      avgTicketCents: 5000,
      isActive: false,
    });

  it('{} changes nothing, also nested', () => {
    const c = rich();
    expect(patched(c, {})).toEqual(c);
    expect(patched(c, { lexicon: {}, voiceSettings: {}, callControl: {}, businessHours: {}, channelOverrides: { voice: {} }, voiceMap: {} })).toEqual(c);
  });

  it('null on a nullable field stores null', () => {
    const c = patched(rich(), { defaultVoiceId: null, greeting: null, avgTicketCents: null, handoffConfig: { transferDestination: null } });
    expect(c.defaultVoiceId).toBeNull();
    expect(c.greeting).toBeNull();
    expect(c.avgTicketCents).toBeNull();
    expect(c.handoffConfig).toEqual({ ...DEFAULTS.handoffConfig, warm: true, escalationThreshold: 5 });
  });

  it('null on a field with a default restores the default', () => {
    const c = patched(rich(), {
      persona: null,
      enabledChannels: null,
      goals: null,
      tone: null,
      llmModel: null,
      llmTemperature: null,
      isActive: null,
      voiceSettings: null,
      endpointing: null,
      lexicon: null,
      voiceMap: null,
    });
    expect(c).toMatchObject({
      persona: '',
      enabledChannels: ['voice', 'chat'],
      goals: [],
      tone: '',
      llmModel: 'default',
      llmTemperature: 0.4,
      isActive: true,
      voiceSettings: DEFAULTS.voiceSettings,
      endpointing: DEFAULTS.endpointing,
      lexicon: DEFAULTS.lexicon,
      voiceMap: {},
    });
  });

  it('null on a member with a default restores that member only', () => {
    const c = patched(rich(), { voiceSettings: { speed: null }, endpointing: { maxSilenceMs: null }, handoffConfig: { warm: null }, lexicon: { banned: null } });
    expect(c.voiceSettings).toEqual({ ...DEFAULTS.voiceSettings, stability: 0.1 });
    expect(c.endpointing).toEqual({ minSilenceMs: 500, maxSilenceMs: 2000, semantic: true });
    expect(c.handoffConfig.warm).toBe(false);
    expect(c.handoffConfig.transferDestination).toBe('+14155550134');
    expect(c.lexicon).toEqual({ preferred: ['a'], banned: [], pronunciations: { 'Dr.': 'doctor', St: 'saint' } });
  });

  it('null on a member without a default removes it', () => {
    const c = patched(rich(), {
      callControl: { maxCallSeconds: null },
      businessHours: { afterHours: { message: null } },
      channelOverrides: { voice: null, chat: { greeting: null } },
      voiceMap: { es: null },
      lexicon: { pronunciations: { 'Dr.': null } },
    });
    expect(c.callControl).toEqual({ maxIdleReminders: 0 });
    expect(c.businessHours).toEqual({ timezone: 'Europe/Berlin', weekly: WEEK, afterHours: { mode: 'take_message' } });
    expect(c.channelOverrides).toEqual({ chat: {} });
    expect(c.voiceMap).toEqual({ 'en-US': 'rachel' });
    expect(c.lexicon.pronunciations).toEqual({ St: 'saint' });
  });

  it('businessHours: null makes the hours unconfigured; members merge', () => {
    expect(patched(rich(), { businessHours: null }).businessHours).toEqual({});
    const c = patched(rich(), { businessHours: { weekly: { tue: [{ start: '10:00', end: '11:00' }] } } });
    expect(c.businessHours.weekly).toEqual({ ...WEEK, tue: [{ start: '10:00', end: '11:00' }] });
    expect(patched(rich(), { businessHours: { weekly: { mon: null } } }).businessHours.weekly).toEqual({});
    expect(patchErrors(rich(), { businessHours: { timezone: null } })).toEqual([
      { field: 'businessHours.timezone', message: 'required when a schedule is set' },
    ]);
  });

  it('arrays and scalars replace', () => {
    const c = patched(rich(), { goals: ['x', 'y'], lexicon: { preferred: ['z'] }, name: '  New name ' });
    expect(c.goals).toEqual(['x', 'y']);
    expect(c.lexicon.preferred).toEqual(['z']);
    expect(c.name).toBe('New name');
  });

  it('name: null is a validation error (domain level too)', () => {
    expect(patchAgentConfig(viewOf(rich()), { name: null })).toEqual({ ok: false, errors: [{ field: 'name', message: 'cannot be null' }] });
  });

  it('voiceMap entries merge by canonical tag', () => {
    const c = patched(rich(), { voiceMap: { 'en-us': 'adam' } });
    expect(c.voiceMap).toEqual({ 'en-US': 'adam', es: 'lucia' });
    expect(patched(rich(), { voiceMap: { 'EN-US': null } }).voiceMap).toEqual({ es: 'lucia' });
  });

  it('the merged document is validated as a whole', () => {
    expect(only(patchErrors(rich(), { endpointing: { minSilenceMs: 1000 } }))).toEqual(['endpointing.maxSilenceMs']);
    expect(only(patchErrors(rich(), { callControl: { onNoResponseAction: 'transfer' }, handoffConfig: { transferDestination: null } }))).toEqual([
      'callControl.onNoResponseAction',
    ]);
    expect(only(patchErrors(rich(), { languages: ['en-US'] }))).toEqual(['voiceMap.es']);
  });

  it('does not mutate the current agent', () => {
    const c = rich();
    const view = viewOf(c);
    const copy = structuredClone(view);
    patchAgentConfig(view, { lexicon: { pronunciations: { 'Dr.': null } }, callControl: { maxCallSeconds: null }, voiceMap: { es: null } });
    expect(view).toEqual(copy);
  });
});

describe('patch: languages and sku', () => {
  it('a write that changes languages without sku recomputes it', () => {
    const c = base();
    expect(patched(c, { languages: ['en', 'es'] })).toMatchObject({ languages: ['en', 'es'], sku: 'code_switch', primaryLanguage: 'en' });
    const multi = created({ name: 'x', languages: ['en', 'es'] });
    expect(patched(multi, { languages: ['en'] })).toMatchObject({ languages: ['en'], sku: 'single_language' });
  });

  it('an explicit sku wins; sku null recomputes', () => {
    const c = base();
    expect(patched(c, { sku: 'code_switch' }).sku).toBe('code_switch');
    expect(patched(patched(c, { sku: 'code_switch' }), { sku: null }).sku).toBe('single_language');
    expect(only(patchErrors(c, { languages: ['en', 'es'], sku: 'single_language' }))).toEqual(['sku']);
  });

  it('sku is kept when languages do not change', () => {
    const c = patched(base(), { sku: 'code_switch' });
    expect(patched(c, { languages: ['en'] }).sku).toBe('code_switch');
    expect(patched(c, { persona: 'x' }).sku).toBe('code_switch');
  });

  it('a patch never moves a field it does not send: a new primaryLanguage alone must be listed', () => {
    expect(only(patchErrors(base(), { primaryLanguage: 'de-de' }))).toEqual(['primaryLanguage']);
    expect(patched(base(), { primaryLanguage: 'de-de', languages: ['de-DE'] })).toMatchObject({ primaryLanguage: 'de-DE', languages: ['de-DE'], sku: 'single_language' });
    expect(patched(base(), { primaryLanguage: null, languages: ['de-de'] })).toMatchObject({ primaryLanguage: 'de-DE', languages: ['de-DE'] });
  });

  it('a multi-language agent keeps its languages; the primary must be one of them', () => {
    const multi = created({ name: 'x', languages: ['en', 'es'] });
    expect(patched(multi, { primaryLanguage: 'es' })).toMatchObject({ primaryLanguage: 'es', languages: ['en', 'es'] });
    expect(only(patchErrors(multi, { primaryLanguage: 'de' }))).toEqual(['primaryLanguage']);
  });

  it('new languages without the stored primary are a validation_error on primaryLanguage (agent.md: the merged result is validated)', () => {
    const multi = created({ name: 'x', languages: ['en', 'es'] });
    expect(only(patchErrors(multi, { languages: ['fr', 'de'] }))).toEqual(['primaryLanguage']);
    expect(patched(multi, { languages: ['fr', 'de'], primaryLanguage: 'fr' })).toMatchObject({ primaryLanguage: 'fr', languages: ['fr', 'de'], sku: 'code_switch' });
    const esPrimary = created({ name: 'x', primaryLanguage: 'es', languages: ['en', 'es'] });
    expect(patched(esPrimary, { languages: ['de', 'es'] }).primaryLanguage).toBe('es');
  });

  it('nulls: primaryLanguage → first language; languages → [primary]; both → en', () => {
    const multi = created({ name: 'x', primaryLanguage: 'es', languages: ['en', 'es'] });
    expect(patched(multi, { primaryLanguage: null }).primaryLanguage).toBe('en');
    expect(patched(multi, { languages: null })).toMatchObject({ languages: ['es'], primaryLanguage: 'es', sku: 'single_language' });
    expect(patched(multi, { languages: null, primaryLanguage: null })).toMatchObject({ languages: ['en'], primaryLanguage: 'en' });
  });
});

describe('GET body round-trips', () => {
  const full = () =>
    created({
      name: '  Réception  ',
      primaryLanguage: 'en-us',
      languages: ['en-us', 'es'],
      voiceMap: { 'EN-US': 'rachel' },
      lexicon: { pronunciations: { 'Dr.': 'doctor' } },
      handoffConfig: { transferDestination: '(415) 555-0134', transferRules: [{ label: 'a', when: 'w', destination: 'sip:A@B' }] },
      callControl: { maxCallSeconds: 600, onNoResponseAction: 'transfer' },
      businessHours: {
        timezone: 'US/Eastern',
        weekly: { fri: [{ start: '22:00', end: '02:00' }], mon: [{ start: '09:00', end: '17:00' }] },
        holidays: [{ date: '2026-12-24', name: 'Eve', closed: false, ranges: [{ start: '09:00', end: '12:00' }] }],
        afterHours: { allowHumanTransfer: true, number: '415-555-0199' },
      },
      channelOverrides: { chat: { enabled: false, greeting: '' } },
    });

  it('a GET body sent back as PATCH is valid and changes nothing', () => {
    for (const c of [base(), full()]) {
      const view = JSON.parse(JSON.stringify(viewOf(c))) as Record<string, unknown>;
      expect(validatePatch(view)).toEqual([]);
      const r = patchAgentConfig(viewOf(c), view);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(configsEqual(r.config, c)).toBe(true);
        expect(changedFields(c, r.config)).toEqual([]);
      }
    }
  });

  it('without read-only fields it is a valid POST body creating an equal agent', () => {
    const c = full();
    const body = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
    expect(created(body)).toEqual(c);
  });

  it('property: a created config patched with its own view is unchanged', () => {
    const tag = fc.constantFrom('en', 'en-us', 'es', 'de-DE', 'fr-ca', 'zh-hant-tw');
    const phone = fc.constantFrom('(415) 555-0134', '+44 20 7946 0958', 'sip:desk@pbx.example', '1-415-555-0199');
    const body = fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0),
        languages: fc.uniqueArray(tag, { minLength: 1, maxLength: 4, selector: (t) => t.toLowerCase() }),
        persona: fc.string({ maxLength: 30 }),
        goals: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
        llmTemperature: fc.double({ min: 0, max: 2, noNaN: true }),
        voiceSettings: fc.record({ stability: fc.double({ min: 0, max: 1, noNaN: true }), speed: fc.constantFrom(0.7, 1, 1.2) }, { requiredKeys: [] }),
        handoffConfig: fc.record({ transferDestination: fc.option(phone, { nil: null }), warm: fc.boolean() }, { requiredKeys: [] }),
        callControl: fc.record({ maxCallSeconds: fc.integer({ min: 60, max: 7200 }), endCallPhrasesEnabled: fc.boolean() }, { requiredKeys: [] }),
        businessHours: fc.constantFrom({}, { timezone: 'Europe/Berlin', weekly: { sat: [{ start: '10:00', end: '14:00' }] }, afterHours: { emergencyNumber: '911 555 0100' } }),
        avgTicketCents: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
        isActive: fc.boolean(),
      },
      { requiredKeys: ['name'] },
    );
    fc.assert(
      fc.property(body, (b) => {
        expect(validateCreate(b)).toEqual([]);
        const r = createAgentConfig(b as Record<string, unknown>);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const view = JSON.parse(JSON.stringify(viewOf(r.config))) as Record<string, unknown>;
        expect(validatePatch(view)).toEqual([]);
        const p = patchAgentConfig(viewOf(r.config), view);
        expect(p.ok).toBe(true);
        if (p.ok) expect(configsEqual(p.config, r.config)).toBe(true);
        const again = createAgentConfig(JSON.parse(JSON.stringify(r.config)) as Record<string, unknown>);
        expect(again.ok && configsEqual(again.config, r.config)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('configsEqual / changedFields', () => {
  it('compares deeply, independent of key order', () => {
    const a = base();
    const b = { ...a, voiceSettings: { speed: 1, useSpeakerBoost: true, style: 0, similarityBoost: 0.75, stability: 0.5 } } as AgentConfig;
    expect(configsEqual(a, b)).toBe(true);
    expect(configsEqual(a, { ...a, goals: ['x'] })).toBe(false);
  });

  it('lists the changed top-level fields, sorted', () => {
    const a = base();
    const b = patched(a, { tone: 'x', languages: ['en', 'es'], voiceSettings: { speed: 0.9 } });
    expect(changedFields(a, b)).toEqual(['languages', 'sku', 'tone', 'voiceSettings']);
    expect(changedFields(a, a)).toEqual([]);
  });

  it('configOf takes the editable fields of a view', () => {
    const c = base();
    expect(configOf(viewOf(c))).toEqual(c);
    expect(Object.keys(configOf(viewOf(c)))).not.toContain(READ_ONLY_FIELDS[0]);
  });
});

describe('defaults tables, derived from the schema\'s `default` annotations', () => {
  it('hold agent.md\'s defaults (written out here from the spec, not imported)', async () => {
    const d = await import('../../src/domain/agents/defaults.js');
    expect(Object.keys(d.DEFAULTED_OBJECTS)).toEqual(['lexicon', 'voiceSettings', 'endpointing', 'handoffConfig']);
    expect(d.DEFAULTED_OBJECTS.lexicon!()).toEqual({ preferred: [], banned: [], pronunciations: {} });
    expect(d.DEFAULTED_OBJECTS.voiceSettings!()).toEqual({ stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1.0 });
    expect(d.DEFAULTED_OBJECTS.endpointing!()).toEqual({ minSilenceMs: 400, maxSilenceMs: 2000, semantic: true });
    expect(d.DEFAULTED_OBJECTS.handoffConfig!()).toEqual({ warm: false, transferDestination: null, escalationThreshold: 3, contextSummaryUrl: null, transferRules: [] });
    expect(d.AS_GIVEN_OBJECTS).toEqual(['callControl', 'businessHours', 'channelOverrides']);
    expect(d.NULLABLE_FIELDS).toEqual(['defaultVoiceId', 'greeting', 'avgTicketCents']);
    expect(Object.fromEntries(Object.entries(d.SCALAR_DEFAULTS).map(([k, f]) => [k, f()]))).toEqual({
      persona: '', enabledChannels: ['voice', 'chat'], goals: [], neverDo: [], tone: '', voiceMap: {}, defaultVoiceId: null,
      llmModel: 'default', llmTemperature: 0.4, ttsModel: 'default', sttModel: 'default', greeting: null, avgTicketCents: null, isActive: true,
    });
  });

  it('hand out fresh copies (mutating one default never changes the next)', async () => {
    const d = await import('../../src/domain/agents/defaults.js');
    (d.DEFAULTED_OBJECTS.lexicon!().preferred as string[]).push('x');
    (d.SCALAR_DEFAULTS.enabledChannels!() as string[]).push('x');
    expect(d.DEFAULTED_OBJECTS.lexicon!().preferred).toEqual([]);
    expect(d.SCALAR_DEFAULTS.enabledChannels!()).toEqual(['voice', 'chat']);
  });
});
