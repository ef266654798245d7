/**
 * agent.md's field table through HTTP, boundary by boundary: every valid value is stored
 * (normalised where agent.md says so), every invalid one is a 400 validation_error naming the
 * exact field path(s) of api.md, and an invalid write stores nothing. POST and PATCH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeHarness, type Harness, type Tenant } from '../helpers/harness.js';

type Body = Record<string, unknown>;
interface Good {
  label: string;
  body: Body;
  /** partial agent expected in the answer (toMatchObject); default: derived from `body` */
  stored?: Body;
  /** false: skip the PATCH run (the PATCH meaning differs, noted per case) */
  patch?: boolean;
  /** set when the server currently gets the POST wrong (see its BUG comment): runs as it.fails */
  bug?: string;
}
interface Bad {
  label: string;
  body: Body;
  /** exactly these fields, in any order (the order itself is checked separately) */
  fields: string[];
  patch?: boolean;
  /** POST without the automatic name */
  noName?: boolean;
}

const s = (n: number, ch = 'x') => ch.repeat(n);
const emoji = (n: number) => '😀'.repeat(n);
const range = (start: string, end: string) => ({ start, end });
const TZ = 'America/New_York';
const hours = (extra: Body) => ({ businessHours: { timezone: TZ, weekly: {}, ...extra } });
const mon = (...ranges: { start: string; end: string }[]) => hours({ weekly: { mon: ranges } });
const rules = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `rule ${i}`, when: 'asked', destination: '+14155550134' }));
const terms = (n: number, p = 't') => Array.from({ length: n }, (_, i) => `${p}${i}`);
const pron = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`term${i}`, `say ${i}`]));
const holidays = (n: number) => Array.from({ length: n }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), name: `h${i}` }));
const httpsUrl = (len: number) => {
  const base = 'https://example.com/';
  return base + s(len - base.length, 'a');
};

/** 51 distinct tags `Intl.getCanonicalLocales` keeps as written, `en` first (so PATCH keeps primaryLanguage valid). */
const TAGS: string[] = (() => {
  const out = ['en'];
  for (const a of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    for (const b of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      const tag = `en-${a}${b}`;
      if (Intl.getCanonicalLocales(tag)[0] === tag && out.length < 51) out.push(tag);
    }
  }
  return out;
})();

const DEFAULT_VOICE = { stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1 };
const DEFAULT_ENDPOINTING = { minSilenceMs: 400, maxSilenceMs: 2000, semantic: true };

// ------------------------------------------------------------------------------------------
// Valid values at each boundary

const PHONES: [string, string][] = [
  ['(415) 555-0134', '+14155550134'],
  ['415.555.0134', '+14155550134'],
  ['415-555-0134', '+14155550134'],
  ['1-415-555-0134', '+14155550134'],
  ['14155550134', '+14155550134'],
  ['+1 (415) 555-0134', '+14155550134'],
  ['+442071838750', '+442071838750'],
  ['+44 20 7183 8750', '+442071838750'],
  ['+12345678', '+12345678'],
  ['+123456789012345', '+123456789012345'],
  ['sip:alice@example.com', 'sip:alice@example.com'],
  ['SIPS:host', 'SIPS:host'],
  ['sips:Bob@Example.COM', 'sips:Bob@Example.COM'],
  [`sip:${s(252, 'h')}`, `sip:${s(252, 'h')}`],
];
const BAD_PHONES = ['+0123456789', '415555013', '41555501345', '+1234567', '+1234567890123456', '2-415-555-0134', 'sip:', 'sip:a b', 'sip:alice@', `sip:${s(253, 'h')}`, 'tel:+14155550134', '415-555-CALL', ''];

