import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();

const create = (body: unknown, key = t.key, headers?: Record<string, string>) => call(h.app, 'POST', '/api/v1/agents', { key, body, headers });

describe('POST /agents', () => {
  it('creates with every default, normalised, and GET returns the same bytes', async () => {
    const r = await create({ name: '  Front desk  ', languages: ['en-us', 'es'], handoffConfig: { transferDestination: '(415) 555-0134' } });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    const a = r.json().data;
    expect(a).toMatchObject({
      name: 'Front desk', version: 1, status: 'draft', hasUnpublishedChanges: true, persona: '', primaryLanguage: 'en-US',
      languages: ['en-US', 'es'], sku: 'code_switch', enabledChannels: ['voice', 'chat'], goals: [], neverDo: [], tone: '',
      lexicon: { preferred: [], banned: [], pronunciations: {} }, voiceMap: {}, defaultVoiceId: null,
      voiceSettings: { stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1 },
      llmModel: 'default', llmTemperature: 0.4, ttsModel: 'default', sttModel: 'default',
      endpointing: { minSilenceMs: 400, maxSilenceMs: 2000, semantic: true }, greeting: null,
      handoffConfig: { warm: false, transferDestination: '+14155550134', escalationThreshold: 3, contextSummaryUrl: null, transferRules: [] },
      callControl: {}, businessHours: {}, channelOverrides: {}, avgTicketCents: null, publishedVersionId: null, isActive: true,
      createdBy: t.keyId, organizationId: t.orgId,
    });
    expect(a.id).toMatch(/^agt_[0-9A-Z]{26}$/);
    expect(a.createdAt).toBe(a.updatedAt);
    const g = await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key });
    expect(g.statusCode).toBe(200);
    expect(g.headers.etag).toBe('"1"');
    expect(g.body).toBe(r.body);
  });

  it('ignores If-Match where a route has no optimistic concurrency', async () => {
    expect((await create({ name: 'No precondition' }, t.key, { 'if-match': 'garbage' })).statusCode).toBe(201);
  });

  it('defaults primaryLanguage to "en" and sku to single_language', async () => {
    const a = (await create({ name: 'Mono' })).json().data;
    expect(a.primaryLanguage).toBe('en');
    expect(a.languages).toEqual(['en']);
    expect(a.sku).toBe('single_language');
  });

  it('lists every invalid field with dotted paths, sorted, and stores nothing', async () => {
    const r = await create({
      name: 'Bad',
      llmTemperature: 3,
      languages: ['en', 'EN'],
      handoffConfig: { transferRules: [{ label: 'a', when: 'x', destination: '+14155550134' }, { label: 'b', when: 'y', destination: 'nope' }] },
      bogus: true,
    });
    expect(r.statusCode).toBe(400);
    const b = r.json();
    expect(b.code).toBe('validation_error');
    const fields = b.errors.map((e: any) => e.field);
    expect(fields).toEqual([...fields].sort());
    expect(fields).toContain('bogus');
    expect(fields).toContain('llmTemperature');
    expect(fields).toContain('handoffConfig.transferRules[1].destination');
    const list = await call(h.app, 'GET', '/api/v1/agents?q=Bad', { key: t.key });
    expect(list.json().data).toEqual([]);
  });

  it('rejects read-only fields on create', async () => {
    const r = await create({ name: 'RO', version: 1, id: 'agt_x' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: any) => e.field)).toEqual(['id', 'version']);
  });

  it('duplicate_name is case-insensitive and NFC-normalised among live agents', async () => {
    expect((await create({ name: 'Café Desk' })).statusCode).toBe(201);
    const dup = await create({ name: '  CAFE\u0301 desk ' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate_name');
  });

  it('a GET body with read-only fields removed is a valid POST body creating an equal agent', async () => {
    const src = (await create({ name: 'Template', languages: ['fr', 'en'], primaryLanguage: 'en', goals: ['book'], businessHours: { timezone: 'America/New_York', weekly: { mon: [{ start: '09:00', end: '17:00' }] } } })).json().data;
    const { id, organizationId, version, status, hasUnpublishedChanges, publishedVersionId, createdBy, createdAt, updatedAt, ...editable } = src;
    await call(h.app, 'DELETE', `/api/v1/agents/${id}`, { key: t.key });
    const copy = await create(editable);
    expect(copy.statusCode).toBe(201);
    const c = copy.json().data;
    for (const k of Object.keys(editable)) expect(c[k], k).toEqual(editable[k]);
  });
});

describe('GET /agents/{id}', () => {
  it('honours If-None-Match with 304 (bare, quoted, weak, lists, *)', async () => {
    const a = (await create({ name: 'Etag' })).json().data;
    for (const v of ['"1"', 'W/"1"', '1', '"5", "1"', '*']) {
      const r = await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key, headers: { 'if-none-match': v } });
      expect(r.statusCode, v).toBe(304);
      expect(r.body).toBe('');
    }
    const r = await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key, headers: { 'if-none-match': '"2"' } });
    expect(r.statusCode).toBe(200);
  });
  it('malformed and unknown ids are 404', async () => {
    expect((await call(h.app, 'GET', '/api/v1/agents/not-an-id', { key: t.key })).statusCode).toBe(404);
    expect((await call(h.app, 'GET', '/api/v1/agents/agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', { key: t.key })).statusCode).toBe(404);
  });
});

