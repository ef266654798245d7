import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';
import { createAjv } from '../../src/contracts/validator.js';
import { LiveCallControl, LiveConfigSchema, LiveResolvedConfig } from '../../src/contracts/live.js';
import { Agent, Holiday } from '../../src/contracts/agent.js';

const { h, t } = await fileHarness();
// createAjv() knows Flowyte's request formats only; the live body's instants are ISO ms UTC.
const validLive = createAjv()
  .addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .compile(LiveConfigSchema);

// Monday 2026-12-21 in New York (UTC-05:00): 10:00, 11:30 and 17:30 local.
const MON_1000 = '2026-12-21T15:00:00Z';
const MON_1130 = '2026-12-21T16:30:00Z';
const MON_1730 = '2026-12-21T22:30:00Z';
const nineToFive = { start: '09:00', end: '17:00' };
const schedule = (afterHours: Record<string, unknown> = {}) => ({
  timezone: 'America/New_York',
  weekly: { mon: [nineToFive], tue: [nineToFive], wed: [nineToFive], thu: [nineToFive], fri: [nineToFive] },
  afterHours,
});

const create = async (body: Record<string, unknown>) => {
  const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().data;
};
const patch = async (id: string, body: Record<string, unknown>) => {
  const r = await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: t.key, body });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().data;
};
const publish = async (id: string) => {
  const r = await call(h.app, 'POST', `/api/v1/agents/${id}/publish`, { key: t.key });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().data;
};
const published = async (body: Record<string, unknown>) => {
  const a = await create(body);
  return { ...a, v1: await publish(a.id) };
};
const live = (id: string, qs: string, opts: { key?: string; headers?: Record<string, string> } = {}) =>
  call(h.app, 'GET', `/api/v1/agents/${id}/live${qs}`, { key: opts.key ?? t.key, headers: opts.headers });
const liveData = async (id: string, qs: string) => {
  const r = await live(id, qs);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().data;
};
const hours = (id: string, qs: string, key = t.key) => call(h.app, 'GET', `/api/v1/agents/${id}/hours${qs}`, { key });
const fields = (r: { json: () => any }) => r.json().errors.map((e: any) => e.field);
const code = (r: { statusCode: number; json: () => any }) => [r.statusCode, r.json().code];
const keysOf = (schema: { properties: object }) => Object.keys(schema.properties);

/** Every object in `v` has its members in the order of `schema` (JSONB reorders them in storage). */
function expectContractOrder(v: unknown, schema: any, path = 'config'): void {
  if (schema.anyOf) {
    const inner = schema.anyOf.find((x: any) => x.type === 'object' || x.type === 'array');
    if (inner && v !== null) expectContractOrder(v, inner, path);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => schema.items && expectContractOrder(x, schema.items, `${path}[${i}]`));
  } else if (v !== null && typeof v === 'object' && schema.properties) {
    const order = Object.keys(schema.properties).filter((k) => k in v);
    expect(Object.keys(v), path).toEqual(order);
    for (const k of order) expectContractOrder((v as any)[k], schema.properties[k], `${path}.${k}`);
  }
}

// Nested members are written in an order the contract does not use (JSONB reorders them anyway).
const clinic = await published({
  name: 'Harbor Clinic',
  persona: 'You are Riley, the "front desk" of Harbor Clinic 🏥.\nBe kind.', // escaping survives the prompt's assembly
  tone: 'warm and concise',
  goals: ['Book appointments', 'Answer questions about parking'],
  neverDo: ['Give medical advice', 'Quote prices'],
  greeting: 'Welcome to Harbor Clinic.',
  languages: ['en-US', 'es'],
  voiceMap: { es: 'lucia', 'en-US': 'rachel' },
  defaultVoiceId: 'rachel',
  endpointing: { semantic: false, maxSilenceMs: 1500 },
  voiceSettings: { speed: 1.1, style: 0.2, stability: 0.6 },
  lexicon: { pronunciations: { 'Dr.': 'doctor' }, banned: ['cheap'], preferred: ['appointment'] },
  handoffConfig: {
    transferRules: [{ label: 'billing', when: 'the caller asks about an invoice', destination: '+14155550111' }],
    warm: true,
    transferDestination: '(415) 555-0100',
  },
  callControl: { maxCallSeconds: 900 },
  businessHours: {
    ...schedule({ emergencyNumber: '(415) 555-0199', message: 'Closed. Back {nextOpen}.' }),
    holidays: [{ name: 'Christmas', date: '2026-12-25', closed: true }],
  },
  channelOverrides: {
    voice: { greeting: 'Thanks for calling Harbor Clinic.', tone: 'calm', llmModel: 'fast-voice', llmTemperature: 0.2 },
    chat: { greeting: 'Hi! How can I help?', persona: 'You are Riley, chatting on the Harbor Clinic website.', llmTemperature: 0 },
  },
});

