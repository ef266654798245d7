import { describe, expect, it } from 'vitest';
import { call, fileHarness, type Res } from '../helpers/harness.js';
import { newId } from '../../src/ids.js';

const { h, t } = await fileHarness();

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Opts = { key?: string; body?: unknown; headers?: Record<string, string> };
const api = (method: Method, path: string, o: Opts = {}) => call(h.app, method, `/api/v1${path}`, { ...o, key: o.key ?? t.key });

let n = 0;
async function agent(extra: Record<string, unknown> = {}) {
  const r = await api('POST', '/agents', { body: { name: `Lifecycle ${n++}`, ...extra } });
  expect(r.statusCode).toBe(201);
  return r.json().data;
}
const getAgent = async (id: string) => (await api('GET', `/agents/${id}`)).json().data;
async function patch(id: string, body: Record<string, unknown>) {
  const r = await api('PATCH', `/agents/${id}`, { body });
  expect(r.statusCode).toBe(200);
  return r.json().data;
}
const publish = (id: string, o: Opts = {}) => api('POST', `/agents/${id}/publish`, { body: {}, ...o });
const rollback = (id: string, versionId: string, o: Opts = {}) => api('POST', `/agents/${id}/rollback`, { body: { versionId }, ...o });
async function published(id: string, o: Opts = {}) {
  const r = await publish(id, o);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().data;
}
async function versions(id: string) {
  const r = await api('GET', `/agents/${id}/versions?limit=100`);
  expect(r.statusCode).toBe(200);
  return r.json().data as any[];
}
const events = async (resourceId: string) => (await api('GET', `/audit-events?resourceId=${resourceId}&limit=100`)).json().data as any[];
const expectCode = (r: Res & { json: () => any }, status: number, code: string) => {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.json().code).toBe(code);
};

const VERSION_ID = /^agv_[0-9A-HJKMNP-TV-Z]{26}$/;
const READ_ONLY = ['id', 'organizationId', 'version', 'status', 'hasUnpublishedChanges', 'publishedVersionId', 'createdBy', 'createdAt', 'updatedAt'];
/** The versioned part of an agent, in the agent's (schema) member order. */
const versionedOf = (a: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(a).filter(([k]) => !READ_ONLY.includes(k) && k !== 'isActive' && k !== 'avgTicketCents'));

const hours = (end: string) => ({ timezone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end }], tue: [{ start: '09:00', end: '17:00' }] } });
const billing = { label: 'billing', when: 'the caller asks about an invoice', destination: '+14155550134' };
const rich = () => ({
  persona: 'A friendly receptionist', goals: ['Book appointments'], greeting: 'Hello, thanks for calling',
  businessHours: hours('17:00'), handoffConfig: { transferRules: [billing] }, avgTicketCents: 4200,
});