describe('DELETE /agents/{id}', () => {
  it('soft-deletes: gone from GET and list, name free again, second DELETE 404', async () => {
    const a = (await create({ name: 'Doomed' })).json().data;
    const d = await call(h.app, 'DELETE', `/api/v1/agents/${a.id}`, { key: t.key });
    expect(d.statusCode).toBe(200);
    expect(d.json()).toEqual({ success: true, data: { id: a.id, deleted: true } });
    expect((await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key })).statusCode).toBe(404);
    expect((await call(h.app, 'GET', '/api/v1/agents?q=doomed', { key: t.key })).json().data).toEqual([]);
    expect((await call(h.app, 'DELETE', `/api/v1/agents/${a.id}`, { key: t.key })).statusCode).toBe(404);
    expect((await create({ name: 'doomed' })).statusCode).toBe(201);
  });
  it('honours If-Match', async () => {
    const a = (await create({ name: 'Guarded' })).json().data;
    const stale = await call(h.app, 'DELETE', `/api/v1/agents/${a.id}`, { key: t.key, headers: { 'if-match': '"9"' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(1);
    const bad = await call(h.app, 'DELETE', `/api/v1/agents/${a.id}`, { key: t.key, headers: { 'if-match': '"1", "2"' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_header');
    expect((await call(h.app, 'DELETE', `/api/v1/agents/${a.id}`, { key: t.key, headers: { 'if-match': 'W/"1"' } })).statusCode).toBe(200);
  });
});

describe('GET /agents', () => {
  it('pages newest first; filters by status, isActive and q (literal % and _)', async () => {
    const ht = await h.tenant('Lister');
    const names = ['Alpha 100%', 'alpha_two', 'Beta', 'Gamma', 'ALPHA three'];
    for (const n of names) await create({ name: n, isActive: n !== 'Beta' }, ht.key);
    const all = (await call(h.app, 'GET', '/api/v1/agents?limit=100', { key: ht.key })).json();
    expect(all.data.map((a: any) => a.name)).toEqual([...names].reverse());
    expect(all.pagination).toEqual({ limit: 100, nextCursor: null, hasMore: false });
    const q = (s: string) => call(h.app, 'GET', `/api/v1/agents?q=${encodeURIComponent(s)}`, { key: ht.key }).then((r) => r.json().data.map((a: any) => a.name));
    expect(await q('  alpha ')).toEqual(['ALPHA three', 'alpha_two', 'Alpha 100%']);
    expect(await q('%')).toEqual(['Alpha 100%']);
    expect(await q('_')).toEqual(['alpha_two']);
    const inactive = (await call(h.app, 'GET', '/api/v1/agents?isActive=false', { key: ht.key })).json().data;
    expect(inactive.map((a: any) => a.name)).toEqual(['Beta']);
    const drafts = (await call(h.app, 'GET', '/api/v1/agents?status=draft&limit=2', { key: ht.key })).json();
    expect(drafts.data).toHaveLength(2);
    expect(drafts.pagination.hasMore).toBe(true);
    expect((await call(h.app, 'GET', '/api/v1/agents?status=published', { key: ht.key })).json().data).toEqual([]);
  });

  it('rejects bad parameters with a validation_error per parameter', async () => {
    const r = await call(h.app, 'GET', '/api/v1/agents?limit=0&status=live&isActive=yes', { key: t.key });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: any) => e.field)).toEqual(['isActive', 'limit', 'status']);
    expect((await call(h.app, 'GET', '/api/v1/agents?limit=101', { key: t.key })).statusCode).toBe(400);
    expect((await call(h.app, 'GET', '/api/v1/agents?limit=100', { key: t.key })).statusCode).toBe(200);
  });

  it('cursors are bound to organization and filters; forged ones are invalid_cursor', async () => {
    const first = (await call(h.app, 'GET', '/api/v1/agents?limit=1', { key: t.key })).json();
    const c = encodeURIComponent(first.pagination.nextCursor);
    expect((await call(h.app, 'GET', `/api/v1/agents?limit=1&cursor=${c}`, { key: t.key })).statusCode).toBe(200);
    const other = await h.tenant('Other');
    const foreign = await call(h.app, 'GET', `/api/v1/agents?limit=1&cursor=${c}`, { key: other.key });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe('invalid_cursor');
    expect((await call(h.app, 'GET', `/api/v1/agents?limit=1&status=draft&cursor=${c}`, { key: t.key })).json().code).toBe('invalid_cursor');
    expect((await call(h.app, 'GET', '/api/v1/agents?cursor=garbage', { key: t.key })).json().code).toBe('invalid_cursor');
    const [payload, mac] = first.pagination.nextCursor.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), k: 'agt_ZZZZZZZZZZZZZZZZZZZZZZZZZZ' })).toString('base64url');
    expect((await call(h.app, 'GET', `/api/v1/agents?cursor=${forged}.${mac}`, { key: t.key })).json().code).toBe('invalid_cursor');
  });

  it('skips and repeats nothing while agents are created between pages', async () => {
    const pt = await h.tenant('Pager');
    for (let i = 0; i < 7; i++) await create({ name: `p${i}` }, pt.key);
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 100;
    do {
      const page: any = (await call(h.app, 'GET', `/api/v1/agents?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: pt.key })).json();
      seen.push(...page.data.map((a: any) => a.name));
      cursor = page.pagination.nextCursor;
      await create({ name: `new${n++}` }, pt.key);
    } while (cursor);
    expect(seen).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
  });
});