const GOOD: Good[] = [
  // name
  { label: 'name of 1 character', body: { name: 'a' } },
  { label: 'name of 120 characters', body: { name: s(120, 'a') } },
  { label: 'name of 120 emoji (240 UTF-16 units)', body: { name: emoji(120) } },
  { label: 'name of 120 characters after trimming', body: { name: ` \t${s(120, 'b')}\n ` }, stored: { name: s(120, 'b') } },
  // persona, tone, greeting
  { label: 'persona of 10 000 characters', body: { persona: s(10_000) } },
  { label: 'persona of 10 000 emoji', body: { persona: emoji(10_000) } },
  { label: 'tone of 200 characters', body: { tone: s(200) } },
  { label: 'greeting of 1000 characters', body: { greeting: s(1000) } },
  { label: 'greeting null', body: { greeting: null } },
  // languages
  // PATCH of primaryLanguage alone: agent.md leaves the interplay open (the server documents its choice in languages.ts)
  { label: 'primaryLanguage alone canonicalised, languages default to it', body: { primaryLanguage: 'fr-ca' }, stored: { primaryLanguage: 'fr-CA', languages: ['fr-CA'], sku: 'single_language' }, patch: false },
  { label: 'languages canonicalised (en-us → en-US)', body: { primaryLanguage: 'en-us', languages: ['en-us', 'ES'] }, stored: { primaryLanguage: 'en-US', languages: ['en-US', 'es'], sku: 'code_switch' } },
  { label: 'languages of 50 tags', body: { languages: TAGS.slice(0, 50) }, stored: { languages: TAGS.slice(0, 50), primaryLanguage: 'en', sku: 'code_switch' } },
  { label: 'languages of 1 tag gives single_language', body: { languages: ['de'], primaryLanguage: 'de' }, stored: { sku: 'single_language' } },
  // channels
  { label: 'enabledChannels [chat]', body: { enabledChannels: ['chat'] } },
  { label: 'enabledChannels []', body: { enabledChannels: [] } },
  // goals / neverDo
  { label: 'goals of 50 items', body: { goals: terms(50, 'g') } },
  { label: 'goals item of 500 characters', body: { goals: [s(500), emoji(500)] } },
  { label: 'neverDo of 50 items', body: { neverDo: terms(50, 'n') } },
  { label: 'neverDo item of 500 characters', body: { neverDo: [s(500)] } },
  // lexicon
  { label: 'lexicon.preferred of 200 items', body: { lexicon: { preferred: terms(200) } }, stored: { lexicon: { preferred: terms(200), banned: [], pronunciations: {} } } },
  { label: 'lexicon.banned of 200 items of 100 characters', body: { lexicon: { banned: terms(200, s(97)) } }, stored: { lexicon: { preferred: [], banned: terms(200, s(97)), pronunciations: {} } } },
  { label: 'lexicon.pronunciations of 200 entries', body: { lexicon: { pronunciations: pron(200) } } },
  { label: 'lexicon.pronunciations "Dr." with 100-character sides', body: { lexicon: { pronunciations: { 'Dr.': s(100), [s(100, 'k')]: 'k' } } } },
  // voice
  { label: 'voiceMap keys canonicalised and in languages', body: { primaryLanguage: 'en-US', languages: ['en-US', 'es'], voiceMap: { 'en-us': 'rachel', es: s(100) } }, stored: { voiceMap: { 'en-US': 'rachel', es: s(100) } } },
  { label: 'defaultVoiceId of 100 characters', body: { defaultVoiceId: s(100) } },
  { label: 'defaultVoiceId null', body: { defaultVoiceId: null } },
  ...(['stability', 'similarityBoost', 'style'] as const).flatMap((m) => [0, 1].map<Good>((v) => ({ label: `voiceSettings.${m} ${v}`, body: { voiceSettings: { [m]: v } }, stored: { voiceSettings: { ...DEFAULT_VOICE, [m]: v } } }))),
  ...[0.7, 1.2].map<Good>((v) => ({ label: `voiceSettings.speed ${v}`, body: { voiceSettings: { speed: v } }, stored: { voiceSettings: { ...DEFAULT_VOICE, speed: v } } })),
  { label: 'voiceSettings.useSpeakerBoost false', body: { voiceSettings: { useSpeakerBoost: false } }, stored: { voiceSettings: { ...DEFAULT_VOICE, useSpeakerBoost: false } } },
  // models
  ...(['llmModel', 'ttsModel', 'sttModel'] as const).map<Good>((m) => ({ label: `${m} of 100 characters`, body: { [m]: s(100) } })),
  { label: 'llmTemperature 0', body: { llmTemperature: 0 } },
  { label: 'llmTemperature 2', body: { llmTemperature: 2 } },
  // endpointing
  { label: 'endpointing.minSilenceMs 100', body: { endpointing: { minSilenceMs: 100 } }, stored: { endpointing: { ...DEFAULT_ENDPOINTING, minSilenceMs: 100 } } },
  { label: 'endpointing.minSilenceMs 5000 with maxSilenceMs 5000', body: { endpointing: { minSilenceMs: 5000, maxSilenceMs: 5000 } } },
  { label: 'endpointing.minSilenceMs 2000 = default maxSilenceMs', body: { endpointing: { minSilenceMs: 2000 } } },
  { label: 'endpointing.maxSilenceMs 200 with minSilenceMs 100', body: { endpointing: { minSilenceMs: 100, maxSilenceMs: 200 } } },
  { label: 'endpointing.maxSilenceMs 10000', body: { endpointing: { maxSilenceMs: 10_000, semantic: false } }, stored: { endpointing: { minSilenceMs: 400, maxSilenceMs: 10_000, semantic: false } } },
  // handoffConfig
  { label: 'escalationThreshold 0', body: { handoffConfig: { escalationThreshold: 0 } } },
  { label: 'escalationThreshold 10', body: { handoffConfig: { escalationThreshold: 10, warm: true } } },
  { label: 'contextSummaryUrl https', body: { handoffConfig: { contextSummaryUrl: 'https://example.com/handoff?x=1' } } },
  { label: 'contextSummaryUrl of 2048 characters', body: { handoffConfig: { contextSummaryUrl: httpsUrl(2048) } } },
  { label: 'contextSummaryUrl null', body: { handoffConfig: { contextSummaryUrl: null } } },
  ...PHONES.map<Good>(([given, stored]) => ({ label: `transferDestination ${JSON.stringify(given.length > 40 ? `${given.slice(0, 12)}…(${given.length})` : given)} → ${stored.length > 40 ? 'as given' : stored}`, body: { handoffConfig: { transferDestination: given } }, stored: { handoffConfig: { transferDestination: stored } } })),
  { label: 'transferRules of 50 rules', body: { handoffConfig: { transferRules: rules(50) } } },
  { label: 'transferRule label 80, when 500, destination normalised', body: { handoffConfig: { transferRules: [{ label: s(80), when: s(500), destination: '(415) 555-0134' }] } }, stored: { handoffConfig: { transferRules: [{ label: s(80), when: s(500), destination: '+14155550134' }] } } },
  // callControl (stored as given)
  { label: 'callControl {} stays {}', body: { callControl: {} } },
  ...([
    ['maxCallSeconds', 60], ['maxCallSeconds', 7200],
    ['maxDurationMessage', s(500)],
    ['idleReminderDelaySeconds', 3], ['idleReminderDelaySeconds', 120],
    ['idleReminderIntervalSeconds', 3], ['idleReminderIntervalSeconds', 120],
    ['maxIdleReminders', 0], ['maxIdleReminders', 10],
    ['endCallPhrasesEnabled', false], ['onNoResponseAction', 'end'],
  ] as [string, unknown][]).map<Good>(([m, v]) => ({
    label: `callControl.${m} ${typeof v === 'string' && v.length > 20 ? `(${v.length} chars)` : JSON.stringify(v)}`,
    body: { callControl: { [m]: v } },
    stored: { callControl: { [m]: v } },
  })),
  // Decision (README "Decisions"): a null member inside callControl / businessHours /
  // channelOverrides means "the default" and is never stored — on POST as on PATCH — so that a
  // GET body sent back as a PATCH changes nothing.
  { label: 'callControl.maxDurationMessage null means the default (not stored)', body: { callControl: { maxDurationMessage: null } }, stored: { callControl: {} }, patch: false },
  { label: 'channelOverrides.voice.greeting null inherits (not stored)', body: { channelOverrides: { voice: { greeting: null } } }, stored: { channelOverrides: { voice: {} } }, patch: false },
  { label: 'afterHours nulls mean the defaults (not stored)', body: hours({ afterHours: { message: null, number: null, emergencyNumber: null } }), stored: hours({ afterHours: {} }), patch: false },
  { label: 'callControl.onNoResponseAction transfer with a transferDestination', body: { callControl: { onNoResponseAction: 'transfer' }, handoffConfig: { transferDestination: '415.555.0134' } }, stored: { callControl: { onNoResponseAction: 'transfer' }, handoffConfig: { transferDestination: '+14155550134' } } },
  // businessHours
  { label: 'businessHours {} (unconfigured)', body: { businessHours: {} } },
  { label: 'businessHours closed every day (weekly {})', body: hours({}) },
  { label: 'timezone US/Eastern kept as written', body: { businessHours: { timezone: 'US/Eastern', weekly: {} } } },
  { label: 'timezone UTC', body: { businessHours: { timezone: 'UTC', weekly: {} } } },
  { label: 'a range ending 24:00', body: mon(range('09:00', '24:00')) },
  { label: 'a range 00:00–00:01', body: mon(range('00:00', '00:01')) },
  { label: '24/7: every day 00:00–24:00', body: hours({ weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [range('00:00', '24:00')]])) }) },
  { label: 'an overnight range', body: mon(range('22:00', '02:00')) },
  { label: 'touching ranges', body: mon(range('09:00', '12:00'), range('12:00', '17:00')) },
  { label: 'an early range and an overnight range on one day', body: mon(range('00:00', '02:00'), range('22:00', '03:00')) },
  { label: "an overnight spill overlapping the next day's range", body: hours({ weekly: { mon: [range('22:00', '03:00')], tue: [range('01:00', '05:00')] } }) },
  { label: 'a holiday (closed by default)', body: hours({ holidays: [{ date: '2026-12-25', name: 'Christmas' }] }) },
  { label: 'a holiday with endDate = date', body: hours({ holidays: [{ date: '2026-12-24', endDate: '2026-12-24', name: 'Eve', closed: true, ranges: [] }] }) },
  { label: 'an open holiday with ranges', body: hours({ holidays: [{ date: '2026-12-24', endDate: '2026-12-26', name: 'Short days', closed: false, ranges: [range('10:00', '14:00')] }] }) },
  { label: '366 holidays', body: hours({ holidays: holidays(366) }) },
  { label: 'afterHours forward with a number (normalised)', body: hours({ afterHours: { mode: 'forward', number: '(415) 555-0134' } }), stored: { businessHours: { timezone: TZ, weekly: {}, afterHours: { mode: 'forward', number: '+14155550134' } } } },
  { label: 'afterHours allowHumanTransfer with a SIP number', body: hours({ afterHours: { allowHumanTransfer: true, number: 'sip:desk@example.com', emergencyNumber: '+442071838750', message: s(1000) } }) },
  { label: 'afterHours take_message without a number', body: hours({ afterHours: { mode: 'take_message', message: 'Back at {nextOpen}' } }) },
  // channelOverrides
  { label: 'channelOverrides voice with every member at a bound', body: { channelOverrides: { voice: { enabled: false, greeting: s(1000), tone: s(200), persona: s(10_000), llmModel: s(100), llmTemperature: 2 } } } },
  { label: 'channelOverrides chat with an empty greeting', body: { channelOverrides: { chat: { greeting: '', llmTemperature: 0 } } } },
  // the rest
  { label: 'avgTicketCents 0', body: { avgTicketCents: 0 } },
  { label: 'avgTicketCents 100 000 000', body: { avgTicketCents: 100_000_000 } },
  { label: 'avgTicketCents null', body: { avgTicketCents: null } },
  { label: 'isActive false', body: { isActive: false } },
];