describe('publish', () => {
  it('freezes the draft into version 1 and makes it live', async () => {
    const a = await agent(rich());
    await patch(a.id, { tone: 'warm' });
    const edited = await patch(a.id, { neverDo: ['give legal advice'] }); // agent version 3
    const writer = await t.mint(['agents:write']);
    const r = await publish(a.id, { key: writer.key, body: { note: 'First release' } });
    expect(r.statusCode).toBe(201);
    expect(r.json().success).toBe(true);
    const v = r.json().data;
    expect(Object.keys(v)).toEqual(['id', 'agentId', 'number', 'note', 'config', 'publishedAt', 'publishedBy', 'sourceAgentVersion', 'isLive']);
    expect(v).toMatchObject({ agentId: a.id, number: 1, note: 'First release', publishedBy: writer.keyId, sourceAgentVersion: 3, isLive: true });
    expect(v.id).toMatch(VERSION_ID);
    expect(v.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // every editable field but isActive/avgTicketCents, in schema order, with the draft's values
    expect(Object.keys(v.config)).toEqual(Object.keys(versionedOf(edited)));
    expect(v.config).toEqual(versionedOf(edited));
    expect(v.config).not.toHaveProperty('isActive');
    expect(v.config).not.toHaveProperty('avgTicketCents');
    const after = await getAgent(a.id);
    expect(after).toMatchObject({ version: 4, status: 'published', hasUnpublishedChanges: false, publishedVersionId: v.id });
    expect(versionedOf(after)).toEqual(versionedOf(edited)); // the draft is untouched
    // a POST without body and content-type reads as {}: note null
    await patch(a.id, { tone: 'calm' });
    const bare = await call(h.app, 'POST', `/api/v1/agents/${a.id}/publish`, { key: t.key });
    expect(bare.statusCode).toBe(201);
    expect(bare.json().data).toMatchObject({ number: 2, note: null, publishedBy: t.keyId, sourceAgentVersion: 5 });
  });

  it('a version is immutable: editing the draft never changes it', async () => {
    const a = await agent(rich());
    const v1 = await published(a.id);
    const edited = await patch(a.id, { greeting: 'Changed', goals: ['Other'], businessHours: hours('20:00'), handoffConfig: { transferRules: [] } });
    expect(edited.hasUnpublishedChanges).toBe(true);
    const g1 = await api('GET', `/agents/${a.id}/versions/${v1.id}`);
    expect(g1.statusCode).toBe(200);
    expect(g1.json().data).toEqual(v1);
    const v2 = await published(a.id);
    expect(v2.number).toBe(2);
    expect(v2.config.greeting).toBe('Changed');
    const again = (await api('GET', `/agents/${a.id}/versions/${v1.id}`)).json().data;
    expect(again).toEqual({ ...v1, isLive: false });
  });

  it('hasUnpublishedChanges follows the draft against the live version', async () => {
    const a = await agent({ tone: 'warm' });
    expect(a.hasUnpublishedChanges).toBe(true);
    const v1 = await published(a.id);
    expect((await getAgent(a.id)).hasUnpublishedChanges).toBe(false);
    expect((await patch(a.id, { tone: 'cold' })).hasUnpublishedChanges).toBe(true);
    expect((await patch(a.id, { tone: 'warm' })).hasUnpublishedChanges).toBe(false); // equals live again
    await patch(a.id, { tone: 'brisk' });
    const v2 = await published(a.id);
    expect((await rollback(a.id, v1.id)).statusCode).toBe(200);
    expect((await getAgent(a.id)).hasUnpublishedChanges).toBe(true); // draft equals v2, not v1
    expect((await rollback(a.id, v2.id)).statusCode).toBe(200);
    const end = await getAgent(a.id);
    expect(end).toMatchObject({ hasUnpublishedChanges: false, publishedVersionId: v2.id, tone: 'brisk' });
  });

  it('nothing_to_publish when the draft equals live, also after operational-only changes; If-Match answers first', async () => {
    const a = await agent(rich());
    await published(a.id);
    expectCode(await publish(a.id), 409, 'nothing_to_publish');
    for (const change of [{ isActive: false }, { avgTicketCents: 99 }, { isActive: true, avgTicketCents: null }]) {
      const p = await patch(a.id, change);
      expect(p.hasUnpublishedChanges).toBe(false);
      expectCode(await publish(a.id, { body: { note: 'ops only' } }), 409, 'nothing_to_publish');
    }
    const cur = await getAgent(a.id);
    expect(cur.version).toBe(5); // create, publish, three PATCHes: the rejected publishes bumped nothing
    const stale = await publish(a.id, { headers: { 'if-match': '"2"' } });
    expectCode(stale, 409, 'version_conflict');
    expectCode(await publish(a.id, { headers: { 'if-match': `"${cur.version}"` } }), 409, 'nothing_to_publish');
    expect(await versions(a.id)).toHaveLength(1);
  });

  it('If-Match on publish and rollback: match and * pass, stale is version_conflict with the agent, malformed is invalid_header', async () => {
    const a = await agent();
    for (const v of ['abc', '"1", "2"', '0', 'W/1', '01']) {
      expectCode(await publish(a.id, { headers: { 'if-match': v } }), 400, 'invalid_header');
    }
    const v1 = await published(a.id, { headers: { 'if-match': '1' } });
    await patch(a.id, { tone: 'x' }); // version 3
    const stale = await publish(a.id, { headers: { 'if-match': '"2"' } });
    expectCode(stale, 409, 'version_conflict');
    expect(stale.headers.etag).toBe('"3"');
    expect(stale.json().currentVersion).toBe(3);
    expect(stale.json().data).toEqual(await getAgent(a.id));
    const v2 = await published(a.id, { headers: { 'if-match': 'W/"3"' } }); // version 4
    await patch(a.id, { tone: 'y' }); // version 5
    await published(a.id, { headers: { 'if-match': '*' } }); // version 6
    expect(await versions(a.id)).toHaveLength(3);

    expectCode(await rollback(a.id, v1.id, { headers: { 'if-match': 'nope' } }), 400, 'invalid_header');
    const staleRb = await rollback(a.id, v1.id, { headers: { 'if-match': '5' } });
    expectCode(staleRb, 409, 'version_conflict');
    expect(staleRb.headers.etag).toBe('"6"');
    expect(staleRb.json()).toMatchObject({ currentVersion: 6, data: { id: a.id, version: 6 } });
    expect((await rollback(a.id, v1.id, { headers: { 'if-match': '"6"' } })).statusCode).toBe(200);
    expect((await rollback(a.id, v2.id, { headers: { 'if-match': '*' } })).statusCode).toBe(200);
    expect((await getAgent(a.id))).toMatchObject({ version: 8, publishedVersionId: v2.id });
  });
});

describe('publish under concurrency', () => {
  it('concurrent publishes of one draft make one version; numbers stay gapless per agent', async () => {
    const agents = await Promise.all(Array.from({ length: 10 }, () => agent()));
    await Promise.all(agents.map((a) => patch(a.id, { tone: 'edited' })));
    const perAgent = await Promise.all(agents.map((a) => Promise.all(Array.from({ length: 5 }, () => publish(a.id)))));
    for (const rs of perAgent) {
      expect(rs.filter((r) => r.statusCode === 201)).toHaveLength(1);
      const rest = rs.filter((r) => r.statusCode !== 201);
      expect(rest).toHaveLength(4);
      for (const r of rest) expectCode(r, 409, 'nothing_to_publish');
    }
    // two writers per agent, all agents at once: edit then publish, three rounds each
    const answers = await Promise.all(agents.map((a) => Promise.all([0, 1].map(async (w) => {
      const codes: number[] = [];
      for (let round = 0; round < 3; round++) {
        await patch(a.id, { tone: `writer ${w} round ${round}` });
        const r = await publish(a.id, { body: { note: `w${w}r${round}` } });
        if (r.statusCode !== 201) expectCode(r, 409, 'nothing_to_publish');
        codes.push(r.statusCode);
      }
      return codes;
    }))));
    for (const [i, a] of agents.entries()) {
      const created = answers[i]!.flat().filter((c) => c === 201).length;
      expect(created).toBeGreaterThanOrEqual(3);
      const list = await versions(a.id);
      const total = created + 1;
      expect(list.map((v) => v.number)).toEqual(Array.from({ length: total }, (_, k) => total - k));
      expect(new Set(list.map((v) => v.sourceAgentVersion)).size).toBe(total);
      const cur = await getAgent(a.id);
      expect(cur.publishedVersionId).toBe(list[0].id);
      expect(list.filter((v) => v.isLive).map((v) => v.id)).toEqual([list[0].id]);
    }
  });

  it('concurrent publishes and rollbacks with the same If-Match: exactly one succeeds', async () => {
    const a = await agent();
    const v1 = await published(a.id);
    await patch(a.id, { tone: 'next' }); // version 3
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => publish(a.id, { body: { note: `n${i}` }, headers: { 'if-match': '"3"' } })));
    expect(rs.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of rs.filter((x) => x.statusCode !== 201)) {
      expectCode(r, 409, 'version_conflict');
      expect(r.json().currentVersion).toBe(4);
    }
    const v2 = rs.find((r) => r.statusCode === 201)!.json().data;
    expect(await versions(a.id)).toHaveLength(2);
    // all to v1: a rollback to the live v2 would be a legitimate 200 no-op
    const rb = await Promise.all(Array.from({ length: 6 }, () => rollback(a.id, v1.id, { headers: { 'if-match': '4' } })));
    expect(rb.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of rb.filter((x) => x.statusCode !== 200)) expectCode(r, 409, 'version_conflict');
    expect((await getAgent(a.id)).version).toBe(5);
  });
});

