import { describe, it, expect } from 'vitest';
import { AgentCreateBody, AgentPatchBody, Agent, READ_ONLY_FIELDS } from '../../src/contracts/agent.js';
import { compileBodyValidator, createAjv, findReservedKeys, renderPath } from '../../src/contracts/validator.js';
import type { FieldError } from '../../src/errors.js';

const validateCreate = compileBodyValidator(AgentCreateBody);
const validatePatch = compileBodyValidator(AgentPatchBody);

const create = (extra: Record<string, unknown>) => validateCreate({ name: 'Front desk', ...extra });
const fieldsOf = (errors: FieldError[]) => errors.map((e) => e.field);
const messageAt = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

/** Sets a value at a dotted path of a fresh object, e.g. at('voiceSettings.speed', 1). */
function at(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  const root: Record<string, unknown> = {};
  let cur = root;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) cur[k] = value;
    else cur = (cur[k] = {}) as Record<string, unknown>;
  });
  return root;
}

function expectValid(body: Record<string, unknown>) {
  expect(create(body)).toEqual([]);
}
function expectInvalid(body: Record<string, unknown>, field: string, message?: string | RegExp) {
  const errors = create(body);
  expect(fieldsOf(errors)).toEqual([field]);
  if (typeof message === 'string') expect(errors[0]!.message).toBe(message);
  else if (message) expect(errors[0]!.message).toMatch(message);
}

describe('renderPath', () => {
  it('renders dotted paths, [i] and JSON-quoted odd keys', () => {
    expect(renderPath([])).toBe('');
    expect(renderPath(['name'])).toBe('name');
    expect(renderPath(['handoffConfig', 'transferRules', 1, 'destination'])).toBe('handoffConfig.transferRules[1].destination');
    expect(renderPath(['lexicon', 'pronunciations', 'Dr.'])).toBe('lexicon.pronunciations["Dr."]');
    expect(renderPath(['voiceMap', 'en-US'])).toBe('voiceMap.en-US');
    expect(renderPath(['voiceMap', 'zh_Hant'])).toBe('voiceMap.zh_Hant');
    expect(renderPath(['x', 'a "q"'])).toBe('x["a \\"q\\""]');
    expect(renderPath(['x', ''])).toBe('x[""]');
    expect(renderPath(['odd key'])).toBe('["odd key"]');
    expect(renderPath(['a', 'é'])).toBe('a["é"]');
  });
});

describe('non-object bodies', () => {
  it.each([[[]], ['str'], [1], [null], [true], [[{ name: 'x' }]]])('%j → field ""', (body) => {
    expect(validateCreate(body)).toEqual([{ field: '', message: 'must be a JSON object' }]);
    expect(validatePatch(body)).toEqual([{ field: '', message: 'must be a JSON object' }]);
  });
});

