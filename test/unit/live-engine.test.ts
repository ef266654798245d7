/** The live-config engine (lifecycle.md "LiveConfig"): overlay, defaults, greeting, transfers, prompt. */
import { describe, expect, it } from 'vitest';
import { VERSIONED_FIELDS, type VersionedConfig } from '../../src/contracts/agent.js';
import { LIVE_RESOLVED_FIELDS } from '../../src/contracts/live.js';
import { createAgentConfig } from '../../src/domain/agents/config.js';
import {
  BUILT_IN_MAX_DURATION_MESSAGE,
  builtInGreeting,
  channelServed,
  resolveAt,
  resolveStatic,
  type Channel,
} from '../../src/engines/live/index.js';

/** A versioned config as a published version would hold it (defaults and normalisation applied). */
function versioned(body: Record<string, unknown>): VersionedConfig {
  const r = createAgentConfig({ name: 'Acme Dental', ...body });
  if (!r.ok) throw new Error(`create failed: ${JSON.stringify(r.errors)}`);
  const all = r.config as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of VERSIONED_FIELDS) out[k] = all[k];
  return out as unknown as VersionedConfig;
}

const weekdays = { start: '09:00', end: '17:00' };
/** America/New_York, mon–fri 09:00–17:00, closed on 2026-12-25 (Christmas). */
function nyHours(afterHours?: Record<string, unknown>): Record<string, unknown> {
  return {
    timezone: 'America/New_York',
    weekly: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
    holidays: [{ date: '2026-12-25', name: 'Christmas', closed: true }],
    ...(afterHours ? { afterHours } : {}),
  };
}

// Monday 2026-12-21 (EST, UTC-5).
const MON_10AM = Date.parse('2026-12-21T15:00:00Z');
const MON_11AM = Date.parse('2026-12-21T16:00:00Z');
const MON_4_59PM = Date.parse('2026-12-21T21:59:00Z');
const MON_5PM = Date.parse('2026-12-21T22:00:00Z');
const MON_8PM = Date.parse('2026-12-22T01:00:00Z');
const XMAS_NOON = Date.parse('2026-12-25T17:00:00Z');

const live = (c: VersionedConfig, channel: Channel, at: number) => {
  const s = resolveStatic(c, channel);
  return { s, ...resolveAt(s, at) };
};

describe('channelServed', () => {
  it('both channels served by default', () => {
    const c = versioned({});
    expect(channelServed(c, 'voice')).toBe(true);
    expect(channelServed(c, 'chat')).toBe(true);
  });

  it('a channel missing from enabledChannels is not served', () => {
    const c = versioned({ enabledChannels: ['voice'] });
    expect(channelServed(c, 'voice')).toBe(true);
    expect(channelServed(c, 'chat')).toBe(false);
  });

  it('an override with enabled: false turns the channel off; enabled: true does not add one', () => {
    const c = versioned({ channelOverrides: { voice: { enabled: false }, chat: { enabled: true } } });
    expect(channelServed(c, 'voice')).toBe(false);
    expect(channelServed(c, 'chat')).toBe(true);
    const d = versioned({ enabledChannels: ['voice'], channelOverrides: { chat: { enabled: true } } });
    expect(channelServed(d, 'chat')).toBe(false);
  });
});