describe('rollback', () => {
  it('points live at an earlier version without touching the draft; checks and no-op', async () => {
    const a = await agent({ tone: 'one' });
    const v1 = await published(a.id);
    await patch(a.id, { tone: 'two' });
    const v2 = await published(a.id);
    const draft = await patch(a.id, { tone: 'three' }); // version 5
    const live = async () => (await api('GET', `/agents/${a.id}/live?channel=chat`)).json().data;
    expect(await live()).toMatchObject({ versionId: v2.id, versionNumber: 2, config: { tone: 'two' } });
    const r = await rollback(a.id, v1.id);
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toEqual({ ...v1, isLive: true });
    const after = await getAgent(a.id);
    expect(after).toMatchObject({ version: 6, publishedVersionId: v1.id, status: 'published', hasUnpublishedChanges: true, tone: 'three' });
    expect(versionedOf(after)).toEqual(versionedOf(draft));
    expect(await live()).toMatchObject({ versionId: v1.id, versionNumber: 1, config: { tone: 'one' } }); // at once
    expect((await versions(a.id)).map((v) => [v.number, v.isLive])).toEqual([[2, false], [1, true]]);
    // rolling back to the live version: 200, nothing changes
    const noop = await rollback(a.id, v1.id);
    expect(noop.statusCode).toBe(200);
    expect(noop.json().data).toEqual(r.json().data);
    expect((await getAgent(a.id)).version).toBe(6);
    // a version of another agent, or of another organization, is not found
    const b = await agent();
    const vb = await published(b.id);
    expectCode(await rollback(a.id, vb.id), 404, 'not_found');
    const other = await h.tenant('Other');
    const oa = (await api('POST', '/agents', { key: other.key, body: { name: 'Theirs' } })).json().data;
    const ov = (await api('POST', `/agents/${oa.id}/publish`, { key: other.key, body: {} })).json().data;
    expectCode(await rollback(a.id, ov.id), 404, 'not_found');
    expectCode(await rollback(a.id, newId('agv')), 404, 'not_found');
    // shape of the body: stage 4
    for (const body of [{}, { versionId: 'agv_123' }, { versionId: v2.id.toLowerCase() }, { versionId: `${v2.id.slice(0, -1)}U` }, { versionId: a.id }, { versionId: 7 }, { versionId: v2.id, extra: 1 }]) {
      const bad = await api('POST', `/agents/${a.id}/rollback`, { body });
      expectCode(bad, 400, 'validation_error');
      expect(bad.json().errors.map((e: any) => e.field), JSON.stringify(body)).toEqual([Object.keys(body).includes('extra') ? 'extra' : 'versionId']);
    }
    // check order: agent 404, then version 404, then If-Match 409
    expectCode(await rollback(newId('agt'), v2.id, { headers: { 'if-match': '1' } }), 404, 'not_found');
    expectCode(await rollback(a.id, vb.id, { headers: { 'if-match': '1' } }), 404, 'not_found');
    expectCode(await rollback(a.id, v1.id, { headers: { 'if-match': '1' } }), 409, 'version_conflict'); // even for the no-op
    expect(await getAgent(a.id)).toMatchObject({ version: 6, publishedVersionId: v1.id });
    expect((await getAgent(b.id)).publishedVersionId).toBe(vb.id);
  });
});

