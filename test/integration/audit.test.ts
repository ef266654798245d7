import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();

const events = async (query = '', key = t.key) => {
  const r = await call(h.app, 'GET', `/api/v1/audit-events${query}`, { key });
  expect(r.statusCode).toBe(200);
  return r.json().data as any[];
};

describe('audit trail', () => {
  it('one event per mutation with versions and changed fields; none for no-ops and rejected writes', async () => {
    const created = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Audited' }, headers: { 'x-request-id': 'audit-create' } });
    const a = created.json().data;
    await call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, body: { tone: 'warm', goals: ['x'] } });
    await call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, body: { tone: 'warm' } }); // no-op
    await call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, body: { llmTemperature: 9 } }); // rejected
    await call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, body: { tone: 'x' }, headers: { 'if-match': '1' } }); // conflict
    await call(h.app, 'DELETE', `/api/v1/agents/${a.id}`, { key: t.key });
    const evs = await events(`?resourceId=${a.id}`);
    expect(evs.map((e) => e.action)).toEqual(['agent.delete', 'agent.update', 'agent.create']);
    const [del, upd, crt] = evs;
    expect(crt).toMatchObject({ actorKeyId: t.keyId, requestId: 'audit-create', resourceType: 'agent', agentVersionBefore: null, agentVersionAfter: 1 });
    expect(upd).toMatchObject({ agentVersionBefore: 1, agentVersionAfter: 2, changedFields: ['goals', 'tone'] });
    expect(del).toMatchObject({ agentVersionBefore: 2, agentVersionAfter: null });
    expect(crt.id).toMatch(/^evt_[0-9A-Z]{26}$/);
    expect(crt.at).toMatch(/\.\d{3}Z$/);
  });

  it('records key mint and revoke; filters by action and actor; paginates', async () => {
    const k = await call(h.app, 'POST', '/api/v1/api-keys', { key: t.key, body: { name: 'x', scopes: ['agents:read'] } });
    const id = k.json().data.id;
    await call(h.app, 'DELETE', `/api/v1/api-keys/${id}`, { key: t.key });
    expect((await events('?action=api_key.revoke')).map((e) => e.resourceId)).toEqual([id]);
    expect((await events(`?actorKeyId=${t.keyId}&action=api_key.create`)).map((e) => e.resourceId)).toContain(id);
    const page1 = (await call(h.app, 'GET', '/api/v1/audit-events?limit=2', { key: t.key })).json();
    expect(page1.data).toHaveLength(2);
    const page2 = (await call(h.app, 'GET', `/api/v1/audit-events?limit=2&cursor=${encodeURIComponent(page1.pagination.nextCursor)}`, { key: t.key })).json();
    expect(page2.data[0].id < page1.data[1].id).toBe(true);
  });

  it('filters by time (since inclusive, until exclusive) and rejects bad filters', async () => {
    const all = await events('?limit=100');
    const mid = all[Math.floor(all.length / 2)];
    const since = await events(`?limit=100&since=${mid.at}`);
    expect(since.every((e) => e.at >= mid.at)).toBe(true);
    const until = await events(`?limit=100&until=${mid.at}`);
    expect(until.every((e) => e.at < mid.at)).toBe(true);
    const bad = await call(h.app, 'GET', '/api/v1/audit-events?since=yesterday&action=agent.explode', { key: t.key });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: any) => e.field)).toEqual(['action', 'since']);
  });

  it('needs audit:read and never shows another organization\'s events', async () => {
    const noAudit = await t.mint(['agents:write', 'keys:write', 'keys:read']);
    const r = await call(h.app, 'GET', '/api/v1/audit-events', { key: noAudit.key });
    expect(r.statusCode).toBe(403);
    expect(r.json().requiredScope).toBe('audit:read');
    const other = await h.tenant('Other');
    const theirs = await events('?limit=100', other.key);
    // only the minting of their own key, nothing of ours
    expect(theirs.map((e) => [e.action, e.resourceId])).toEqual([['api_key.create', other.keyId]]);
  });
});
