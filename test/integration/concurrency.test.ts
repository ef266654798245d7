import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();

describe('races resolve as api.md says', () => {
  it('20 concurrent PATCHes with the same If-Match: exactly one 200, the rest 409 with the current agent', async () => {
    const a = (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Racy' } })).json().data;
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, body: { tone: `tone ${i}` }, headers: { 'if-match': '"1"' } })),
    );
    const ok = rs.filter((r) => r.statusCode === 200);
    const conflicts = rs.filter((r) => r.statusCode === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const winner = ok[0]!.json().data;
    expect(winner.version).toBe(2);
    for (const c of conflicts) {
      const b = c.json();
      expect(b.code).toBe('version_conflict');
      expect(b.currentVersion).toBe(2);
      expect(b.data.tone).toBe(winner.tone);
    }
    const g = (await call(h.app, 'GET', `/api/v1/agents/${a.id}`, { key: t.key })).json().data;
    expect(g.version).toBe(2);
    expect(g.tone).toBe(winner.tone);
  });

  it('20 concurrent POSTs with one Idempotency-Key: exactly one runs, the other 19 answer idempotency_in_progress', async () => {
    const body = { name: 'Once only' };
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => call(h.app, 'POST', '/api/v1/agents', { key: t.key, body, headers: { 'idempotency-key': 'race-1' } })),
    );
    const created = rs.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(1);
    expect(created[0]!.headers['idempotent-replayed']).toBeUndefined();
    expect(rs.filter((r) => r.statusCode === 409)).toHaveLength(19);
    const ids = new Set(created.map((r) => r.json().data.id));
    for (const r of rs.filter((x) => x.statusCode === 409)) {
      expect(r.json().code).toBe('idempotency_in_progress');
      expect(r.headers['retry-after']).toBe('1');
    }
    const list = (await call(h.app, 'GET', '/api/v1/agents?q=once only', { key: t.key })).json().data;
    expect(list).toHaveLength(1);
    // after the dust settles a retry replays
    const again = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body, headers: { 'idempotency-key': 'race-1' } });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.id).toBe([...ids][0]);
  });

  it('20 concurrent creates of one name: exactly one wins, the rest duplicate_name', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, () => call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Same name' } })));
    expect(rs.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const dups = rs.filter((r) => r.statusCode === 409);
    expect(dups).toHaveLength(19);
    for (const d of dups) expect(d.json().code).toBe('duplicate_name');
  });

  it('concurrent PATCHes without If-Match all apply, each exactly one version step', async () => {
    const a = (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Counter' } })).json().data;
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, body: { tone: `t${i}` } })));
    expect(rs.every((r) => r.statusCode === 200)).toBe(true);
    const versions = rs.map((r) => r.json().data.version).sort((x, y) => x - y);
    expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('concurrent renames of different agents onto one name: exactly one wins, one audit event per 200', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: `Rename me ${i}` } })).json().data.id);
    const rs = await Promise.all(ids.map((id) => call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: t.key, body: { name: 'Taken by one' } })));
    expect(rs.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of rs.filter((x) => x.statusCode !== 200)) expect(r.json().code).toBe('duplicate_name');
    const updates = await h.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'agent.update' AND resource_id = ANY($1)", [ids]);
    expect(updates[0]!.n).toBe(1);
    // the losers are untouched: still at version 1
    const versions = await Promise.all(ids.map(async (id) => (await call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key })).json().data.version));
    expect(versions.sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it('PATCHes with If-Match racing unconditional ones: every 200 is one version step and one audit event, every 409 names the version then current', async () => {
    const a = (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Mixed race' } })).json().data;
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, {
      key: t.key, body: { tone: `m${i}` }, headers: i % 2 ? { 'if-match': '"1"' } : {},
    })));
    const oks = rs.filter((r) => r.statusCode === 200);
    expect(oks.length).toBeGreaterThanOrEqual(6); // every unconditional one, and at most one conditional
    expect(oks.length).toBeLessThanOrEqual(7);
    expect(oks.map((r) => r.json().data.version).sort((x, y) => x - y)).toEqual(Array.from({ length: oks.length }, (_, i) => i + 2));
    for (const r of rs.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(409);
      expect(r.json().currentVersion).toBeGreaterThan(1);
    }
    const n = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'agent.update' AND resource_id = $1", [a.id]);
    expect(n[0]!.n).toBe(oks.length);
  });
});