// ------------------------------------------------------------------------------------------
// Invalid values: the exact field paths

const BAD: Bad[] = [
  // name
  { label: 'name missing', body: {}, fields: ['name'], noName: true, patch: false },
  { label: 'name empty', body: { name: '' }, fields: ['name'] },
  { label: 'name only spaces', body: { name: '   ' }, fields: ['name'] },
  { label: 'name of 121 characters', body: { name: s(121) }, fields: ['name'] },
  { label: 'name of 121 emoji', body: { name: emoji(121) }, fields: ['name'] },
  { label: 'name of 121 characters after trimming', body: { name: `  ${s(121)}  ` }, fields: ['name'] },
  { label: 'name null', body: { name: null }, fields: ['name'] },
  { label: 'name a number', body: { name: 42 }, fields: ['name'] },
  // persona, tone, greeting
  { label: 'persona of 10 001 characters', body: { persona: s(10_001) }, fields: ['persona'] },
  { label: 'persona of 10 001 emoji', body: { persona: emoji(10_001) }, fields: ['persona'] },
  { label: 'tone of 201 characters', body: { tone: s(201) }, fields: ['tone'] },
  { label: 'greeting of 1001 characters', body: { greeting: s(1001) }, fields: ['greeting'] },
  // languages
  { label: 'primaryLanguage not in languages', body: { primaryLanguage: 'fr', languages: ['en'] }, fields: ['primaryLanguage'] },
  { label: 'primaryLanguage not a tag', body: { primaryLanguage: 'not a tag!' }, fields: ['primaryLanguage'] },
  { label: 'languages of 51 tags', body: { languages: TAGS.slice(0, 51) }, fields: ['languages'] },
  { label: 'languages empty', body: { languages: [] }, fields: ['languages'] },
  { label: 'languages duplicate after canonicalisation (en-us, en-US)', body: { languages: ['en', 'en-us', 'en-US'] }, fields: ['languages[2]'] },
  { label: 'languages duplicate en, fr, EN', body: { languages: ['en', 'fr', 'EN'] }, fields: ['languages[2]'] },
  { label: 'languages with a malformed tag', body: { languages: ['en', 'bad tag!'] }, fields: ['languages[1]'] },
  { label: 'sku single_language with two languages', body: { sku: 'single_language', languages: ['en', 'es'] }, fields: ['sku'] },
  { label: 'sku unknown', body: { sku: 'bilingual' }, fields: ['sku'] },
  // channels
  { label: 'enabledChannels duplicate', body: { enabledChannels: ['voice', 'chat', 'voice'] }, fields: ['enabledChannels[2]'] },
  { label: 'enabledChannels unknown value', body: { enabledChannels: ['voice', 'sms'] }, fields: ['enabledChannels[1]'] },
  // goals / neverDo
  { label: 'goals of 51 items', body: { goals: terms(51) }, fields: ['goals'] },
  { label: 'goals item of 501 characters', body: { goals: ['ok', s(501)] }, fields: ['goals[1]'] },
  { label: 'goals item empty', body: { goals: [''] }, fields: ['goals[0]'] },
  { label: 'neverDo of 51 items', body: { neverDo: terms(51) }, fields: ['neverDo'] },
  { label: 'neverDo item of 501 characters', body: { neverDo: [s(501)] }, fields: ['neverDo[0]'] },
  // lexicon
  { label: 'lexicon.preferred of 201 items', body: { lexicon: { preferred: terms(201) } }, fields: ['lexicon.preferred'] },
  { label: 'lexicon.banned of 201 items', body: { lexicon: { banned: terms(201) } }, fields: ['lexicon.banned'] },
  { label: 'lexicon.preferred item empty', body: { lexicon: { preferred: [''] } }, fields: ['lexicon.preferred[0]'] },
  { label: 'lexicon.banned item of 101 characters', body: { lexicon: { banned: ['ok', s(101)] } }, fields: ['lexicon.banned[1]'] },
  { label: 'lexicon.pronunciations of 201 entries', body: { lexicon: { pronunciations: pron(201) } }, fields: ['lexicon.pronunciations'] },
  { label: 'pronunciation of "Dr." empty → ["Dr."] quoted', body: { lexicon: { pronunciations: { 'Dr.': '' } } }, fields: ['lexicon.pronunciations["Dr."]'] },
  { label: 'pronunciation of "Dr." of 101 characters', body: { lexicon: { pronunciations: { 'Dr.': s(101) } } }, fields: ['lexicon.pronunciations["Dr."]'] },
  { label: 'pronunciation key with a quote is JSON-quoted', body: { lexicon: { pronunciations: { 'say "hi"': s(101) } } }, fields: ['lexicon.pronunciations["say \\"hi\\""]'] },
  { label: 'pronunciation key of 101 characters', body: { lexicon: { pronunciations: { [s(101, 'k')]: 'x' } } }, fields: [`lexicon.pronunciations.${s(101, 'k')}`] },
  { label: 'pronunciation key empty', body: { lexicon: { pronunciations: { '': 'x' } } }, fields: ['lexicon.pronunciations[""]'] },
  { label: 'lexicon unknown member', body: { lexicon: { favourite: [] } }, fields: ['lexicon.favourite'] },
  // voice
  { label: 'voiceMap key not in languages', body: { voiceMap: { fr: 'amelie' } }, fields: ['voiceMap.fr'] },
  { label: 'voiceMap value empty', body: { voiceMap: { en: '' } }, fields: ['voiceMap.en'] },
  { label: 'voiceMap value of 101 characters', body: { voiceMap: { en: s(101) } }, fields: ['voiceMap.en'] },
  { label: 'voiceMap key not a tag', body: { voiceMap: { 'not a tag!': 'v' } }, fields: ['voiceMap["not a tag!"]'] },
  { label: 'defaultVoiceId empty', body: { defaultVoiceId: '' }, fields: ['defaultVoiceId'] },
  { label: 'defaultVoiceId of 101 characters', body: { defaultVoiceId: s(101) }, fields: ['defaultVoiceId'] },
  ...(['stability', 'similarityBoost', 'style'] as const).flatMap((m) => [-0.01, 1.01, '0.5'].map<Bad>((v) => ({ label: `voiceSettings.${m} ${JSON.stringify(v)}`, body: { voiceSettings: { [m]: v } }, fields: [`voiceSettings.${m}`] }))),
  ...[0.69, 1.21, 0].map<Bad>((v) => ({ label: `voiceSettings.speed ${v}`, body: { voiceSettings: { speed: v } }, fields: ['voiceSettings.speed'] })),
  { label: 'voiceSettings.useSpeakerBoost a string', body: { voiceSettings: { useSpeakerBoost: 'yes' } }, fields: ['voiceSettings.useSpeakerBoost'] },
  { label: 'voiceSettings unknown member', body: { voiceSettings: { pitch: 1 } }, fields: ['voiceSettings.pitch'] },
  // models
  ...(['llmModel', 'ttsModel', 'sttModel'] as const).flatMap((m) => ['', s(101)].map<Bad>((v) => ({ label: `${m} of ${v.length} characters`, body: { [m]: v }, fields: [m] }))),
  ...[2.0001, -0.1, '0.4'].map<Bad>((v) => ({ label: `llmTemperature ${JSON.stringify(v)}`, body: { llmTemperature: v }, fields: ['llmTemperature'] })),
  // endpointing
  { label: 'endpointing.minSilenceMs 99', body: { endpointing: { minSilenceMs: 99 } }, fields: ['endpointing.minSilenceMs'] },
  { label: 'endpointing.minSilenceMs 5001', body: { endpointing: { minSilenceMs: 5001, maxSilenceMs: 10_000 } }, fields: ['endpointing.minSilenceMs'] },
  { label: 'endpointing.minSilenceMs 400.5', body: { endpointing: { minSilenceMs: 400.5 } }, fields: ['endpointing.minSilenceMs'] },
  { label: 'endpointing.maxSilenceMs 199', body: { endpointing: { minSilenceMs: 100, maxSilenceMs: 199 } }, fields: ['endpointing.maxSilenceMs'] },
  { label: 'endpointing.maxSilenceMs 10001', body: { endpointing: { maxSilenceMs: 10_001 } }, fields: ['endpointing.maxSilenceMs'] },
  { label: 'endpointing min > max (both given)', body: { endpointing: { minSilenceMs: 3000, maxSilenceMs: 2500 } }, fields: ['endpointing.maxSilenceMs'] },
  { label: 'endpointing min > default max', body: { endpointing: { minSilenceMs: 3000 } }, fields: ['endpointing.maxSilenceMs'] },
  { label: 'endpointing.semantic a string', body: { endpointing: { semantic: 'yes' } }, fields: ['endpointing.semantic'] },
  // handoffConfig
  ...[11, -1, 1.5].map<Bad>((v) => ({ label: `escalationThreshold ${v}`, body: { handoffConfig: { escalationThreshold: v } }, fields: ['handoffConfig.escalationThreshold'] })),
  ...['http://example.com/handoff', httpsUrl(2049), 'https://', 'ftp://example.com', 'example.com', ''].map<Bad>((v) => ({
    label: `contextSummaryUrl ${v.length > 40 ? `(${v.length} chars)` : JSON.stringify(v)}`,
    body: { handoffConfig: { contextSummaryUrl: v } },
    fields: ['handoffConfig.contextSummaryUrl'],
  })),
  ...BAD_PHONES.map<Bad>((v) => ({ label: `transferDestination ${JSON.stringify(v.length > 40 ? `${v.slice(0, 12)}…(${v.length})` : v)}`, body: { handoffConfig: { transferDestination: v } }, fields: ['handoffConfig.transferDestination'] })),
  { label: 'handoffConfig.warm a string', body: { handoffConfig: { warm: 'yes' } }, fields: ['handoffConfig.warm'] },
  { label: 'transferRules of 51 rules', body: { handoffConfig: { transferRules: rules(51) } }, fields: ['handoffConfig.transferRules'] },
  {
    label: 'transferRules duplicate label → second occurrence',
    body: { handoffConfig: { transferRules: [{ label: 'billing', when: 'a', destination: '+14155550134' }, { label: 'sales', when: 'b', destination: '+14155550134' }, { label: 'billing', when: 'c', destination: 'sip:x@y' }] } },
    fields: ['handoffConfig.transferRules[2].label'],
  },
  { label: 'transferRule label empty', body: { handoffConfig: { transferRules: [{ label: '', when: 'a', destination: '+14155550134' }] } }, fields: ['handoffConfig.transferRules[0].label'] },
  { label: 'transferRule label of 81', body: { handoffConfig: { transferRules: [{ label: s(81), when: 'a', destination: '+14155550134' }] } }, fields: ['handoffConfig.transferRules[0].label'] },
  { label: 'transferRule when of 501', body: { handoffConfig: { transferRules: [{ label: 'l', when: s(501), destination: '+14155550134' }] } }, fields: ['handoffConfig.transferRules[0].when'] },
  { label: 'transferRule destination invalid', body: { handoffConfig: { transferRules: rules(1).concat([{ label: 'x', when: 'w', destination: '911' }]) } }, fields: ['handoffConfig.transferRules[1].destination'] },
  { label: 'transferRule destination missing', body: { handoffConfig: { transferRules: [{ label: 'l', when: 'w' }] } }, fields: ['handoffConfig.transferRules[0].destination'] },
  // callControl
  ...([
    ['maxCallSeconds', [59, 7201, 60.5]],
    ['maxDurationMessage', [s(501), 5]],
    ['idleReminderDelaySeconds', [2, 121]],
    ['idleReminderIntervalSeconds', [2, 121]],
    ['maxIdleReminders', [-1, 11]],
    ['endCallPhrasesEnabled', ['no']],
    ['onNoResponseAction', ['hangup']],
  ] as [string, unknown[]][]).flatMap(([m, vs]) =>
    vs.map<Bad>((v) => ({ label: `callControl.${m} ${typeof v === 'string' && v.length > 20 ? `(${v.length} chars)` : JSON.stringify(v)}`, body: { callControl: { [m]: v } }, fields: [`callControl.${m}`] })),
  ),
  { label: 'callControl.onNoResponseAction transfer without a destination', body: { callControl: { onNoResponseAction: 'transfer' } }, fields: ['callControl.onNoResponseAction'] },
  { label: 'callControl unknown member', body: { callControl: { maxRings: 3 } }, fields: ['callControl.maxRings'] },
  // businessHours: required members
  { label: 'businessHours without timezone', body: { businessHours: { weekly: {} } }, fields: ['businessHours.timezone'] },
  { label: 'businessHours without weekly', body: { businessHours: { timezone: TZ } }, fields: ['businessHours.weekly'] },
  { label: 'businessHours with only afterHours', body: { businessHours: { afterHours: { mode: 'answer' } } }, fields: ['businessHours.timezone', 'businessHours.weekly'] },
  ...['Mars/Olympus', '+05:00', '-0800', 'UTC+05:00', 'GMT-3', 'america/new york', ''].map<Bad>((tz) => ({ label: `timezone ${JSON.stringify(tz)}`, body: { businessHours: { timezone: tz, weekly: {} } }, fields: ['businessHours.timezone'] })),
  // ranges
  { label: 'range start 24:00', body: mon(range('24:00', '01:00')), fields: ['businessHours.weekly.mon[0].start'] },
  { label: 'range start 9:00', body: mon(range('9:00', '17:00')), fields: ['businessHours.weekly.mon[0].start'] },
  { label: 'range end 00:00', body: mon(range('09:00', '00:00')), fields: ['businessHours.weekly.mon[0].end'] },
  { label: 'range end 24:01', body: mon(range('09:00', '24:01')), fields: ['businessHours.weekly.mon[0].end'] },
  { label: 'range end 12:60', body: mon(range('09:00', '12:60')), fields: ['businessHours.weekly.mon[0].end'] },
  { label: 'range start == end', body: mon(range('09:00', '17:00'), range('18:00', '18:00')), fields: ['businessHours.weekly.mon[1].end'] },
  { label: 'overlapping ranges → the later range', body: mon(range('09:00', '12:00'), range('11:00', '13:00')), fields: ['businessHours.weekly.mon[1].start'] },
  { label: 'three overlapping ranges → each later one', body: mon(range('08:00', '10:00'), range('09:00', '11:00'), range('10:30', '12:00')), fields: ['businessHours.weekly.mon[1].start', 'businessHours.weekly.mon[2].start'] },
  { label: 'overnight range covers start→24:00 of its day', body: hours({ weekly: { fri: [range('22:00', '02:00'), range('23:00', '23:30')] } }), fields: ['businessHours.weekly.fri[1].start'] },
  { label: 'range missing end', body: hours({ weekly: { tue: [{ start: '09:00' }] } }), fields: ['businessHours.weekly.tue[0].end'] },
  { label: 'weekly unknown day', body: hours({ weekly: { funday: [] } }), fields: ['businessHours.weekly.funday'] },
  // holidays
  { label: 'holiday endDate before date', body: hours({ holidays: [{ date: '2026-12-24', name: 'ok' }, { date: '2026-12-26', endDate: '2026-12-25', name: 'back' }] }), fields: ['businessHours.holidays[1].endDate'] },
  { label: 'holiday closed with ranges', body: hours({ holidays: [{ date: '2026-12-24', name: 'Eve', closed: true, ranges: [range('09:00', '12:00')] }] }), fields: ['businessHours.holidays[0].ranges'] },
  { label: 'holiday closed by default with ranges', body: hours({ holidays: [{ date: '2026-12-24', name: 'Eve', ranges: [range('09:00', '12:00')] }] }), fields: ['businessHours.holidays[0].ranges'] },
  { label: 'holiday open without ranges', body: hours({ holidays: [{ date: '2026-12-24', name: 'Eve', closed: false }] }), fields: ['businessHours.holidays[0].ranges'] },
  { label: 'holiday open with empty ranges', body: hours({ holidays: [{ date: '2026-12-24', name: 'Eve', closed: false, ranges: [] }] }), fields: ['businessHours.holidays[0].ranges'] },
  { label: 'holiday ranges overlapping', body: hours({ holidays: [{ date: '2026-12-24', name: 'Eve', closed: false, ranges: [range('09:00', '12:00'), range('10:00', '11:00')] }] }), fields: ['businessHours.holidays[0].ranges[1].start'] },
  { label: 'holiday date 2026-02-30', body: hours({ holidays: [{ date: '2026-02-30', name: 'x' }] }), fields: ['businessHours.holidays[0].date'] },
  { label: 'holiday name empty', body: hours({ holidays: [{ date: '2026-12-24', name: '' }] }), fields: ['businessHours.holidays[0].name'] },
  { label: 'holiday name of 101', body: hours({ holidays: [{ date: '2026-12-24', name: s(101) }] }), fields: ['businessHours.holidays[0].name'] },
  { label: '367 holidays', body: hours({ holidays: holidays(367) }), fields: ['businessHours.holidays'] },
  // afterHours
  { label: 'afterHours forward without number', body: hours({ afterHours: { mode: 'forward' } }), fields: ['businessHours.afterHours.number'] },
  { label: 'afterHours forward with number null', body: hours({ afterHours: { mode: 'forward', number: null } }), fields: ['businessHours.afterHours.number'] },
  { label: 'afterHours allowHumanTransfer without number', body: hours({ afterHours: { allowHumanTransfer: true, emergencyNumber: '+14155550134' } }), fields: ['businessHours.afterHours.number'] },
  { label: 'afterHours mode unknown', body: hours({ afterHours: { mode: 'voicemail' } }), fields: ['businessHours.afterHours.mode'] },
  { label: 'afterHours number invalid', body: hours({ afterHours: { number: 'call me' } }), fields: ['businessHours.afterHours.number'] },
  { label: 'afterHours emergencyNumber invalid', body: hours({ afterHours: { emergencyNumber: '911' } }), fields: ['businessHours.afterHours.emergencyNumber'] },
  { label: 'afterHours message of 1001', body: hours({ afterHours: { message: s(1001) } }), fields: ['businessHours.afterHours.message'] },
  { label: 'businessHours unknown member', body: hours({ holidayCalendar: 'US' }), fields: ['businessHours.holidayCalendar'] },
  // channelOverrides
  { label: 'channelOverrides sms', body: { channelOverrides: { sms: {} } }, fields: ['channelOverrides.sms'] },
  { label: 'channelOverrides voice llmTemperature 3', body: { channelOverrides: { voice: { llmTemperature: 3 } } }, fields: ['channelOverrides.voice.llmTemperature'] },
  { label: 'channelOverrides chat greeting of 1001', body: { channelOverrides: { chat: { greeting: s(1001) } } }, fields: ['channelOverrides.chat.greeting'] },
  { label: 'channelOverrides voice tone of 201', body: { channelOverrides: { voice: { tone: s(201) } } }, fields: ['channelOverrides.voice.tone'] },
  { label: 'channelOverrides voice persona of 10 001', body: { channelOverrides: { voice: { persona: s(10_001) } } }, fields: ['channelOverrides.voice.persona'] },
  { label: 'channelOverrides chat llmModel empty', body: { channelOverrides: { chat: { llmModel: '' } } }, fields: ['channelOverrides.chat.llmModel'] },
  { label: 'channelOverrides voice enabled a string', body: { channelOverrides: { voice: { enabled: 'no' } } }, fields: ['channelOverrides.voice.enabled'] },
  { label: 'channelOverrides voice unknown member', body: { channelOverrides: { voice: { sttModel: 'x' } } }, fields: ['channelOverrides.voice.sttModel'] },
  { label: 'channelOverrides voice not an object', body: { channelOverrides: { voice: 'loud' } }, fields: ['channelOverrides.voice'] },
  // the rest
  ...[100_000_001, -1, 1.5, '100'].map<Bad>((v) => ({ label: `avgTicketCents ${JSON.stringify(v)}`, body: { avgTicketCents: v }, fields: ['avgTicketCents'] })),
  { label: 'isActive a string', body: { isActive: 'false' }, fields: ['isActive'] },
  { label: 'an unknown field', body: { colour: 'blue' }, fields: ['colour'] },
  { label: 'read-only fields in a POST', body: { status: 'published', organizationId: 'org_x' }, fields: ['organizationId', 'status'], patch: false },
  // several at once: every error of the stage, sorted
  {
    label: 'several shape errors at once',
    body: { name: s(121), llmTemperature: 3, goals: [''], channelOverrides: { sms: {} }, businessHours: { weekly: {} }, avgTicketCents: 1.5 },
    fields: ['avgTicketCents', 'channelOverrides.sms', 'goals[0]', 'llmTemperature', 'name'],
  },
  {
    label: 'several merged-document errors at once',
    body: { languages: ['en', 'es'], sku: 'single_language', endpointing: { minSilenceMs: 3000 }, callControl: { onNoResponseAction: 'transfer' }, businessHours: { weekly: {} }, voiceMap: { fr: 'v' } },
    fields: ['businessHours.timezone', 'callControl.onNoResponseAction', 'endpointing.maxSilenceMs', 'sku', 'voiceMap.fr'],
  },
];

