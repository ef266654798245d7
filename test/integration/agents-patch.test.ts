import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();

let n = 0;
async function agent(extra: Record<string, unknown> = {}) {
  const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: `Agent ${n++}`, ...extra } });
  expect(r.statusCode).toBe(201);
  return r.json().data;
}
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: t.key, body, headers });

describe('PATCH /agents/{id} — JSON Merge Patch', () => {
  it('merges objects member by member, replaces arrays and bumps the version by one', async () => {
    const a = await agent({ goals: ['a', 'b'], voiceSettings: { stability: 0.2 } });
    const r = await patch(a.id, { goals: ['c'], voiceSettings: { speed: 1.2 } });
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe('"2"');
    const b = r.json().data;
    expect(b.version).toBe(2);
    expect(b.goals).toEqual(['c']);
    expect(b.voiceSettings).toMatchObject({ stability: 0.2, speed: 1.2, similarityBoost: 0.75 });
    expect(Date.parse(b.updatedAt)).toBeGreaterThanOrEqual(Date.parse(a.updatedAt));
    expect(b.createdAt).toBe(a.createdAt);
  });

  it('accepts application/merge-patch+json', async () => {
    const a = await agent();
    const r = await call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, rawBody: '{"tone":"warm"}', headers: { 'content-type': 'application/merge-patch+json' } });
    expect(r.statusCode).toBe(200);
    expect(r.json().data.tone).toBe('warm');
  });

  it('null resets defaults, stores null on nullable fields and removes members without default', async () => {
    const a = await agent({
      greeting: 'Hi', voiceSettings: { stability: 0.1 }, avgTicketCents: 500,
      callControl: { maxCallSeconds: 900, maxIdleReminders: 3 },
      businessHours: { timezone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
      voiceMap: { en: 'v1' },
    });
    const r = await patch(a.id, { greeting: null, voiceSettings: null, avgTicketCents: null, callControl: { maxCallSeconds: null }, businessHours: null, voiceMap: { en: null } });
    expect(r.statusCode).toBe(200);
    const b = r.json().data;
    expect(b.greeting).toBeNull();
    expect(b.voiceSettings).toEqual({ stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1 });
    expect(b.avgTicketCents).toBeNull();
    expect(b.callControl).toEqual({ maxIdleReminders: 3 });
    expect(b.businessHours).toEqual({});
    expect(b.voiceMap).toEqual({});
  });

  it('name: null is a validation_error and changes nothing', async () => {
    const a = await agent();
    const r = await patch(a.id, { name: null, tone: 'x' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: any) => e.field)).toEqual(['name']);
    expect((await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key })).json().data.version).toBe(1);
  });

  it('a GET body sent back as PATCH is a no-op that keeps the version; so is {} and an equal value', async () => {
    const a = await agent({ languages: ['en', 'de'], businessHours: { timezone: 'America/New_York', weekly: {} } });
    const get = (await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key })).json().data;
    for (const body of [get, {}, { tone: '' }, { voiceSettings: {} }, { languages: ['en', 'de'] }]) {
      const r = await patch(a.id, body);
      expect(r.statusCode).toBe(200);
      expect(r.json().data.version).toBe(1);
      expect(r.json().data.updatedAt).toBe(a.updatedAt);
    }
  });

  it('changing languages without sku recomputes sku', async () => {
    const a = await agent();
    expect(a.sku).toBe('single_language');
    const r = await patch(a.id, { languages: ['en', 'fr'] });
    expect(r.json().data.sku).toBe('code_switch');
    const back = await patch(a.id, { languages: ['en'] });
    expect(back.json().data.sku).toBe('single_language');
  });

  it('read-only fields: equal values are accepted, a differing one is a validation_error, a stale version is 409', async () => {
    const a = await agent();
    expect((await patch(a.id, { id: a.id, createdAt: a.createdAt, status: 'draft', tone: 'calm' })).statusCode).toBe(200);
    const ro = await patch(a.id, { status: 'published', createdBy: 'key_x' });
    expect(ro.statusCode).toBe(400);
    expect(ro.json().errors.map((e: any) => e.field)).toEqual(['createdBy', 'status']);
    const stale = await patch(a.id, { version: 1, tone: 'other' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(2);
    expect(stale.json().data.tone).toBe('calm');
  });

  it('cross-field errors of the merged document name the fixed field; nothing is stored', async () => {
    const a = await agent({ languages: ['en', 'es'] });
    const r = await patch(a.id, {
      primaryLanguage: 'fr',
      endpointing: { minSilenceMs: 3000, maxSilenceMs: 2500 },
      callControl: { onNoResponseAction: 'transfer' },
    });
    expect(r.statusCode).toBe(400);
    const fields = r.json().errors.map((e: any) => e.field);
    expect(fields).toEqual(['callControl.onNoResponseAction', 'endpointing.maxSilenceMs', 'primaryLanguage']);
    // an unknown channel is a shape error of the request itself
    const sms = await patch(a.id, { channelOverrides: { sms: {} } });
    expect(sms.json().errors.map((e: any) => e.field)).toEqual(['channelOverrides.sms']);
    const g = (await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key })).json().data;
    expect(g.version).toBe(1);
    expect(g.primaryLanguage).toBe('en');
  });

  it('renaming onto another live agent is duplicate_name; renaming to a case variant of itself is fine', async () => {
    const a = await agent({ name: 'Taken name' });
    const b = await agent();
    const r = await patch(b.id, { name: 'TAKEN NAME' });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('duplicate_name');
    expect((await patch(a.id, { name: 'taken NAME' })).statusCode).toBe(200);
  });
});

describe('PATCH — check order', () => {
  it('shape errors (stage 4) come before not_found (stage 6)', async () => {
    const r = await patch('agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', { llmTemperature: 'hot' });
    expect(r.statusCode).toBe(400);
    expect((await patch('agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', { tone: 'x' })).statusCode).toBe(404);
  });
  it('not_found (6) before version_conflict (7) before merged validation (8)', async () => {
    const a = await agent();
    const r = await patch(a.id, { primaryLanguage: 'fr' }, { 'if-match': '"5"' });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('version_conflict');
    expect(r.json().currentVersion).toBe(1);
    expect(r.json().data.id).toBe(a.id);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });
  it('invalid If-Match (stage 3) comes before shape validation (4)', async () => {
    const a = await agent();
    for (const v of ['abc', '"1", "2"', '0', '01', '2147483648', 'W/1']) {
      const r = await patch(a.id, { llmTemperature: 'hot' }, { 'if-match': v });
      expect(r.statusCode, v).toBe(400);
      expect(r.json().code, v).toBe('invalid_header');
    }
    for (const v of ['1', '"1"', 'W/"1"', '*']) {
      expect((await patch(a.id, { tone: `t${v}` }, { 'if-match': v === '*' ? '*' : v.replace('1', String((await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key })).json().data.version)) })).statusCode, v).toBe(200);
    }
  });
});