describe('versions list and get', () => {
  it('newest first, paginated with signed cursors bound to the agent', async () => {
    const a = await agent();
    for (let i = 1; i <= 5; i++) {
      if (i > 1) await patch(a.id, { tone: `t${i}` });
      await published(a.id, { body: { note: `v${i}` } });
    }
    const seen: any[] = [];
    let cursor: string | null = null;
    const pages: number[][] = [];
    do {
      const r = await api('GET', `/agents/${a.id}/versions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.pagination.limit).toBe(2);
      expect(body.pagination.hasMore).toBe(body.pagination.nextCursor !== null);
      pages.push(body.data.map((v: any) => v.number));
      seen.push(...body.data);
      cursor = body.pagination.nextCursor;
    } while (cursor);
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);
    expect(new Set(seen.map((v) => v.id)).size).toBe(5);
    expect(seen.map((v) => v.note)).toEqual(['v5', 'v4', 'v3', 'v2', 'v1']);
    expect(seen.map((v) => v.isLive)).toEqual([true, false, false, false, false]);
    const one = await api('GET', `/agents/${a.id}/versions/${seen[2].id}`);
    expect(one.json().data).toEqual(seen[2]);

    const first = (await api('GET', `/agents/${a.id}/versions?limit=2`)).json().pagination.nextCursor as string;
    const i = Math.floor(first.length / 2);
    const tampered = first.slice(0, i) + (first[i] === 'A' ? 'B' : 'A') + first.slice(i + 1);
    expectCode(await api('GET', `/agents/${a.id}/versions?cursor=${encodeURIComponent(tampered)}`), 400, 'invalid_cursor');
    const b = await agent();
    expectCode(await api('GET', `/agents/${b.id}/versions?cursor=${encodeURIComponent(first)}`), 400, 'invalid_cursor');
    const agentsCursor = (await api('GET', '/agents?limit=1')).json().pagination.nextCursor as string;
    expectCode(await api('GET', `/agents/${a.id}/versions?cursor=${encodeURIComponent(agentsCursor)}`), 400, 'invalid_cursor');
    for (const limit of ['0', '101', 'x']) {
      const r = await api('GET', `/agents/${a.id}/versions?limit=${limit}`);
      expectCode(r, 400, 'validation_error');
      expect(r.json().errors.map((e: any) => e.field)).toEqual(['limit']);
    }
    // an agent never published has an empty list
    const empty = (await api('GET', `/agents/${b.id}/versions`)).json();
    expect(empty.data).toEqual([]);
    expect(empty.pagination).toEqual({ limit: 20, nextCursor: null, hasMore: false });
  });
});

describe('diff', () => {
  it('lists one entry per differing leaf, sorted, against the draft or another version', async () => {
    const a = await agent(rich());
    const v1 = await published(a.id);
    const base = `/agents/${a.id}/versions/${v1.id}/diff`;
    expect((await api('GET', base)).json().data).toEqual({ from: v1.id, to: 'draft', changes: [] });
    await patch(a.id, { isActive: false, avgTicketCents: 1 }); // operational: never in a diff
    expect((await api('GET', base)).json().data.changes).toEqual([]);
    await patch(a.id, {
      businessHours: hours('18:30'),
      goals: ['Book appointments', 'Take messages'],
      greeting: 'Welcome to the clinic',
      handoffConfig: { transferRules: [billing, { label: 'emergency', when: 'the caller is in danger', destination: 'sip:er@example.com' }] },
    });
    const expected = [
      { field: 'businessHours.weekly.mon[0].end', kind: 'changed', before: '17:00', after: '18:30' },
      { field: 'goals', kind: 'changed', before: ['Book appointments'], after: ['Book appointments', 'Take messages'] },
      { field: 'greeting', kind: 'changed', before: 'Hello, thanks for calling', after: 'Welcome to the clinic' },
      { field: 'handoffConfig.transferRules[1].destination', kind: 'added', after: 'sip:er@example.com' },
      { field: 'handoffConfig.transferRules[1].label', kind: 'added', after: 'emergency' },
      { field: 'handoffConfig.transferRules[1].when', kind: 'added', after: 'the caller is in danger' },
    ];
    const toDraft = await api('GET', base);
    expect(toDraft.statusCode).toBe(200);
    expect(toDraft.json().data).toEqual({ from: v1.id, to: 'draft', changes: expected });
    for (const c of toDraft.json().data.changes) expect(Object.keys(c)).toEqual(c.kind === 'added' ? ['field', 'kind', 'after'] : ['field', 'kind', 'before', 'after']);

    const v2 = await published(a.id);
    expect((await api('GET', `${base}?against=${v2.id}`)).json().data).toEqual({ from: v1.id, to: v2.id, changes: expected });
    expect((await api('GET', `/agents/${a.id}/versions/${v2.id}/diff`)).json().data).toEqual({ from: v2.id, to: 'draft', changes: [] });
    const back = (await api('GET', `/agents/${a.id}/versions/${v2.id}/diff?against=${v1.id}`)).json().data;
    expect(back.to).toBe(v1.id);
    expect(back.changes.map((c: any) => [c.field, c.kind])).toEqual(expected.map((c) => [c.field, c.kind === 'added' ? 'removed' : 'changed']));
    expect(back.changes[3]).toEqual({ field: 'handoffConfig.transferRules[1].destination', kind: 'removed', before: 'sip:er@example.com' });
    expect((await api('GET', `${base}?against=${v1.id}`)).json().data.changes).toEqual([]);

    const bad = await api('GET', `${base}?against=v1`);
    expectCode(bad, 400, 'validation_error');
    expect(bad.json().errors.map((e: any) => e.field)).toEqual(['against']);
    expectCode(await api('GET', `/agents/${newId('agt')}/versions/${v1.id}/diff?against=nope`), 400, 'validation_error'); // stage 4 before 404
    expectCode(await api('GET', `${base}?against=${newId('agv')}`), 404, 'not_found');
    const other = await published((await agent()).id);
    expectCode(await api('GET', `${base}?against=${other.id}`), 404, 'not_found');
    expectCode(await api('GET', `/agents/${a.id}/versions/${other.id}/diff`), 404, 'not_found');
  });
});

describe('reachability', () => {
  it('a deleted agent\'s versions are unreachable through every route', async () => {
    const a = await agent();
    const v1 = await published(a.id);
    await patch(a.id, { tone: 'x' });
    const v2 = await published(a.id);
    expect((await api('GET', `/agents/${a.id}/live?channel=voice`)).statusCode).toBe(200); // warms the live cache
    expect((await api('DELETE', `/agents/${a.id}`)).statusCode).toBe(200);
    const p = `/agents/${a.id}`;
    for (const r of [
      await api('GET', `${p}/versions`),
      await api('GET', `${p}/versions/${v1.id}`),
      await api('GET', `${p}/versions/${v1.id}/diff`),
      await api('GET', `${p}/versions/${v1.id}/diff?against=${v2.id}`),
      await publish(a.id),
      await rollback(a.id, v1.id),
      await api('GET', `${p}/live?channel=voice`),
    ]) expectCode(r, 404, 'not_found');
  });

  it('another organization gets the same 404 as for ids that do not exist', async () => {
    const a = await agent(rich());
    const v1 = await published(a.id);
    await patch(a.id, { tone: 'x' });
    const v2 = await published(a.id);
    const other = await h.tenant('Elsewhere');
    const theirs = (await api('POST', '/agents', { key: other.key, body: { name: 'Mine' } })).json().data;
    const theirV = (await api('POST', `/agents/${theirs.id}/publish`, { key: other.key, body: {} })).json().data;
    const ghostA = newId('agt');
    const ghostV = newId('agv');
    const strip = (r: Res & { json: () => any }) => {
      const { requestId, instance, ...rest } = r.json();
      expect(requestId).toBeTruthy();
      expect(instance).toBeTruthy();
      return [r.statusCode, r.headers['content-type'], JSON.stringify(rest)];
    };
    const pairs: [Method, (agentId: string, versionId: string) => string, (versionId: string) => unknown][] = [
      ['POST', (x) => `/agents/${x}/publish`, () => ({})],
      ['POST', (x) => `/agents/${x}/rollback`, (y) => ({ versionId: y })],
      ['GET', (x) => `/agents/${x}/versions`, () => undefined],
      ['GET', (x, y) => `/agents/${x}/versions/${y}`, () => undefined],
      ['GET', (x, y) => `/agents/${x}/versions/${y}/diff`, () => undefined],
      ['GET', (x, y) => `/agents/${x}/versions/${theirV.id}/diff?against=${y}`, () => undefined],
      ['GET', (x) => `/agents/${x}/live?channel=voice`, () => undefined],
      ['GET', (x) => `/agents/${x}/hours`, () => undefined],
    ];
    for (const [method, path, body] of pairs) {
      const mine = await api(method, path(a.id, v1.id), { key: other.key, body: body(v1.id) });
      const ghost = await api(method, path(ghostA, ghostV), { key: other.key, body: body(ghostV) });
      expect(mine.statusCode, path(a.id, v1.id)).toBe(404);
      expect(strip(mine)).toEqual(strip(ghost));
    }
    // their own agent with our version ids: the same as with a version id that does not exist
    for (const [method, path, body] of [
      ['GET', (y: string) => `/agents/${theirs.id}/versions/${y}`, undefined],
      ['GET', (y: string) => `/agents/${theirs.id}/versions/${theirV.id}/diff?against=${y}`, undefined],
      ['POST', () => `/agents/${theirs.id}/rollback`, (y: string) => ({ versionId: y })],
    ] as const) {
      const mine = await api(method, path(v2.id), { key: other.key, body: body?.(v2.id) });
      const ghost = await api(method, path(ghostV), { key: other.key, body: body?.(ghostV) });
      expect(mine.statusCode).toBe(404);
      expect(strip(mine)).toEqual(strip(ghost));
    }
    expect(await getAgent(a.id)).toMatchObject({ version: 4, publishedVersionId: v2.id }); // nothing happened
    expect(await versions(a.id)).toHaveLength(2);
  });
});

describe('idempotency on publish and rollback', () => {
  it('replays 201, 404 and 409 answers byte for byte; a different body is idempotency_key_reuse', async () => {
    const a = await agent();
    const k = { 'idempotency-key': `pub-${a.id}` };
    const first = await publish(a.id, { body: { note: 'once' }, headers: k });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await publish(a.id, { body: { note: 'once' }, headers: k });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await versions(a.id)).toHaveLength(1);
    expect((await getAgent(a.id)).version).toBe(2);
    expectCode(await publish(a.id, { body: { note: 'twice' }, headers: k }), 422, 'idempotency_key_reuse');
    const b = await agent();
    expectCode(await publish(b.id, { body: { note: 'once' }, headers: k }), 422, 'idempotency_key_reuse'); // other path parameter
    expect(await versions(b.id)).toHaveLength(0);

    // the operation's own 404 is stored
    const ghost = newId('agt');
    const k404 = { 'idempotency-key': `pub-${ghost}` };
    const miss = await publish(ghost, { headers: k404 });
    expectCode(miss, 404, 'not_found');
    const missAgain = await publish(ghost, { headers: k404 });
    expect(missAgain.statusCode).toBe(404);
    expect(missAgain.headers['idempotent-replayed']).toBe('true');
    expect(missAgain.body).toBe(miss.body);

    // ... and so is its own 409: the replay holds even once the draft became publishable
    const k409 = { 'idempotency-key': `nothing-${a.id}` };
    const nothing = await publish(a.id, { headers: k409 });
    expectCode(nothing, 409, 'nothing_to_publish');
    await patch(a.id, { tone: 'new' });
    const replay = await publish(a.id, { headers: k409 });
    expect(replay.statusCode).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(nothing.body);
    expect(await versions(a.id)).toHaveLength(1);
    // a 400 is not stored, and shape validation comes before the key lookup
    expectCode(await publish(a.id, { body: { note: 5 }, headers: k409 }), 400, 'validation_error');
    const v2 = await published(a.id, { headers: { 'idempotency-key': `pub2-${a.id}` } });
    expect(v2.number).toBe(2);

    // rollback honours the key too
    const v1 = JSON.parse(first.body).data;
    const kr = { 'idempotency-key': `rb-${a.id}` };
    const rb = await rollback(a.id, v1.id, { headers: kr });
    expect(rb.statusCode).toBe(200);
    const rbAgain = await rollback(a.id, v1.id, { headers: kr });
    expect(rbAgain.headers['idempotent-replayed']).toBe('true');
    expect(rbAgain.body).toBe(rb.body);
    expectCode(await rollback(a.id, v2.id, { headers: kr }), 422, 'idempotency_key_reuse');
    expect(await getAgent(a.id)).toMatchObject({ version: 5, publishedVersionId: v1.id }); // create, publish, patch, publish, one rollback
  });
});

describe('check order on the lifecycle routes', () => {
  it('405 before 401, 401 before 403, 403 before header and shape errors, shape before 404, 404 before 409', async () => {
    const a = await agent();
    const v1 = await published(a.id);
    for (const [method, path, allow] of [
      ['GET', `/agents/${a.id}/publish`, 'POST'],
      ['PATCH', `/agents/${a.id}/rollback`, 'POST'],
      ['DELETE', `/agents/${a.id}/versions`, 'GET'],
      ['POST', `/agents/${a.id}/versions/${v1.id}`, 'GET'],
      ['DELETE', `/agents/${a.id}/versions/${v1.id}/diff`, 'GET'],
    ] as const) {
      const r = await call(h.app, method, `/api/v1${path}`, {});
      expectCode(r, 405, 'method_not_allowed');
      expect(r.headers.allow).toContain(allow);
      expect(r.headers.allow).not.toContain(method);
    }
    const unauth = await publish(a.id, { key: 'flowyte_sk_live_nope', body: { note: 5 } });
    expectCode(unauth, 401, 'unauthorized');
    expectCode(await call(h.app, 'GET', `/api/v1/agents/${a.id}/versions`, {}), 401, 'unauthorized');

    const drafter = await t.mint(['agents:draft']);
    for (const r of [
      await publish(a.id, { key: drafter.key, body: { note: 5, extra: true }, headers: { 'if-match': 'bad' } }),
      await rollback(a.id, 'agv_bad', { key: drafter.key }),
      await api('POST', `/agents/${a.id}/rollback`, { key: drafter.key, body: {} }),
    ]) {
      expectCode(r, 403, 'insufficient_scope');
      expect(r.json().requiredScope).toBe('agents:write');
    }
    expect((await api('GET', `/agents/${a.id}/versions`, { key: drafter.key })).statusCode).toBe(200); // draft implies read
    const keysOnly = await t.mint(['keys:read']);
    const noRead = await api('GET', `/agents/${a.id}/versions/${v1.id}/diff?against=bad`, { key: keysOnly.key });
    expectCode(noRead, 403, 'insufficient_scope');
    expect(noRead.json().requiredScope).toBe('agents:read');

    // stage 3 before stage 4
    expectCode(await publish(a.id, { body: { note: 5 }, headers: { 'if-match': 'W/x' } }), 400, 'invalid_header');
    expectCode(await rollback(a.id, 'agv_bad', { headers: { 'idempotency-key': 'has space' } }), 400, 'invalid_header');
    expectCode(await call(h.app, 'POST', `/api/v1/agents/${a.id}/publish`, { key: t.key, rawBody: '{"note":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    expectCode(await call(h.app, 'POST', `/api/v1/agents/${a.id}/publish`, { key: t.key, rawBody: 'note', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');

    // stage 4 before 404: the agent does not exist
    const ghost = newId('agt');
    const shape = await publish(ghost, { body: { note: 'x'.repeat(501), extra: 1 } });
    expectCode(shape, 400, 'validation_error');
    expect(shape.json().errors.map((e: any) => e.field)).toEqual(['extra', 'note']);
    expect((await publish(a.id, { body: { note: 'x'.repeat(500) } })).statusCode).toBe(409); // 500 is fine: nothing_to_publish
    expectCode(await rollback(ghost, 'agv_short'), 400, 'validation_error');
    expectCode(await publish(ghost, { body: { note: 'ok' } }), 404, 'not_found');

    // 404 before 409; malformed path ids are plain 404s
    expectCode(await publish(ghost, { headers: { 'if-match': '99' } }), 404, 'not_found');
    expectCode(await publish('not-an-id'), 404, 'not_found');
    expectCode(await rollback('agt_lowercase', v1.id), 404, 'not_found');
    expectCode(await api('GET', '/agents/nope/versions'), 404, 'not_found');
    expectCode(await api('GET', `/agents/${a.id}/versions/v1`), 404, 'not_found');
    expectCode(await api('GET', `/agents/${a.id}/versions/${a.id}/diff`), 404, 'not_found');
    // version_conflict (7) before nothing_to_publish (9)
    expectCode(await publish(a.id, { headers: { 'if-match': '1' } }), 409, 'version_conflict');
  });
});

describe('401 answers', () => {
  // api.md "Authentication": a 401 carries `WWW-Authenticate: Bearer` (RFC 6750)
  it('a 401 on the lifecycle routes carries WWW-Authenticate: Bearer', async () => {
    const a = await agent();
    for (const r of [
      await publish(a.id, { key: 'flowyte_sk_live_nope' }),
      await call(h.app, 'GET', `/api/v1/agents/${a.id}/versions`, {}),
    ]) {
      expectCode(r, 401, 'unauthorized');
      expect(r.headers['www-authenticate']).toMatch(/^Bearer\b/);
    }
  });
});

describe('audit trail of the lifecycle', () => {
  it('publish and rollback append one event each; rejected publishes and the no-op rollback append nothing', async () => {
    const a = await agent();
    const v1 = await published(a.id, { headers: { 'x-request-id': `publish-${a.id}` } }); // 1 → 2
    await patch(a.id, { tone: 'second' }); // 3
    const v2 = await published(a.id); // 4
    expectCode(await publish(a.id), 409, 'nothing_to_publish');
    expectCode(await publish(a.id, { headers: { 'if-match': '1' } }), 409, 'version_conflict');
    expect((await rollback(a.id, v1.id)).statusCode).toBe(200); // 5, draft equals v2
    expect((await rollback(a.id, v1.id)).statusCode).toBe(200); // no-op
    expectCode(await rollback(a.id, v2.id, { headers: { 'if-match': '4' } }), 409, 'version_conflict');
    await patch(a.id, { tone: 'third' }); // 6: differs from v1 and v2
    expect((await rollback(a.id, v2.id)).statusCode).toBe(200); // 7, still unpublished changes
    expect((await getAgent(a.id)).version).toBe(7);

    const evs = await events(a.id);
    expect(evs.map((e) => e.action)).toEqual([
      'agent.rollback', 'agent.update', 'agent.rollback', 'agent.publish', 'agent.update', 'agent.publish', 'agent.create',
    ]);
    const pick = (e: any) => [e.action, e.agentVersionBefore, e.agentVersionAfter, e.changedFields];
    expect(evs.filter((e) => e.action !== 'agent.update' && e.action !== 'agent.create').map(pick)).toEqual([
      ['agent.rollback', 6, 7, ['publishedVersionId']],
      ['agent.rollback', 4, 5, ['hasUnpublishedChanges', 'publishedVersionId']],
      ['agent.publish', 3, 4, ['hasUnpublishedChanges', 'publishedVersionId']],
      ['agent.publish', 1, 2, ['hasUnpublishedChanges', 'publishedVersionId', 'status']],
    ]);
    for (const e of evs) expect(e).toMatchObject({ resourceType: 'agent', resourceId: a.id, actorKeyId: t.keyId });
    expect(evs.at(-2).requestId).toBe(`publish-${a.id}`);
    expect(v2.number).toBe(2);
  });
});