// ------------------------------------------------------------------------------------------

const EXPANDED_OBJECTS = ['lexicon', 'voiceSettings', 'endpointing', 'handoffConfig'];
/** what a valid body should read back as, when the case does not say */
function storedOf(c: Good): Body {
  if (c.stored) return c.stored;
  const out: Body = {};
  for (const [k, v] of Object.entries(c.body)) out[k] = v;
  return out;
}
function expectStored(data: any, c: Good) {
  const want = storedOf(c);
  for (const [k, v] of Object.entries(want)) {
    if (EXPANDED_OBJECTS.includes(k) && v && typeof v === 'object') expect(data[k], k).toMatchObject(v as object);
    else expect(data[k], k).toEqual(v);
  }
}

let h: Harness;
/** valid POSTs */
let goodPost: Tenant;
/** valid PATCHes, each on a fresh agent */
let goodPatch: Tenant;
/** invalid POSTs: this organization must never get an agent */
let badPost: Tenant;
/** invalid PATCHes: all against one agent that must never change */
let badPatch: Tenant;
let target: { id: string; body: string };
let seq = 0;

beforeAll(async () => {
  h = await makeHarness();
  [goodPost, goodPatch, badPost, badPatch] = [await h.tenant('good post'), await h.tenant('good patch'), await h.tenant('bad post'), await h.tenant('bad patch')];
  const r = await call(h.app, 'POST', '/api/v1/agents', { key: badPatch.key, body: { name: 'patch target' } });
  expect(r.statusCode).toBe(201);
  target = { id: r.json().data.id, body: (await call(h.app, 'GET', `/api/v1/agents/${r.json().data.id}`, { key: badPatch.key })).body };
});
afterAll(() => h.close());