describe('create body shape', () => {
  it('requires name', () => {
    expect(validateCreate({})).toEqual([{ field: 'name', message: 'required' }]);
  });

  it('accepts a minimal and a full body', () => {
    expectValid({});
    expectValid({
      persona: 'You are the front desk.',
      primaryLanguage: 'en-us',
      languages: ['en-US', 'es'],
      sku: 'code_switch',
      enabledChannels: ['voice'],
      goals: ['book appointments'],
      neverDo: ['give medical advice'],
      tone: 'warm',
      lexicon: { preferred: ['appointment'], banned: ['cheap'], pronunciations: { 'Dr.': 'doctor' } },
      voiceMap: { 'en-us': 'rachel', es: 'lucia' },
      defaultVoiceId: 'rachel',
      voiceSettings: { stability: 0, similarityBoost: 1, style: 0.3, useSpeakerBoost: false, speed: 0.7 },
      llmModel: 'gpt',
      llmTemperature: 0,
      ttsModel: 'tts',
      sttModel: 'stt',
      endpointing: { minSilenceMs: 100, maxSilenceMs: 10000, semantic: false },
      greeting: null,
      handoffConfig: {
        warm: true,
        transferDestination: '(415) 555-0134',
        escalationThreshold: 0,
        contextSummaryUrl: 'https://example.com/h',
        transferRules: [{ label: 'billing', when: 'invoices', destination: 'sip:billing@example.com' }],
      },
      callControl: { maxCallSeconds: 60, maxDurationMessage: null, onNoResponseAction: 'transfer' },
      businessHours: {
        timezone: 'America/New_York',
        weekly: { mon: [{ start: '09:00', end: '17:00' }], sun: [] },
        holidays: [{ date: '2026-12-24', endDate: '2026-12-26', name: 'Xmas', closed: true }],
        afterHours: { mode: 'forward', message: null, allowHumanTransfer: true, number: '+14155550134', emergencyNumber: null },
      },
      channelOverrides: { voice: { enabled: false }, chat: { greeting: 'Hi', llmTemperature: 2 } },
      avgTicketCents: 0,
      isActive: false,
    });
  });

  it('accepts read-only fields with any value (the domain reports them)', () => {
    for (const f of READ_ONLY_FIELDS) expectValid({ [f]: { anything: [1, 'x'] } });
  });

  it('names every unknown field, nested ones included', () => {
    const errors = create({
      foo: 1,
      lexicon: { extra: [] },
      voiceSettings: { volume: 1 },
      businessHours: { timezone: 'UTC', weekly: { funday: [] } },
      handoffConfig: { transferRules: [{ label: 'a', when: 'b', destination: '+14155550134', priority: 1 }] },
      callControl: { maxCalls: 1 },
      channelOverrides: { voice: { volume: 2 } },
    });
    expect(errors).toEqual([
      { field: 'businessHours.weekly.funday', message: 'unknown field' },
      { field: 'callControl.maxCalls', message: 'unknown field' },
      { field: 'channelOverrides.voice.volume', message: 'unknown field' },
      { field: 'foo', message: 'unknown field' },
      { field: 'handoffConfig.transferRules[0].priority', message: 'unknown field' },
      { field: 'lexicon.extra', message: 'unknown field' },
      { field: 'voiceSettings.volume', message: 'unknown field' },
    ]);
  });

  it('a channelOverrides key other than voice/chat names channelOverrides.<key>', () => {
    expectInvalid({ channelOverrides: { sms: {} } }, 'channelOverrides.sms', 'must be one of: voice, chat');
    expectInvalid({ channelOverrides: { 'web chat': {} } }, 'channelOverrides["web chat"]');
  });

  it('lists several errors sorted by field, one per field', () => {
    const errors = validateCreate({
      name: '',
      llmTemperature: 'hot',
      goals: ['', 'x'.repeat(501)],
      enabledChannels: ['voice', 'voice', 'sms'],
      avgTicketCents: -1,
    });
    expect(errors).toEqual([
      { field: 'avgTicketCents', message: 'must be between 0 and 100000000' },
      { field: 'enabledChannels[1]', message: 'duplicate' },
      { field: 'enabledChannels[2]', message: 'must be one of: voice, chat' },
      { field: 'goals[0]', message: 'must not be empty' },
      { field: 'goals[1]', message: 'must be at most 500 characters' },
      { field: 'llmTemperature', message: 'must be a number' },
      { field: 'name', message: 'must be 1–120 characters after trimming' },
    ]);
    expect(new Set(fieldsOf(errors)).size).toBe(errors.length);
  });

  it('a duplicate names its second occurrence', () => {
    expectInvalid({ enabledChannels: ['voice', 'chat', 'voice'] }, 'enabledChannels[2]', 'duplicate');
  });

  it('null on a non-nullable field: "cannot be null"', () => {
    expectInvalid({ persona: null }, 'persona', 'cannot be null');
    expectInvalid({ voiceSettings: { speed: null } }, 'voiceSettings.speed', 'cannot be null');
    expect(validateCreate({ name: null })).toEqual([{ field: 'name', message: 'cannot be null' }]);
  });

  it('type errors say what is expected', () => {
    expectInvalid({ isActive: 'true' }, 'isActive', 'must be a boolean');
    expectInvalid({ goals: 'x' }, 'goals', 'must be an array');
    expectInvalid({ lexicon: [] }, 'lexicon', 'must be an object');
    expectInvalid({ endpointing: { minSilenceMs: 150.5 } }, 'endpointing.minSilenceMs', 'must be an integer');
    expectInvalid({ defaultVoiceId: 5 }, 'defaultVoiceId', 'must be a string or null');
    expectInvalid({ sku: 'multi' }, 'sku', 'must be one of: single_language, code_switch');
  });
});