describe('resolved config', () => {
  const base = versioned({
    persona: 'Shared persona',
    tone: 'calm',
    llmModel: 'shared-model',
    llmTemperature: 0.4,
    channelOverrides: { chat: { persona: 'Chat persona', tone: 'playful', llmModel: 'chat-model', llmTemperature: 1.1 } },
  });

  it('overlays persona, tone, llmModel and llmTemperature on the overridden channel only', () => {
    const chat = resolveStatic(base, 'chat').config;
    expect([chat.persona, chat.tone, chat.llmModel, chat.llmTemperature]).toEqual(['Chat persona', 'playful', 'chat-model', 1.1]);
    const voice = resolveStatic(base, 'voice').config;
    expect([voice.persona, voice.tone, voice.llmModel, voice.llmTemperature]).toEqual(['Shared persona', 'calm', 'shared-model', 0.4]);
  });

  it('a partial override keeps the shared values of the other members', () => {
    const c = versioned({ tone: 'calm', llmModel: 'm', channelOverrides: { voice: { tone: 'brisk' } } });
    const v = resolveStatic(c, 'voice').config;
    expect(v.tone).toBe('brisk');
    expect(v.llmModel).toBe('m');
  });

  it('fills every callControl, voiceSettings and endpointing default', () => {
    const c = versioned({});
    c.callControl = {};
    (c as { voiceSettings: Record<string, unknown> }).voiceSettings = { speed: 1.1 };
    (c as { endpointing: Record<string, unknown> }).endpointing = { semantic: false };
    const r = resolveStatic(c, 'voice').config;
    expect(JSON.stringify(r.callControl)).toBe(
      JSON.stringify({
        maxCallSeconds: 600,
        maxDurationMessage: BUILT_IN_MAX_DURATION_MESSAGE,
        idleReminderDelaySeconds: 10,
        idleReminderIntervalSeconds: 10,
        maxIdleReminders: 2,
        endCallPhrasesEnabled: true,
        onNoResponseAction: 'end',
      }),
    );
    expect(JSON.stringify(r.voiceSettings)).toBe(
      JSON.stringify({ stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1.1 }),
    );
    expect(JSON.stringify(r.endpointing)).toBe(JSON.stringify({ minSilenceMs: 400, maxSilenceMs: 2000, semantic: false }));
  });

  it('keeps stored callControl values; a null maxDurationMessage takes the built-in sentence', () => {
    const c = versioned({
      callControl: { maxCallSeconds: 120, maxDurationMessage: null, maxIdleReminders: 0, onNoResponseAction: 'transfer' },
      handoffConfig: { transferDestination: '(415) 555-0134' },
    });
    const cc = resolveStatic(c, 'voice').config.callControl;
    expect(cc).toEqual({
      maxCallSeconds: 120,
      maxDurationMessage: BUILT_IN_MAX_DURATION_MESSAGE,
      idleReminderDelaySeconds: 10,
      idleReminderIntervalSeconds: 10,
      maxIdleReminders: 0,
      endCallPhrasesEnabled: true,
      onNoResponseAction: 'transfer',
    });
    const d = versioned({ callControl: { maxDurationMessage: 'Time is up, bye.' } });
    expect(resolveStatic(d, 'chat').config.callControl.maxDurationMessage).toBe('Time is up, bye.');
  });

  it('has the contract fields in order, without channelOverrides', () => {
    const r = resolveStatic(base, 'chat').config;
    expect(Object.keys(r)).toEqual(LIVE_RESOLVED_FIELDS);
    expect(Object.keys(r)).not.toContain('channelOverrides');
    expect(Object.keys(r)).toEqual(VERSIONED_FIELDS.filter((k) => k !== 'channelOverrides'));
  });

  it('shares no reference with the input: mutating the output leaves the input unchanged', () => {
    const c = versioned({
      goals: ['Book appointments'],
      lexicon: { preferred: ['appointment'], pronunciations: { 'Dr.': 'doctor' } },
      handoffConfig: { transferRules: [{ label: 'billing', when: 'invoices', destination: '+14155550100' }] },
      businessHours: nyHours({ mode: 'take_message' }),
      voiceMap: { en: 'rachel' },
    });
    const before = JSON.stringify(c);
    const r = resolveStatic(c, 'voice').config as unknown as Record<string, unknown>;
    const input = c as unknown as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      if (typeof r[k] === 'object' && r[k] !== null) expect(r[k], k).not.toBe(input[k]);
    }
    const m = r as unknown as ReturnType<typeof resolveStatic>['config'];
    m.goals.push('x');
    m.lexicon.preferred.push('y');
    m.lexicon.pronunciations['Dr.'] = 'dee-arr';
    m.handoffConfig.transferRules[0]!.label = 'changed';
    m.businessHours.timezone = 'UTC';
    m.voiceMap.en = 'other';
    m.languages.push('fr');
    expect(JSON.stringify(c)).toBe(before);
  });

  it('does not mutate the input', () => {
    const c = versioned({ channelOverrides: { chat: { persona: 'P', greeting: 'Hi' } }, businessHours: nyHours() });
    const before = JSON.stringify(c);
    resolveAt(resolveStatic(c, 'chat'), MON_8PM);
    resolveAt(resolveStatic(c, 'voice'), MON_10AM);
    expect(JSON.stringify(c)).toBe(before);
  });
});