function expectValidationError(r: { statusCode: number; json: () => any; body: string; headers: Record<string, unknown> }, want: string[]) {
  expect(r.statusCode, r.body.slice(0, 400)).toBe(400);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const b = r.json();
  expect(b.code).toBe('validation_error');
  const got: string[] = b.errors.map((e: any) => e.field);
  expect(got).toEqual([...got].sort()); // api.md: sorted by field
  expect([...got].sort()).toEqual([...want].sort());
  for (const e of b.errors) expect(typeof e.message === 'string' && e.message.length > 0, e.field).toBe(true);
}

describe('valid values are stored (POST)', () => {
  const run = async (c: Good) => {
    const body = { name: `good ${++seq}`, ...c.body };
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: goodPost.key, body });
    expect(r.statusCode, r.body.slice(0, 400)).toBe(201);
    expectStored(r.json().data, c);
    const g = await call(h.app, 'GET', `/api/v1/agents/${r.json().data.id}`, { key: goodPost.key });
    expect(g.body).toBe(r.body);
  };
  it.each(GOOD.filter((c) => !c.bug))('$label', run);
  // the cases with `bug` set (BUG comments in GOOD): expected to fail until the server is fixed
  for (const c of GOOD.filter((x) => x.bug)) it.fails(c.label, () => run(c));
});