describe('GET /agents/{id}/live: the resolved body', () => {
  it('voice: the published version with its overrides applied, valid against LiveConfig, in contract order', async () => {
    const r = await live(clinic.id, '?channel=voice&at=2026-12-21T10:00:00-05:00');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = r.json();
    expect(Object.keys(body)).toEqual(['success', 'data']);
    const d = body.data;
    expect(validLive(d), JSON.stringify(validLive.errors)).toBe(true);
    expect(Object.keys(d)).toEqual(['agentId', 'versionId', 'versionNumber', 'channel', 'at', 'config', 'greeting', 'hours', 'transfers', 'systemPrompt']);
    expect(d).toMatchObject({ agentId: clinic.id, versionId: clinic.v1.id, versionNumber: 1, channel: 'voice', at: '2026-12-21T15:00:00.000Z' });
    expect(d.config).toMatchObject({
      name: 'Harbor Clinic', persona: clinic.persona, tone: 'calm', llmModel: 'fast-voice', llmTemperature: 0.2,
      greeting: 'Thanks for calling Harbor Clinic.',
    });
    expect(d.greeting).toBe('Thanks for calling Harbor Clinic.');
    expect(d.config).not.toHaveProperty('channelOverrides');
    expect(Object.keys(d.config)).toEqual(keysOf(LiveResolvedConfig));
    expectContractOrder(d, LiveConfigSchema, 'data');
  });

  // Responses are serialised required-members-first (fast-json-stringify), so the Holiday schema
  // declares its required members first: schema order and wire order agree.
  it('a holiday with an endDate comes out in the schema\'s order, which is the wire order', async () => {
    const holiday = { ranges: [{ end: '12:00', start: '10:00' }], closed: false, name: 'Christmas Eve', endDate: '2026-12-26', date: '2026-12-24' };
    const a = await published({ name: 'Holiday Order', businessHours: { ...schedule(), holidays: [holiday] } });
    const d = await liveData(a.id, `?channel=chat&at=${MON_1000}`);
    expect(d.config.businessHours.holidays).toEqual([holiday]);
    expect(Object.keys(d.config.businessHours.holidays[0])).toEqual(['date', 'name', 'endDate', 'closed', 'ranges']);
    expect(Object.keys(d.config.businessHours.holidays[0])).toEqual(keysOf(Holiday));
  });

  it('config is the version\'s config, complete, apart from overrides and the filled-in callControl', async () => {
    const v = await call(h.app, 'GET', `/api/v1/agents/${clinic.id}/versions/${clinic.v1.id}`, { key: t.key });
    const { channelOverrides, callControl, ...shared } = v.json().data.config;
    const d = await liveData(clinic.id, `?channel=chat&at=${MON_1000}`);
    expect(d.config).toEqual({
      ...shared,
      persona: channelOverrides.chat.persona,
      greeting: channelOverrides.chat.greeting,
      llmTemperature: 0,
      callControl: { ...d.config.callControl, ...callControl },
    });
    expect(d.config.voiceMap).toEqual({ 'en-US': 'rachel', es: 'lucia' });
    expect(d.config.lexicon.pronunciations).toEqual({ 'Dr.': 'doctor' });
    expect(d.config.businessHours.holidays).toEqual([{ date: '2026-12-25', name: 'Christmas', closed: true }]);
  });

  it('at: any RFC 3339 form, answered as the instant in ISO ms UTC; default now', async () => {
    const at = async (q: string) => (await liveData(clinic.id, `?channel=chat&at=${q}`)).at;
    expect(await at('2026-12-21T20:00:00.123456%2B05:00')).toBe('2026-12-21T15:00:00.123Z');
    expect(await at('2026-12-21T20:00:00+05:00')).toBe('2026-12-21T15:00:00.000Z'); // the unencoded + reads as a space
    expect(await at('2026-12-21t15:00:00z')).toBe('2026-12-21T15:00:00.000Z');
    const before = Date.now();
    const now = Date.parse((await liveData(clinic.id, '?channel=chat')).at);
    expect(now).toBeGreaterThanOrEqual(before - 1000);
    expect(now).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('fills every callControl default and serialises nested objects in the schema order', async () => {
    const plain = await published({ name: 'Plain Desk' });
    const d = await liveData(plain.id, '?channel=chat');
    expect(validLive(d), JSON.stringify(validLive.errors)).toBe(true);
    expect(d.config.callControl).toEqual({
      maxCallSeconds: 600, maxDurationMessage: expect.stringMatching(/\S/), idleReminderDelaySeconds: 10,
      idleReminderIntervalSeconds: 10, maxIdleReminders: 2, endCallPhrasesEnabled: true, onNoResponseAction: 'end',
    });
    const strict = await published({
      name: 'Strict Desk',
      handoffConfig: { transferDestination: '+14155550100' },
      callControl: { maxDurationMessage: null, maxIdleReminders: 0, endCallPhrasesEnabled: false, onNoResponseAction: 'transfer' },
    });
    expect((await liveData(strict.id, '?channel=voice')).config.callControl).toEqual({
      ...d.config.callControl, maxIdleReminders: 0, endCallPhrasesEnabled: false, onNoResponseAction: 'transfer',
    });
    const c = (await liveData(clinic.id, `?channel=voice&at=${MON_1000}`)).config;
    expect(c.callControl).toMatchObject({ maxCallSeconds: 900, maxIdleReminders: 2, onNoResponseAction: 'end' });
    expect(Object.keys(c.callControl)).toEqual(keysOf(LiveCallControl));
    expect(Object.keys(c.lexicon)).toEqual(keysOf(Agent.properties.lexicon));
    expect(Object.keys(c.handoffConfig)).toEqual(keysOf(Agent.properties.handoffConfig));
    expect(Object.keys(c.voiceSettings)).toEqual(keysOf(Agent.properties.voiceSettings));
    expect(Object.keys(c.endpointing)).toEqual(keysOf(Agent.properties.endpointing));
    expect(Object.keys(c.businessHours)).toEqual(keysOf(Agent.properties.businessHours));
    expect(Object.keys(c.businessHours.weekly.mon[0])).toEqual(['start', 'end']);
    expect(c.voiceSettings).toEqual({ stability: 0.6, similarityBoost: 0.75, style: 0.2, useSpeakerBoost: true, speed: 1.1 });
    expect(c.handoffConfig).toMatchObject({ warm: true, transferDestination: '+14155550100' });
  });

  it('chat: its own overrides; what it does not override comes from the shared config', async () => {
    const d = await liveData(clinic.id, `?channel=chat&at=${MON_1000}`);
    expect(validLive(d), JSON.stringify(validLive.errors)).toBe(true);
    expect(d.channel).toBe('chat');
    expect(d.config).toMatchObject({
      persona: 'You are Riley, chatting on the Harbor Clinic website.', tone: 'warm and concise',
      llmModel: 'default', llmTemperature: 0, greeting: 'Hi! How can I help?',
    });
    expect(d.greeting).toBe('Hi! How can I help?');
  });

  it('greeting: a non-empty override, else the shared greeting, else a built-in one naming the agent', async () => {
    const inherit = await published({ name: 'Inheritor', greeting: 'Shared hello.', channelOverrides: { voice: { greeting: '' }, chat: { greeting: null } } });
    expect((await liveData(inherit.id, '?channel=voice')).greeting).toBe('Shared hello.');
    expect((await liveData(inherit.id, '?channel=chat')).greeting).toBe('Shared hello.');
    for (const greeting of [null, '']) {
      const bare = await published({ name: `Quiet Desk ${greeting === null ? 'A' : 'B'}`, greeting, channelOverrides: { chat: { greeting: '' } } });
      for (const channel of ['voice', 'chat']) {
        const g = (await liveData(bare.id, `?channel=${channel}`)).greeting;
        expect(g, `${channel}, shared ${JSON.stringify(greeting)}`).toContain(bare.name);
      }
    }
  });

  it('systemPrompt: deterministic, compiled from persona, tone, goals and neverDo of the channel', async () => {
    const a = await liveData(clinic.id, `?channel=voice&at=${MON_1000}`);
    const b = await liveData(clinic.id, `?channel=voice&at=${MON_1000}`);
    expect(b.systemPrompt).toBe(a.systemPrompt);
    for (const part of [clinic.persona, 'calm', 'Book appointments', 'Answer questions about parking', 'Give medical advice', 'Quote prices']) {
      expect(a.systemPrompt).toContain(part);
    }
    const chat = (await liveData(clinic.id, `?channel=chat&at=${MON_1000}`)).systemPrompt;
    expect(chat).toContain('You are Riley, chatting on the Harbor Clinic website.');
    expect(chat).toContain('warm and concise');
    expect(a.systemPrompt).not.toContain('warm and concise');
    // computed afresh (draft=true, never cached) from an equal config: the same text
    expect((await liveData(clinic.id, `?channel=voice&draft=true&at=${MON_1000}`)).systemPrompt).toBe(a.systemPrompt);
  });

  it('draft=true resolves the draft, with a null versionId and versionNumber', async () => {
    const fresh = await create({ name: 'Drafty', greeting: 'Draft hello.' });
    const d = await liveData(fresh.id, '?channel=voice&draft=true');
    expect(validLive(d), JSON.stringify(validLive.errors)).toBe(true);
    expect(d).toMatchObject({ agentId: fresh.id, versionId: null, versionNumber: null, greeting: 'Draft hello.' });
  });
});

describe('transfers and hours', () => {
  const handoff = {
    warm: false,
    transferDestination: '+14155550100',
    transferRules: [{ label: 'billing', when: 'invoices', destination: '+14155550111' }],
  };
  const emergency = '+14155550199';
  const cases = [
    { label: 'nothing after hours', afterHours: { emergencyNumber: emergency }, closed: { humanTransferAllowed: false, destination: null } },
    { label: 'allowHumanTransfer', afterHours: { allowHumanTransfer: true, number: '+14155550122', emergencyNumber: emergency }, closed: { humanTransferAllowed: true, destination: '+14155550122' } },
    { label: 'mode forward', afterHours: { mode: 'forward', number: 'sip:night@example.com', emergencyNumber: emergency }, closed: { humanTransferAllowed: true, destination: 'sip:night@example.com' } },
  ];

  it.each(cases)('open vs closed with $label', async ({ label, afterHours, closed }) => {
    const a = await published({ name: `Transfers ${label}`, handoffConfig: handoff, businessHours: schedule(afterHours) });
    const open = await liveData(a.id, `?channel=voice&at=${MON_1000}`);
    expect(open.hours.open).toBe(true);
    expect(open.transfers).toEqual({ humanTransferAllowed: true, destination: '+14155550100', rules: handoff.transferRules, emergencyNumber: emergency, warm: false });
    const shut = await liveData(a.id, `?channel=voice&at=${MON_1730}`);
    expect(shut.hours.open).toBe(false);
    expect(shut.transfers).toEqual({ ...closed, rules: [], emergencyNumber: emergency, warm: false });
    expect(Object.keys(shut.transfers)).toEqual(['humanTransferAllowed', 'destination', 'rules', 'emergencyNumber', 'warm']);
    expect(shut.systemPrompt).toContain(emergency);
    expect(shut.greeting).toBe(open.greeting);
  });

  it('open without a destination or rule: no transfer; no emergency number when none is set', async () => {
    const a = await published({ name: 'No Handoff', businessHours: schedule() });
    const d = await liveData(a.id, `?channel=chat&at=${MON_1000}`);
    expect(d.transfers).toEqual({ humanTransferAllowed: false, destination: null, rules: [], emergencyNumber: null, warm: false });
  });

  it('hours is the live version\'s status, also on /hours; the draft\'s schedule only with draft=true', async () => {
    const a = await published({ name: 'Hours Split', businessHours: schedule() });
    await patch(a.id, { businessHours: { weekly: { mon: [{ start: '12:00', end: '17:00' }] } } });
    const d = await liveData(a.id, `?channel=voice&at=${MON_1000}`);
    expect(d.hours).toMatchObject({ open: true, localTime: '2026-12-21T10:00:00-05:00', currentRange: nineToFive, nextChangeAt: '2026-12-21T22:00:00.000Z' });
    expect((await hours(a.id, `?at=${MON_1000}`)).json().data).toEqual(d.hours);
    expect((await hours(a.id, `?draft=false&at=${MON_1000}`)).json().data.open).toBe(true);
    expect((await hours(a.id, `?draft=true&at=${MON_1000}`)).json().data.open).toBe(false);
    expect((await liveData(a.id, `?channel=voice&draft=true&at=${MON_1000}`)).hours.open).toBe(false);
  });

  it('/hours without draft: 409 before the first publish; isActive is ignored', async () => {
    const a = await create({ name: 'Hours Unpublished', businessHours: schedule() });
    expect(code(await hours(a.id, `?at=${MON_1000}`))).toEqual([409, 'no_published_version']);
    await publish(a.id);
    await patch(a.id, { isActive: false });
    const r = await hours(a.id, `?at=${MON_1730}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toMatchObject({ open: false, nextOpenAt: '2026-12-22T14:00:00.000Z' });
  });
});

describe('errors', () => {
  it('channel is required and must be voice or chat; at and draft are checked; all in one error', async () => {
    const missing = await live(clinic.id, '');
    expect(code(missing)).toEqual([400, 'validation_error']);
    expect(fields(missing)).toEqual(['channel']);
    expect(fields(await live(clinic.id, '?channel=sms'))).toEqual(['channel']);
    expect(fields(await live(clinic.id, '?channel=voice&channel=chat'))).toEqual(['channel']);
    expect(fields(await live(clinic.id, '?channel=voice&at=tomorrow'))).toEqual(['at']);
    expect(fields(await live(clinic.id, '?channel=voice&draft=yes'))).toEqual(['draft']);
    const all = await live(clinic.id, '?channel=sms&at=2026-12-21T10:00:00&draft=1');
    expect(code(all)).toEqual([400, 'validation_error']);
    expect(fields(all)).toEqual(['at', 'channel', 'draft']);
    // the request's shape is checked before the agent is looked up
    expect(code(await live('agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', '?channel=fax'))).toEqual([400, 'validation_error']);
  });

  it('unknown and malformed ids are 404', async () => {
    expect(code(await live('agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', '?channel=voice'))).toEqual([404, 'not_found']);
    expect(code(await live('nope', '?channel=voice'))).toEqual([404, 'not_found']);
    expect(code(await live('agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', '?channel=voice&draft=true'))).toEqual([404, 'not_found']);
  });

  it('never published: 409 no_published_version (draft=true still answers)', async () => {
    const a = await create({ name: 'Never Published' });
    expect(code(await live(a.id, '?channel=voice'))).toEqual([409, 'no_published_version']);
    expect(code(await live(a.id, '?channel=voice&draft=false'))).toEqual([409, 'no_published_version']);
    expect((await live(a.id, '?channel=voice&draft=true')).statusCode).toBe(200);
  });

  it('a channel not enabled, or switched off by its override, is 409 channel_disabled', async () => {
    const a = await published({ name: 'Voice Only', enabledChannels: ['voice'], channelOverrides: { voice: { enabled: true } } });
    expect(code(await live(a.id, '?channel=chat'))).toEqual([409, 'channel_disabled']);
    expect((await live(a.id, '?channel=voice')).statusCode).toBe(200);
    const b = await published({ name: 'Chat Only', channelOverrides: { voice: { enabled: false } } });
    expect(code(await live(b.id, '?channel=voice'))).toEqual([409, 'channel_disabled']);
    expect(code(await live(b.id, '?channel=voice&draft=true'))).toEqual([409, 'channel_disabled']);
    expect((await live(b.id, '?channel=chat')).statusCode).toBe(200);
  });

  it('order: agent_inactive before no_published_version before channel_disabled', async () => {
    const a = await create({ name: 'Order Check', enabledChannels: ['chat'] });
    expect(code(await live(a.id, '?channel=voice'))).toEqual([409, 'no_published_version']);
    await patch(a.id, { isActive: false });
    expect(code(await live(a.id, '?channel=voice'))).toEqual([409, 'agent_inactive']);
    expect(code(await live(a.id, '?channel=chat&draft=true'))).toEqual([409, 'agent_inactive']);
    await publish(a.id);
    expect(code(await live(a.id, '?channel=voice'))).toEqual([409, 'agent_inactive']);
    await patch(a.id, { isActive: true });
    expect(code(await live(a.id, '?channel=voice'))).toEqual([409, 'channel_disabled']);
  });

  it('another organization\'s agent is 404 on /live and /hours, like one that does not exist', async () => {
    const other = await h.tenant('Other Org');
    const strip = (r: { json: () => any }) => {
      const { requestId, instance, ...rest } = r.json();
      return rest;
    };
    const ghost = 'agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA';
    const foreign = await live(clinic.id, '?channel=voice', { key: other.key });
    expect(foreign.statusCode).toBe(404);
    expect(strip(foreign)).toEqual(strip(await live(ghost, '?channel=voice', { key: other.key })));
    expect(strip(await live(clinic.id, '?channel=voice&draft=true', { key: other.key }))).toEqual(strip(foreign));
    const foreignHours = await hours(clinic.id, '', other.key);
    expect(foreignHours.statusCode).toBe(404);
    expect(strip(foreignHours)).toEqual(strip(await hours(ghost, '', other.key)));
  });

  it('needs agents:read', async () => {
    const keysOnly = await t.mint(['keys:read']);
    const r = await live(clinic.id, '?channel=voice', { key: keysOnly.key });
    expect(code(r)).toEqual([403, 'insufficient_scope']);
    expect(r.json().requiredScope).toBe('agents:read');
    const reader = await t.mint(['agents:read']);
    expect((await live(clinic.id, '?channel=voice', { key: reader.key })).statusCode).toBe(200);
  });

  it('a wrong method is 405 with Allow, before authentication', async () => {
    for (const key of [t.key, undefined]) {
      const r = await call(h.app, 'POST', `/api/v1/agents/${clinic.id}/live?channel=voice`, { key });
      expect(code(r)).toEqual([405, 'method_not_allowed']);
      expect(r.headers.allow).toMatch(/^GET(, HEAD)?$/);
    }
  });
});

describe('ETag', () => {
  const etagAt = async (at: string, channel = 'voice') => {
    const r = await live(clinic.id, `?channel=${channel}&at=${at}`);
    expect(r.statusCode).toBe(200);
    return r.headers.etag as string;
  };

  it('ignores the instant within one opening and changes when open/closed flips', async () => {
    const a = await live(clinic.id, `?channel=voice&at=${MON_1000}`);
    const b = await live(clinic.id, `?channel=voice&at=${MON_1130}`);
    expect(a.headers.etag).toMatch(/^(W\/)?"[^"]+"$/);
    expect(a.json().data.hours.localTime).not.toBe(b.json().data.hours.localTime);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(await etagAt(MON_1730)).not.toBe(a.headers.etag);
    expect(await etagAt('2026-12-22T15:00:00Z')).not.toBe(a.headers.etag); // Tuesday 10:00: another nextChangeAt
  });

  it('differs between channels with different overrides', async () => {
    expect(await etagAt(MON_1000, 'chat')).not.toBe(await etagAt(MON_1000, 'voice'));
  });

  it('If-None-Match: exact, listed, weak or strong form, or * → 304 without a body; a stale tag → 200', async () => {
    const etag = await etagAt(MON_1000);
    // weak: bodies with one tag are equivalent for the runtime, not byte-identical (`at` differs)
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    for (const inm of [etag, `"x", ${etag}`, etag.slice(2), '*']) {
      const r = await live(clinic.id, `?channel=voice&at=${MON_1130}`, { headers: { 'if-none-match': inm } });
      expect(r.statusCode, inm).toBe(304);
      expect(r.body, inm).toBe('');
      expect(r.headers.etag, inm).toBe(etag);
    }
    const stale = await live(clinic.id, `?channel=voice&at=${MON_1730}`, { headers: { 'if-none-match': etag } });
    expect(stale.statusCode).toBe(200);
    expect(stale.json().data.hours.open).toBe(false);
    expect((await live(clinic.id, `?channel=voice&at=${MON_1000}`, { headers: { 'if-none-match': '"stale"' } })).statusCode).toBe(200);
  });
});

describe('what is served follows publish, rollback, isActive and delete at once', () => {
  it('draft edits do not change the live answer; publish and rollback do', async () => {
    const a = await published({ name: 'Switchboard', greeting: 'Hello from version one.', tone: 'formal' });
    const q = `?channel=voice&at=${MON_1000}`;
    const first = await live(a.id, q); // warms the cache
    expect(first.json().data).toMatchObject({ versionNumber: 1, greeting: 'Hello from version one.' });

    await patch(a.id, { greeting: 'Hello from version two.', tone: 'playful' });
    const still = await live(a.id, q);
    expect(still.json().data).toMatchObject({ versionId: a.v1.id, versionNumber: 1, greeting: 'Hello from version one.' });
    expect(still.json().data.config.tone).toBe('formal');
    expect(still.headers.etag).toBe(first.headers.etag);

    const v2 = await publish(a.id);
    const second = await live(a.id, q, { headers: { 'if-none-match': first.headers.etag as string } });
    expect(second.statusCode).toBe(200);
    expect(second.json().data).toMatchObject({ versionId: v2.id, versionNumber: 2, greeting: 'Hello from version two.' });
    expect(second.json().data.config.tone).toBe('playful');
    expect(second.json().data.systemPrompt).toContain('playful');
    expect(second.headers.etag).not.toBe(first.headers.etag);

    const rb = await call(h.app, 'POST', `/api/v1/agents/${a.id}/rollback`, { key: t.key, body: { versionId: a.v1.id } });
    expect(rb.statusCode, rb.body).toBe(200);
    const back = await live(a.id, q);
    expect(back.json().data).toMatchObject({ versionId: a.v1.id, versionNumber: 1, greeting: 'Hello from version one.' });
    expect(back.headers.etag).toBe(first.headers.etag);
  });

  it('isActive false → agent_inactive at once, true → served again; delete → 404 at once', async () => {
    const a = await published({ name: 'Blinker' });
    const served = await live(a.id, '?channel=chat');
    expect(served.statusCode).toBe(200);
    const etag = served.headers.etag as string;
    await patch(a.id, { isActive: false });
    expect(code(await live(a.id, '?channel=chat'))).toEqual([409, 'agent_inactive']);
    expect(code(await live(a.id, '?channel=chat', { headers: { 'if-none-match': etag } }))).toEqual([409, 'agent_inactive']);
    await patch(a.id, { isActive: true });
    expect((await live(a.id, '?channel=chat')).statusCode).toBe(200);
    const del = await call(h.app, 'DELETE', `/api/v1/agents/${a.id}`, { key: t.key });
    expect(del.statusCode).toBe(200);
    expect(code(await live(a.id, '?channel=chat', { headers: { 'if-none-match': etag } }))).toEqual([404, 'not_found']);
    expect(code(await live(a.id, '?channel=chat&draft=true'))).toEqual([404, 'not_found']);
    expect(code(await hours(a.id, ''))).toEqual([404, 'not_found']);
  });
});