describe('greeting', () => {
  it.each(['voice', 'chat'] as const)('%s: a non-empty override wins', (ch) => {
    const c = versioned({ greeting: 'Shared hello', channelOverrides: { [ch]: { greeting: `Hello from ${ch}` } } });
    const s = resolveStatic(c, ch);
    expect(s.greeting).toBe(`Hello from ${ch}`);
    expect(s.config.greeting).toBe(`Hello from ${ch}`);
    const other = ch === 'voice' ? 'chat' : 'voice';
    expect(resolveStatic(c, other).greeting).toBe('Shared hello');
  });

  it.each([
    ['voice', ''],
    ['voice', null],
    ['chat', ''],
    ['chat', null],
  ] as const)('%s: override %j inherits the shared greeting', (ch, g) => {
    const c = versioned({ greeting: 'Shared hello', channelOverrides: { [ch]: { greeting: g } } });
    const s = resolveStatic(c, ch);
    expect(s.greeting).toBe('Shared hello');
    expect(s.config.greeting).toBe('Shared hello');
  });

  it.each([
    ['voice', null],
    ['voice', ''],
    ['chat', null],
    ['chat', ''],
  ] as const)('%s: shared %j falls back to the built-in greeting naming the agent', (ch, g) => {
    const c = versioned({ greeting: g, channelOverrides: { [ch]: { greeting: '' } } });
    const s = resolveStatic(c, ch);
    expect(s.greeting).toBe(builtInGreeting('Acme Dental'));
    expect(s.greeting).toContain('Acme Dental');
  });
});