describe('valid values are stored (PATCH)', () => {
  it.each(GOOD.filter((c) => c.patch !== false))('$label', async (c) => {
    const a = await call(h.app, 'POST', '/api/v1/agents', { key: goodPatch.key, body: { name: `patch me ${++seq}` } });
    expect(a.statusCode).toBe(201);
    const r = await call(h.app, 'PATCH', `/api/v1/agents/${a.json().data.id}`, { key: goodPatch.key, body: c.body });
    expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
    expectStored(r.json().data, c);
  });
});

describe('invalid values are a validation_error naming the field; nothing is stored (POST)', () => {
  it.each(BAD)('$label → $fields', async (c) => {
    const body = c.noName || 'name' in c.body ? c.body : { name: `bad ${++seq}`, ...c.body };
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: badPost.key, body });
    expectValidationError(r, c.fields);
    const list = await call(h.app, 'GET', '/api/v1/agents?limit=1', { key: badPost.key });
    expect(list.json().data).toEqual([]);
  });
});

describe('invalid values are a validation_error naming the field; the agent is unchanged (PATCH)', () => {
  it.each(BAD.filter((c) => c.patch !== false))('$label → $fields', async (c) => {
    const r = await call(h.app, 'PATCH', `/api/v1/agents/${target.id}`, { key: badPatch.key, body: c.body });
    expectValidationError(r, c.fields);
    const g = await call(h.app, 'GET', `/api/v1/agents/${target.id}`, { key: badPatch.key });
    expect(g.body).toBe(target.body);
  });

  it('the rejected writes appended no audit event', async () => {
    const ev = (await call(h.app, 'GET', `/api/v1/audit-events?resourceId=${target.id}`, { key: badPatch.key })).json().data;
    expect(ev.map((e: any) => e.action)).toEqual(['agent.create']);
    const none = (await call(h.app, 'GET', '/api/v1/audit-events?action=agent.create', { key: badPost.key })).json().data;
    expect(none).toEqual([]);
  });
});