describe('boundaries, field by field', () => {
  const s = (n: number, ch = 'a') => ch.repeat(n);

  it('name: 1–120 code points after trimming (emoji count as one)', () => {
    expectValid({ name: '😀'.repeat(120) });
    expectInvalid({ name: '😀'.repeat(121) }, 'name');
    expectValid({ name: s(120) });
    expectInvalid({ name: s(121) }, 'name');
    expectValid({ name: `   ${s(120)}   ` });
    expectInvalid({ name: '   ' }, 'name');
    expectInvalid({ name: 7 }, 'name', 'must be a string');
  });

  it.each([
    ['persona', 10000],
    ['tone', 200],
    ['greeting', 1000],
  ])('%s ≤ %i characters', (field, max) => {
    expectValid({ [field]: s(max) });
    expectValid({ [field]: '' });
    expectInvalid({ [field]: s(max + 1) }, field, `must be at most ${max} characters`);
    expectInvalid({ [field]: '😀'.repeat(max + 1) }, field);
    expectValid({ [field]: '😀'.repeat(max) });
  });

  it.each(['llmModel', 'ttsModel', 'sttModel', 'defaultVoiceId'])('%s is 1–100 characters', (field) => {
    expectValid({ [field]: s(1) });
    expectValid({ [field]: s(100) });
    expectInvalid({ [field]: '' }, field, 'must not be empty');
    expectInvalid({ [field]: s(101) }, field, 'must be at most 100 characters');
  });

  it('greeting and defaultVoiceId accept null', () => {
    expectValid({ greeting: null, defaultVoiceId: null, avgTicketCents: null });
  });

  it('primaryLanguage / languages: well-formed tags, 1–50', () => {
    expectValid({ primaryLanguage: 'en-us' });
    expectInvalid({ primaryLanguage: 'en_US' }, 'primaryLanguage', /language tag/);
    expectInvalid({ primaryLanguage: '' }, 'primaryLanguage');
    expectInvalid({ languages: [] }, 'languages', 'must have at least 1 item');
    const tags = Array.from({ length: 51 }, (_, i) => `x${String(i).padStart(2, '0')}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!));
    expectValid({ languages: tags.slice(0, 50) });
    expectInvalid({ languages: tags }, 'languages', 'must have at most 50 items');
    expectInvalid({ languages: ['en', 'en US'] }, 'languages[1]');
  });

  it('enabledChannels: known values only', () => {
    expectValid({ enabledChannels: [] });
    expectValid({ enabledChannels: ['chat', 'voice'] });
    expectInvalid({ enabledChannels: ['sms'] }, 'enabledChannels[0]', 'must be one of: voice, chat');
  });

  it.each(['goals', 'neverDo'])('%s: ≤ 50 items of 1–500 characters', (field) => {
    expectValid({ [field]: Array(50).fill('x') });
    expectInvalid({ [field]: Array(51).fill('x') }, field, 'must have at most 50 items');
    expectValid({ [field]: [s(500)] });
    expectInvalid({ [field]: ['ok', s(501)] }, `${field}[1]`);
    expectInvalid({ [field]: [''] }, `${field}[0]`, 'must not be empty');
  });

  it('lexicon: lists ≤ 200 items of 1–100, pronunciations ≤ 200 entries of 1–100 each side', () => {
    for (const list of ['preferred', 'banned']) {
      expectValid({ lexicon: { [list]: Array(200).fill(s(100)) } });
      expectInvalid({ lexicon: { [list]: Array(201).fill('x') } }, `lexicon.${list}`);
      expectInvalid({ lexicon: { [list]: [s(101)] } }, `lexicon.${list}[0]`);
      expectInvalid({ lexicon: { [list]: [''] } }, `lexicon.${list}[0]`);
    }
    const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'x']));
    expectValid({ lexicon: { pronunciations: entries(200) } });
    expectInvalid({ lexicon: { pronunciations: entries(201) } }, 'lexicon.pronunciations', 'must have at most 200 entries');
    expectValid({ lexicon: { pronunciations: { [s(100)]: s(100) } } });
    expectInvalid({ lexicon: { pronunciations: { [s(101)]: 'x' } } }, `lexicon.pronunciations.${s(101)}`, /key/);
    expectInvalid({ lexicon: { pronunciations: { 'Dr.': s(101) } } }, 'lexicon.pronunciations["Dr."]');
    expectInvalid({ lexicon: { pronunciations: { 'Dr.': '' } } }, 'lexicon.pronunciations["Dr."]', 'must not be empty');
    expectInvalid({ lexicon: { pronunciations: { '': 'x' } } }, 'lexicon.pronunciations[""]', /key/);
    expectInvalid({ lexicon: { pronunciations: { 'Dr.': 1 } } }, 'lexicon.pronunciations["Dr."]', 'must be a string');
  });

  it('voiceMap: language-tag keys, voice ids 1–100', () => {
    expectValid({ voiceMap: { 'en-us': s(100) } });
    expectInvalid({ voiceMap: { 'en-us': s(101) } }, 'voiceMap.en-us');
    expectInvalid({ voiceMap: { 'en-us': '' } }, 'voiceMap.en-us');
    expectInvalid({ voiceMap: { 'not a tag': 'v' } }, 'voiceMap["not a tag"]', /key/);
  });

  it.each([
    ['voiceSettings.stability', 0, 1],
    ['voiceSettings.similarityBoost', 0, 1],
    ['voiceSettings.style', 0, 1],
    ['voiceSettings.speed', 0.7, 1.2],
    ['llmTemperature', 0, 2],
    ['channelOverrides.chat.llmTemperature', 0, 2],
  ])('%s in [%d, %d]', (path, lo, hi) => {
    expectValid(at(path, lo));
    expectValid(at(path, hi));
    expectValid(at(path, (lo + hi) / 2));
    expectInvalid(at(path, lo - 0.0001), path, `must be between ${lo} and ${hi}`);
    expectInvalid(at(path, hi + 0.0001), path, `must be between ${lo} and ${hi}`);
  });

  it.each([
    ['endpointing.minSilenceMs', 100, 5000],
    ['endpointing.maxSilenceMs', 200, 10000],
    ['handoffConfig.escalationThreshold', 0, 10],
    ['callControl.maxCallSeconds', 60, 7200],
    ['callControl.idleReminderDelaySeconds', 3, 120],
    ['callControl.idleReminderIntervalSeconds', 3, 120],
    ['callControl.maxIdleReminders', 0, 10],
    ['avgTicketCents', 0, 100_000_000],
  ])('%s: integer in [%i, %i]', (path, lo, hi) => {
    expectValid(at(path, lo));
    expectValid(at(path, hi));
    expectInvalid(at(path, lo - 1), path);
    expectInvalid(at(path, hi + 1), path);
    expectInvalid(at(path, lo + 0.5), path, /^must be an integer/);
  });

  it.each(['voiceSettings.useSpeakerBoost', 'endpointing.semantic', 'handoffConfig.warm', 'callControl.endCallPhrasesEnabled', 'isActive', 'channelOverrides.voice.enabled', 'businessHours.afterHours.allowHumanTransfer'])(
    '%s is a boolean',
    (path) => {
      expectValid(at(path, true));
      expectInvalid(at(path, 'yes'), path, 'must be a boolean');
    },
  );

  it('destinations: phone or SIP', () => {
    for (const path of ['handoffConfig.transferDestination', 'businessHours.afterHours.number', 'businessHours.afterHours.emergencyNumber']) {
      expectValid(at(path, '415.555.0134'));
      expectValid(at(path, 'sip:desk@example.com'));
      expectInvalid(at(path, '555-0134'), path, 'must be an E.164 number or sip: URI');
    }
    expectInvalid(
      { handoffConfig: { transferRules: [{ label: 'a', when: 'b', destination: 'x' }] } },
      'handoffConfig.transferRules[0].destination',
      'must be an E.164 number or sip: URI',
    );
  });

  it('handoffConfig.contextSummaryUrl: https, ≤ 2048', () => {
    const base = 'https://example.com/';
    expectValid(at('handoffConfig.contextSummaryUrl', base + s(2048 - base.length)));
    expectInvalid(at('handoffConfig.contextSummaryUrl', base + s(2049 - base.length)), 'handoffConfig.contextSummaryUrl');
    expectInvalid(at('handoffConfig.contextSummaryUrl', 'http://example.com'), 'handoffConfig.contextSummaryUrl');
    expectValid(at('handoffConfig.contextSummaryUrl', null));
  });

  it('transferRules: ≤ 50, label 1–80, when 1–500, all members required', () => {
    const rule = (i: number) => ({ label: `r${i}`, when: 'w', destination: '+14155550134' });
    expectValid({ handoffConfig: { transferRules: Array.from({ length: 50 }, (_, i) => rule(i)) } });
    expectInvalid({ handoffConfig: { transferRules: Array.from({ length: 51 }, (_, i) => rule(i)) } }, 'handoffConfig.transferRules');
    expectValid({ handoffConfig: { transferRules: [{ ...rule(0), label: s(80), when: s(500) }] } });
    expectInvalid({ handoffConfig: { transferRules: [{ ...rule(0), label: s(81) }] } }, 'handoffConfig.transferRules[0].label');
    expectInvalid({ handoffConfig: { transferRules: [{ ...rule(0), when: s(501) }] } }, 'handoffConfig.transferRules[0].when');
    expectInvalid({ handoffConfig: { transferRules: [{ label: 'a', when: 'b' }] } }, 'handoffConfig.transferRules[0].destination', 'required');
  });

  it('callControl: messages and actions', () => {
    expectValid({ callControl: { maxDurationMessage: s(500) } });
    expectInvalid({ callControl: { maxDurationMessage: s(501) } }, 'callControl.maxDurationMessage');
    expectInvalid({ callControl: { onNoResponseAction: 'hangup' } }, 'callControl.onNoResponseAction', 'must be one of: end, transfer');
    expectValid({ callControl: {} });
  });

  it('businessHours: formats and bounds', () => {
    expectValid({ businessHours: {} });
    expectInvalid({ businessHours: { timezone: '+05:00' } }, 'businessHours.timezone', /IANA/);
    expectInvalid({ businessHours: { timezone: 'UTC', weekly: { mon: [{ start: '24:00', end: '24:00' }] } } }, 'businessHours.weekly.mon[0].start');
    expectInvalid({ businessHours: { timezone: 'UTC', weekly: { mon: [{ start: '00:00', end: '00:00' }] } } }, 'businessHours.weekly.mon[0].end');
    expectInvalid({ businessHours: { timezone: 'UTC', weekly: { mon: [{ start: '09:00' }] } } }, 'businessHours.weekly.mon[0].end', 'required');
    const holiday = { date: '2026-12-24', name: 'x' };
    expectValid({ businessHours: { holidays: Array(366).fill(holiday) } });
    expectInvalid({ businessHours: { holidays: Array(367).fill(holiday) } }, 'businessHours.holidays');
    expectInvalid({ businessHours: { holidays: [{ ...holiday, date: '2026-02-30' }] } }, 'businessHours.holidays[0].date');
    expectInvalid({ businessHours: { holidays: [{ ...holiday, endDate: '26-12-24' }] } }, 'businessHours.holidays[0].endDate');
    expectInvalid({ businessHours: { holidays: [{ ...holiday, name: '' }] } }, 'businessHours.holidays[0].name');
    expectValid({ businessHours: { holidays: [{ ...holiday, name: s(100) }] } });
    expectInvalid({ businessHours: { holidays: [{ ...holiday, name: s(101) }] } }, 'businessHours.holidays[0].name');
    expectInvalid({ businessHours: { holidays: [{ name: 'x' }] } }, 'businessHours.holidays[0].date', 'required');
    expectInvalid({ businessHours: { afterHours: { mode: 'voicemail' } } }, 'businessHours.afterHours.mode', 'must be one of: answer, take_message, forward');
    expectInvalid({ businessHours: { afterHours: { message: s(1001) } } }, 'businessHours.afterHours.message');
  });
});

describe('reserved keys', () => {
  const parse = (json: string) => validateCreate(JSON.parse(json));

  it('are reported at their own path, wherever they are', () => {
    expect(parse('{"name":"x","__proto__":{"isAdmin":true}}')).toEqual([{ field: '__proto__', message: 'reserved key' }]);
    expect(parse('{"name":"x","constructor":1}')).toEqual([{ field: 'constructor', message: 'reserved key' }]);
    expect(parse('{"name":"x","voiceMap":{"__proto__":"v"}}')).toEqual([{ field: 'voiceMap.__proto__', message: 'reserved key' }]);
    expect(parse('{"name":"x","lexicon":{"pronunciations":{"prototype":"p"}}}')).toEqual([
      { field: 'lexicon.pronunciations.prototype', message: 'reserved key' },
    ]);
    expect(parse('{"name":"x","businessHours":{"weekly":{"constructor":[]}}}')).toEqual([
      { field: 'businessHours.weekly.constructor', message: 'reserved key' },
    ]);
    expect(
      parse('{"name":"x","handoffConfig":{"transferRules":[{"label":"a","when":"b","destination":"+14155550134","__proto__":{}}]}}'),
    ).toEqual([{ field: 'handoffConfig.transferRules[0].__proto__', message: 'reserved key' }]);
  });

  it('are listed with the other errors, and in PATCH bodies too', () => {
    expect(parse('{"name":"","goals":[{"constructor":1}]}')).toEqual([
      { field: 'goals[0]', message: 'must be a string' },
      { field: 'goals[0].constructor', message: 'reserved key' },
      { field: 'name', message: 'must be 1–120 characters after trimming' },
    ]);
    expect(validatePatch(JSON.parse('{"channelOverrides":{"voice":{"__proto__":null}}}'))).toEqual([
      { field: 'channelOverrides.voice.__proto__', message: 'reserved key' },
    ]);
  });

  it('findReservedKeys sees own keys only', () => {
    expect(findReservedKeys({ a: { b: 1 } })).toEqual([]);
    expect(findReservedKeys(JSON.parse('[{"__proto__":1}]'))).toEqual([[0, '__proto__']]);
  });
});

describe('patch body shape', () => {
  it('accepts {} and null on every editable field except name', () => {
    expect(validatePatch({})).toEqual([]);
    const nulls = Object.fromEntries(
      [
        'persona', 'primaryLanguage', 'languages', 'sku', 'enabledChannels', 'goals', 'neverDo', 'tone', 'lexicon', 'voiceMap',
        'defaultVoiceId', 'voiceSettings', 'llmModel', 'llmTemperature', 'ttsModel', 'sttModel', 'endpointing', 'greeting',
        'handoffConfig', 'callControl', 'businessHours', 'channelOverrides', 'avgTicketCents', 'isActive',
      ].map((k) => [k, null]),
    );
    expect(validatePatch(nulls)).toEqual([]);
    expect(validatePatch({ name: null })).toEqual([{ field: 'name', message: 'cannot be null' }]);
  });

  it('accepts null on nested members that reset or remove', () => {
    expect(
      validatePatch({
        lexicon: { preferred: null, pronunciations: { 'Dr.': null } },
        voiceMap: { es: null },
        voiceSettings: { speed: null },
        endpointing: { minSilenceMs: null },
        handoffConfig: { transferDestination: null, transferRules: null },
        callControl: { maxCallSeconds: null },
        businessHours: { timezone: null, weekly: { mon: null }, afterHours: { number: null } },
        channelOverrides: { voice: null, chat: { greeting: null } },
      }),
    ).toEqual([]);
  });

  it('rejects null inside array items (arrays replace whole)', () => {
    expect(validatePatch({ handoffConfig: { transferRules: [{ label: 'a', when: 'b', destination: null }] } })).toEqual([
      { field: 'handoffConfig.transferRules[0].destination', message: 'cannot be null' },
    ]);
    expect(validatePatch({ goals: [null] })).toEqual([{ field: 'goals[0]', message: 'cannot be null' }]);
    expect(validatePatch({ businessHours: { holidays: [{ date: '2026-01-01', name: 'x', endDate: null }] } })).toEqual([
      { field: 'businessHours.holidays[0].endDate', message: 'cannot be null' },
    ]);
  });

  it('partial nested objects are fine; unknown members are not', () => {
    expect(validatePatch({ voiceSettings: { speed: 1.1 } })).toEqual([]);
    expect(validatePatch({ voiceSettings: { pitch: 1 } })).toEqual([{ field: 'voiceSettings.pitch', message: 'unknown field' }]);
    expect(validatePatch({ id: 'whatever', version: 'x' })).toEqual([]);
  });

  it('keeps the same bounds as create', () => {
    expect(validatePatch({ llmTemperature: 2.0001 })).toEqual([{ field: 'llmTemperature', message: 'must be between 0 and 2' }]);
    expect(validatePatch({ endpointing: { minSilenceMs: 99 } })).toEqual([
      { field: 'endpointing.minSilenceMs', message: 'must be between 100 and 5000' },
    ]);
  });
});

describe('schemas', () => {
  it('compile in a plain createAjv() and the response schema declares every field in order', () => {
    const ajv = createAjv();
    expect(() => ajv.compile(Agent)).not.toThrow();
    expect(Object.keys(Agent.properties)).toEqual([
      'id', 'organizationId', 'name', 'version', 'status', 'hasUnpublishedChanges', 'persona', 'primaryLanguage', 'languages',
      'sku', 'enabledChannels', 'goals', 'neverDo', 'tone', 'lexicon', 'voiceMap', 'defaultVoiceId', 'voiceSettings', 'llmModel',
      'llmTemperature', 'ttsModel', 'sttModel', 'endpointing', 'greeting', 'handoffConfig', 'callControl', 'businessHours',
      'channelOverrides', 'avgTicketCents', 'publishedVersionId', 'isActive', 'createdBy', 'createdAt', 'updatedAt',
    ]);
  });

  it('every string and array in the bodies is bounded', () => {
    const unbounded: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const s = node as Record<string, unknown>;
      const types = ([] as unknown[]).concat(s.type ?? []);
      if (types.includes('string') && s.maxLength === undefined && s.enum === undefined) unbounded.push(path);
      if (types.includes('array') && s.maxItems === undefined) unbounded.push(path);
      if (types.includes('object') && !s.properties && s.maxProperties === undefined) unbounded.push(path);
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`);
      if (s.items) walk(s.items, `${path}[]`);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}{}`);
    };
    walk(AgentCreateBody, 'create');
    walk(AgentPatchBody, 'patch');
    expect(unbounded).toEqual([]);
  });

  it('nullable members use a type list, not anyOf', () => {
    expect(JSON.stringify(AgentPatchBody)).not.toContain('anyOf');
    expect(JSON.stringify(Agent)).not.toContain('anyOf');
  });
});