describe('transfers', () => {
  const rule = { label: 'billing', when: 'the caller asks about an invoice', destination: '415.555.0100' };

  it('open with a destination: allowed, destination, rules', () => {
    const c = versioned({
      businessHours: nyHours(),
      handoffConfig: { warm: true, transferDestination: '(415) 555-0134', transferRules: [rule] },
    });
    const { transfers, hours } = live(c, 'voice', MON_10AM);
    expect(hours.open).toBe(true);
    expect(transfers).toEqual({
      humanTransferAllowed: true,
      destination: '+14155550134',
      rules: [{ label: 'billing', when: 'the caller asks about an invoice', destination: '+14155550100' }],
      emergencyNumber: null,
      warm: true,
    });
    expect(Object.keys(transfers)).toEqual(['humanTransferAllowed', 'destination', 'rules', 'emergencyNumber', 'warm']);
  });

  it('open with only rules: allowed, destination null', () => {
    const c = versioned({ businessHours: nyHours(), handoffConfig: { transferRules: [rule] } });
    const { transfers } = live(c, 'voice', MON_10AM);
    expect(transfers.humanTransferAllowed).toBe(true);
    expect(transfers.destination).toBeNull();
    expect(transfers.rules).toHaveLength(1);
    expect(transfers.warm).toBe(false);
  });

  it('open with neither: not allowed', () => {
    const c = versioned({ businessHours: nyHours() });
    const { transfers } = live(c, 'chat', MON_10AM);
    expect(transfers).toEqual({ humanTransferAllowed: false, destination: null, rules: [], emergencyNumber: null, warm: false });
  });

  it('closed without allowHumanTransfer: not allowed, no destination, no rules', () => {
    const c = versioned({
      businessHours: nyHours({ mode: 'take_message', number: '+14155550199' }),
      handoffConfig: { transferDestination: '+14155550134', transferRules: [rule] },
    });
    const { transfers, hours } = live(c, 'voice', MON_8PM);
    expect(hours.open).toBe(false);
    expect(transfers).toEqual({ humanTransferAllowed: false, destination: null, rules: [], emergencyNumber: null, warm: false });
  });

  it('closed with allowHumanTransfer: allowed, the after-hours number', () => {
    const c = versioned({
      businessHours: nyHours({ allowHumanTransfer: true, number: '(415) 555-0199' }),
      handoffConfig: { transferDestination: '+14155550134', transferRules: [rule], warm: true },
    });
    const { transfers } = live(c, 'voice', MON_8PM);
    expect(transfers).toEqual({
      humanTransferAllowed: true,
      destination: '+14155550199',
      rules: [],
      emergencyNumber: null,
      warm: true,
    });
  });

  it('closed with mode forward: allowed, the after-hours number', () => {
    const c = versioned({ businessHours: nyHours({ mode: 'forward', number: 'sip:night@example.com' }) });
    const { transfers } = live(c, 'chat', XMAS_NOON);
    expect(transfers.humanTransferAllowed).toBe(true);
    expect(transfers.destination).toBe('sip:night@example.com');
    expect(transfers.rules).toEqual([]);
  });

  it('the emergency number is returned open and closed when set, null when unset', () => {
    const c = versioned({ businessHours: nyHours({ emergencyNumber: '415-555-0911' }) });
    const s = resolveStatic(c, 'voice');
    expect(resolveAt(s, MON_10AM).transfers.emergencyNumber).toBe('+14155550911');
    expect(resolveAt(s, MON_8PM).transfers.emergencyNumber).toBe('+14155550911');
    const u = resolveStatic(versioned({ businessHours: nyHours() }), 'voice');
    expect(resolveAt(u, MON_10AM).transfers.emergencyNumber).toBeNull();
    expect(resolveAt(u, MON_8PM).transfers.emergencyNumber).toBeNull();
  });

  it('warm is passed through, open and closed', () => {
    const c = versioned({ businessHours: nyHours(), handoffConfig: { warm: true } });
    const s = resolveStatic(c, 'voice');
    expect(resolveAt(s, MON_10AM).transfers.warm).toBe(true);
    expect(resolveAt(s, MON_8PM).transfers.warm).toBe(true);
  });

  it('rules are copies, pre-built once and reused between instants', () => {
    const c = versioned({ businessHours: nyHours(), handoffConfig: { transferRules: [rule] } });
    const s = resolveStatic(c, 'voice');
    const a = resolveAt(s, MON_10AM).transfers;
    const b = resolveAt(s, MON_11AM).transfers;
    expect(a.rules).toBe(b.rules);
    expect(a.rules[0]).not.toBe(s.config.handoffConfig.transferRules[0]);
    expect(a.rules[0]).not.toBe(c.handoffConfig.transferRules[0]);
  });
});

describe('unconfigured schedule', () => {
  it('is always open, transfers as when open, no hours section in the prompt', () => {
    const c = versioned({ handoffConfig: { transferDestination: '+14155550134' } });
    const s = resolveStatic(c, 'voice');
    for (const at of [MON_10AM, MON_8PM, XMAS_NOON]) {
      const d = resolveAt(s, at);
      expect(d.hours.configured).toBe(false);
      expect(d.hours.open).toBe(true);
      expect(d.transfers.humanTransferAllowed).toBe(true);
      expect(d.transfers.destination).toBe('+14155550134');
      expect(d.systemPrompt).not.toContain('## Business hours');
    }
    expect(resolveAt(s, MON_10AM).systemPrompt).toBe(resolveAt(s, XMAS_NOON).systemPrompt);
  });
});