describe('PATCH-only meanings', () => {
  it('null on a non-nullable field restores its default; on name it is an error', async () => {
    const a = await call(h.app, 'POST', '/api/v1/agents', { key: goodPatch.key, body: { name: `nulls ${++seq}`, persona: 'p', llmTemperature: 1, voiceSettings: { speed: 0.8 }, businessHours: { timezone: TZ, weekly: {} } } });
    const id = a.json().data.id;
    const r = await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { persona: null, llmTemperature: null, voiceSettings: null, businessHours: null } });
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toMatchObject({ persona: '', llmTemperature: 0.4, voiceSettings: DEFAULT_VOICE, businessHours: {} });
    expectValidationError(await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { name: null } }), ['name']);
  });

  it('a cross-field rule is checked on the merged document', async () => {
    const a = await call(h.app, 'POST', '/api/v1/agents', { key: goodPatch.key, body: { name: `merged ${++seq}`, endpointing: { minSilenceMs: 1000, maxSilenceMs: 1500 }, handoffConfig: { transferDestination: '+14155550134' }, callControl: { onNoResponseAction: 'transfer' } } });
    const id = a.json().data.id;
    expectValidationError(await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { endpointing: { minSilenceMs: 1600 } } }), ['endpointing.maxSilenceMs']);
    expectValidationError(await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { handoffConfig: { transferDestination: null } } }), ['callControl.onNoResponseAction']);
    expectValidationError(await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { languages: ['en', 'en-US', 'EN-us'] } }), ['languages[2]']);
    const ok = await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { endpointing: { minSilenceMs: 1500 } } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.version).toBe(2);
    const multi = await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { languages: ['en', 'es'] } });
    expect(multi.json().data).toMatchObject({ version: 3, languages: ['en', 'es'], sku: 'code_switch' });
    expectValidationError(await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { primaryLanguage: 'fr' } }), ['primaryLanguage']);
    expectValidationError(await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { sku: 'single_language' } }), ['sku']);
    expectValidationError(await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: goodPatch.key, body: { voiceMap: { de: 'v' } } }), ['voiceMap.de']);
    expect((await call(h.app, 'GET', `/api/v1/agents/${id}`, { key: goodPatch.key })).json().data.version).toBe(3);
  });
});