describe('systemPrompt', () => {
  const full = () =>
    versioned({
      persona: 'You are Dana, the front desk of Acme Dental in Brooklyn.',
      tone: 'warm and concise',
      goals: ['Book cleanings', 'Answer insurance questions'],
      neverDo: ['Give medical advice', 'Quote prices for surgery'],
      lexicon: {
        preferred: ['appointment', 'hygienist'],
        banned: ['cheap', 'painless'],
        pronunciations: { 'Dr.': 'doctor', Invisalign: 'in-viz-a-line' },
      },
      primaryLanguage: 'en-US',
      languages: ['en-US', 'es', 'fr'],
      businessHours: nyHours({
        mode: 'take_message',
        message: 'Our office is closed. We reopen {nextOpen}.',
        emergencyNumber: '+14155550911',
      }),
    });

  it('is deterministic: the same inputs twice give the same text', () => {
    const a = resolveAt(resolveStatic(full(), 'voice'), MON_8PM).systemPrompt;
    const b = resolveAt(resolveStatic(full(), 'voice'), MON_8PM).systemPrompt;
    expect(a).toBe(b);
    const s = resolveStatic(full(), 'chat');
    expect(resolveAt(s, MON_10AM).systemPrompt).toBe(resolveAt(s, MON_10AM).systemPrompt);
  });

  it('is identical at two instants of the same opening (no current time in it)', () => {
    const s = resolveStatic(full(), 'voice');
    const a = resolveAt(s, MON_10AM);
    const b = resolveAt(s, MON_4_59PM);
    expect(a.hours.localTime).not.toBe(b.hours.localTime);
    expect(a.hours.nextChangeAt).toBe(b.hours.nextChangeAt);
    expect(a.systemPrompt).toBe(b.systemPrompt);
    expect(a.systemPrompt).not.toContain('10:00 AM');
    expect(a.systemPrompt).not.toContain(a.hours.localTimeSpoken!);
    expect(a.systemPrompt).not.toContain(a.hours.localTime!);
  });

  it('differs on either side of closing', () => {
    const s = resolveStatic(full(), 'voice');
    const open = resolveAt(s, MON_4_59PM).systemPrompt;
    const closed = resolveAt(s, MON_5PM).systemPrompt;
    expect(open).not.toBe(closed);
    expect(open).toContain('open now');
    expect(open).toContain('It closes Monday 5:00 PM.');
    expect(closed).toContain('closed now');
    expect(closed).toContain('It opens again Tuesday 9:00 AM.');
    expect(closed).not.toContain('5:00 PM');
  });

  it('contains persona, tone, every goal and prohibition, the lexicon', () => {
    const p = resolveAt(resolveStatic(full(), 'voice'), MON_10AM).systemPrompt;
    expect(p).toContain('## Persona\nYou are Dana, the front desk of Acme Dental in Brooklyn.');
    expect(p).toContain('## Tone\nwarm and concise');
    expect(p).toContain('## Goals\n- Book cleanings\n- Answer insurance questions');
    expect(p).toContain('## Never do\n- Give medical advice\n- Quote prices for surgery');
    for (const term of ['appointment', 'hygienist', 'cheap', 'painless']) expect(p).toContain(`- ${term}`);
    expect(p).toMatch(/Prefer these terms:\n- appointment\n- hygienist/);
    expect(p).toMatch(/Never use these terms:\n- cheap\n- painless/);
    expect(p).toContain('- Dr. → doctor');
    expect(p).toContain('- Invisalign → in-viz-a-line');
    expect(p).toContain('Acme Dental');
  });

  it('uses the channel override of persona and tone', () => {
    const c = versioned({ persona: 'Shared persona', channelOverrides: { chat: { persona: 'Chat persona', tone: 'playful' } } });
    const chat = resolveAt(resolveStatic(c, 'chat'), MON_10AM).systemPrompt;
    const voice = resolveAt(resolveStatic(c, 'voice'), MON_10AM).systemPrompt;
    expect(chat).toContain('## Persona\nChat persona');
    expect(chat).toContain('## Tone\nplayful');
    expect(voice).toContain('## Persona\nShared persona');
    expect(voice).not.toContain('## Tone');
  });

  it('omits empty sections', () => {
    const p = resolveAt(resolveStatic(versioned({}), 'voice'), MON_10AM).systemPrompt;
    for (const h of ['## Persona', '## Tone', '## Goals', '## Never do', '## Vocabulary', '## Business hours']) {
      expect(p).not.toContain(h);
    }
    expect(p).toContain('## Language');
  });

  it('languages: code_switch may switch to any language, single_language always speaks the primary', () => {
    const cs = resolveAt(resolveStatic(full(), 'voice'), MON_10AM).systemPrompt;
    expect(full().sku).toBe('code_switch');
    expect(cs).toContain('Start in American English (en-US), the primary language.');
    expect(cs).toContain('you may switch to it: American English (en-US), Spanish (es), French (fr).');
    const single = versioned({ languages: ['es'] });
    expect(single.sku).toBe('single_language');
    const ss = resolveAt(resolveStatic(single, 'chat'), MON_10AM).systemPrompt;
    expect(ss).toContain('Always speak Spanish (es), even if the customer uses another language.');
    expect(ss).not.toContain('switch');
  });

  it('closed for a holiday: names it, says the message, take_message instructions, emergency number', () => {
    const d = resolveAt(resolveStatic(full(), 'voice'), XMAS_NOON);
    expect(d.hours.reason).toBe('holiday');
    const p = d.systemPrompt;
    expect(p).toContain('## Business hours');
    expect(p).toContain('America/New_York');
    expect(p).toContain('The business is closed now (holiday: Christmas).');
    expect(p).toContain('It opens again Monday 9:00 AM.');
    expect(p).toContain('say: "Our office is closed. We reopen Monday 9:00 AM."');
    expect(p).toContain('offer to take a message');
    expect(p).toMatch(/name, phone number and the reason/);
    expect(p).toContain('Transfers to a person are not available until the business opens again.');
    expect(p).toContain('+14155550911');
    expect(p).not.toContain(d.hours.localTimeSpoken!);
  });

  it('after-hours modes answer and forward, and transfer allowed', () => {
    const answer = resolveAt(resolveStatic(versioned({ businessHours: nyHours() }), 'voice'), MON_8PM).systemPrompt;
    expect(answer).toContain('Keep helping the caller with everything as usual');
    expect(answer).toContain(`say: "We're closed right now. We open again Tuesday 9:00 AM."`);
    expect(answer).not.toContain('emergency');
    const fwd = resolveAt(
      resolveStatic(versioned({ businessHours: nyHours({ mode: 'forward', number: '+14155550199' }) }), 'voice'),
      MON_8PM,
    ).systemPrompt;
    expect(fwd).toContain('you will transfer them to the after-hours line');
    const allowed = resolveAt(
      resolveStatic(versioned({ businessHours: nyHours({ allowHumanTransfer: true, number: '+14155550199' }) }), 'chat'),
      MON_8PM,
    ).systemPrompt;
    expect(allowed).toContain('If the customer asks for a person, you may transfer them to the after-hours line.');
  });

  it('the open prompt mentions the emergency number when set', () => {
    const p = resolveAt(resolveStatic(full(), 'voice'), MON_10AM).systemPrompt;
    expect(p).toContain('The business is open now.');
    expect(p).toContain('+14155550911');
  });
});

describe('callControl platform defaults (from the schema\'s x-platform-default)', () => {
  it('cover every callControl member with agent.md\'s values', async () => {
    const { CALL_CONTROL_DEFAULTS } = await import('../../src/engines/live/index.js');
    const { CallControl } = await import('../../src/contracts/agent.js');
    expect(Object.keys(CALL_CONTROL_DEFAULTS)).toEqual(Object.keys(CallControl.properties));
    expect(CALL_CONTROL_DEFAULTS).toEqual({
      maxCallSeconds: 600, maxDurationMessage: expect.stringMatching(/\w/), idleReminderDelaySeconds: 10,
      idleReminderIntervalSeconds: 10, maxIdleReminders: 2, endCallPhrasesEnabled: true, onNoResponseAction: 'end',
    });
  });
});
