/**
 * api.md "Authentication, tenancy, scopes": the key alone decides the organization, and a
 * resource of another organization is indistinguishable from one that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeHarness, type Harness, type Res, type Tenant } from '../helpers/harness.js';

let h: Harness;
let a: Tenant;
let b: Tenant;
let agentA: any; // A's agent as A created it
let agentAGet: string; // A's GET body before B tries anything
let keyA: { id: string; key: string };

// well-formed ids that exist nowhere
const GHOST_AGENT = 'agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA';
const GHOST_KEY = 'key_01JD3ZK7X8V2Q5M1N9P4R6T0WA';

beforeAll(async () => {
  h = await makeHarness();
  a = await h.tenant('Org A');
  b = await h.tenant('Org B');
  const r = await call(h.app, 'POST', '/api/v1/agents', {
    key: a.key,
    body: { name: 'Secret desk', persona: 'A only', goals: ['keep A data'], handoffConfig: { transferDestination: '+14155550134' } },
  });
  expect(r.statusCode).toBe(201);
  agentA = r.json().data;
  const k = await call(h.app, 'POST', '/api/v1/api-keys', { key: a.key, body: { name: 'A reader', scopes: ['agents:read'] } });
  expect(k.statusCode).toBe(201);
  keyA = { id: k.json().data.id, key: k.json().data.key };
  agentAGet = (await call(h.app, 'GET', `/api/v1/agents/${agentA.id}`, { key: a.key })).body;
});
afterAll(() => h.close());

/** The body without the members that differ per request. */
function comparable(r: Res & { json: () => any }) {
  const { requestId, instance, ...rest } = r.json();
  expect(requestId).toBe(r.headers['x-request-id']);
  expect(typeof instance).toBe('string');
  return rest;
}

async function pair(method: 'GET' | 'PATCH' | 'DELETE', path: (id: string) => string, realId: string, ghostId: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) {
  const foreign = await call(h.app, method, path(realId), { key: b.key, ...opts });
  const ghost = await call(h.app, method, path(ghostId), { key: b.key, ...opts });
  return { foreign, ghost };
}

describe("org B cannot reach org A's resources", () => {
  it.each([
    ['GET agent', 'GET', {}],
    ['PATCH agent', 'PATCH', { body: { persona: 'hijacked by B' } }],
    ['PATCH agent with If-Match of the real version', 'PATCH', { body: { name: 'Mine now' }, headers: { 'if-match': '"1"' } }],
    ['PATCH agent with a stale If-Match (not a 409)', 'PATCH', { body: { tone: 'x' }, headers: { 'if-match': '"7"' } }],
    ['PATCH agent with a read-only version in the body (not a 409)', 'PATCH', { body: { version: 9 } }],
    ['PATCH agent with a merged-document error (not a 400)', 'PATCH', { body: { endpointing: { minSilenceMs: 4000 } } }],
    ['DELETE agent', 'DELETE', {}],
    ['DELETE agent with If-Match', 'DELETE', { headers: { 'if-match': '1' } }],
  ] as const)('%s → 404 not_found, same body as a non-existent id', async (_l, method, opts) => {
    const { foreign, ghost } = await pair(method, (id) => `/api/v1/agents/${id}`, agentA.id, GHOST_AGENT, opts);
    expect(foreign.statusCode).toBe(404);
    expect(ghost.statusCode).toBe(404);
    expect(foreign.json().code).toBe('not_found');
    expect(foreign.json().instance).toBe(`/api/v1/agents/${agentA.id}`);
    expect(foreign.headers['content-type']).toBe(ghost.headers['content-type']);
    expect(foreign.headers.etag).toBeUndefined();
    expect(comparable(foreign)).toEqual(comparable(ghost));
    // nothing of A's agent leaks (the path echoed in `instance` aside)
    expect(JSON.stringify(comparable(foreign))).not.toContain(agentA.id.slice(4));
  });

  it("DELETE of A's key → 404 not_found, same body as a non-existent key id; the key keeps working", async () => {
    const { foreign, ghost } = await pair('DELETE', (id) => `/api/v1/api-keys/${id}`, keyA.id, GHOST_KEY);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('not_found');
    expect(comparable(foreign)).toEqual(comparable(ghost));
    expect((await call(h.app, 'GET', '/api/v1/agents', { key: keyA.key })).statusCode).toBe(200);
    const listed = (await call(h.app, 'GET', '/api/v1/api-keys?limit=100', { key: a.key })).json().data;
    expect(listed.find((k: any) => k.id === keyA.id).revokedAt).toBeNull();
  });

  it("A's own all-scope key cannot be revoked by B either", async () => {
    const r = await call(h.app, 'DELETE', `/api/v1/api-keys/${a.keyId}`, { key: b.key });
    expect(r.statusCode).toBe(404);
    expect((await call(h.app, 'GET', '/api/v1/agents', { key: a.key })).statusCode).toBe(200);
  });

  it("A's agent is unchanged afterwards: same bytes, version 1, every field", async () => {
    const g = await call(h.app, 'GET', `/api/v1/agents/${agentA.id}`, { key: a.key });
    expect(g.statusCode).toBe(200);
    expect(g.body).toBe(agentAGet);
    expect(g.headers.etag).toBe('"1"');
    const d = g.json().data;
    expect(d).toEqual(agentA);
    expect(d.version).toBe(1);
    expect(d.persona).toBe('A only');
    expect(d.organizationId).toBe(a.orgId);
  });

  it("B's failed attempts left nothing in either audit trail", async () => {
    const trailA = (await call(h.app, 'GET', `/api/v1/audit-events?resourceId=${agentA.id}`, { key: a.key })).json().data;
    expect(trailA.map((e: any) => e.action)).toEqual(['agent.create']);
    const trailB = (await call(h.app, 'GET', '/api/v1/audit-events?limit=100', { key: b.key })).json().data;
    expect(trailB.filter((e: any) => e.resourceId === agentA.id || e.resourceId === keyA.id)).toEqual([]);
  });
});

describe("B's lists never show A's items", () => {
  it('agents: not in the list, not by q, not by filters', async () => {
    await call(h.app, 'POST', '/api/v1/agents', { key: b.key, body: { name: 'B desk' } });
    for (const qs of ['?limit=100', '?q=secret', '?q=Secret%20desk', '?status=draft&limit=100', '?isActive=true&limit=100']) {
      const r = await call(h.app, 'GET', `/api/v1/agents${qs}`, { key: b.key });
      expect(r.statusCode, qs).toBe(200);
      const items = r.json().data;
      expect(items.map((x: any) => x.id), qs).not.toContain(agentA.id);
      for (const x of items) expect(x.organizationId, qs).toBe(b.orgId);
    }
    const all = (await call(h.app, 'GET', '/api/v1/agents?limit=100', { key: b.key })).json().data;
    expect(all.map((x: any) => x.name)).toEqual(['B desk']);
  });

  it('a same-named agent in B is not a duplicate_name', async () => {
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: b.key, body: { name: 'SECRET DESK' } });
    expect(r.statusCode).toBe(201);
    expect(r.json().data.organizationId).toBe(b.orgId);
  });

  it('api-keys: only B\'s own keys', async () => {
    const items = (await call(h.app, 'GET', '/api/v1/api-keys?limit=100', { key: b.key })).json().data;
    const ids = items.map((k: any) => k.id);
    expect(ids).toContain(b.keyId);
    expect(ids).not.toContain(keyA.id);
    expect(ids).not.toContain(a.keyId);
    expect(ids).toEqual([b.keyId]);
  });

  it('audit-events: none of A\'s, also when filtering by A\'s ids', async () => {
    const all = (await call(h.app, 'GET', '/api/v1/audit-events?limit=100', { key: b.key })).json().data;
    for (const e of all) {
      expect([agentA.id, keyA.id, a.keyId]).not.toContain(e.resourceId);
      expect([keyA.id, a.keyId]).not.toContain(e.actorKeyId);
    }
    for (const qs of [`resourceId=${agentA.id}`, `resourceId=${keyA.id}`, `actorKeyId=${a.keyId}`, 'action=api_key.create']) {
      const r = await call(h.app, 'GET', `/api/v1/audit-events?${qs}`, { key: b.key });
      expect(r.statusCode, qs).toBe(200);
      const ours = r.json().data.filter((e: any) => e.resourceId === keyA.id || e.actorKeyId === a.keyId);
      expect(ours, qs).toEqual([]);
    }
  });

  it("A's list cursor is not valid for B", async () => {
    await call(h.app, 'POST', '/api/v1/agents', { key: a.key, body: { name: 'Second A' } });
    const page = (await call(h.app, 'GET', '/api/v1/agents?limit=1', { key: a.key })).json();
    expect(page.pagination.hasMore).toBe(true);
    const r = await call(h.app, 'GET', `/api/v1/agents?limit=1&cursor=${encodeURIComponent(page.pagination.nextCursor)}`, { key: b.key });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('invalid_cursor');
  });
});

describe('Idempotency-Key is scoped to the organization', () => {
  it('the same key and body in B runs afresh (no replay of A\'s answer)', async () => {
    const headers = { 'idempotency-key': 'shared-key-1' };
    const ra = await call(h.app, 'POST', '/api/v1/agents', { key: a.key, body: { name: 'Idem shared' }, headers });
    expect(ra.statusCode).toBe(201);
    const rb = await call(h.app, 'POST', '/api/v1/agents', { key: b.key, body: { name: 'Idem shared' }, headers });
    expect(rb.statusCode).toBe(201);
    expect(rb.headers['idempotent-replayed']).toBeUndefined();
    expect(rb.json().data.id).not.toBe(ra.json().data.id);
    expect(rb.json().data.organizationId).toBe(b.orgId);
    // and each org still replays its own
    const ra2 = await call(h.app, 'POST', '/api/v1/agents', { key: a.key, body: { name: 'Idem shared' }, headers });
    expect(ra2.headers['idempotent-replayed']).toBe('true');
    expect(ra2.body).toBe(ra.body);
    const rb2 = await call(h.app, 'POST', '/api/v1/agents', { key: b.key, body: { name: 'Idem shared' }, headers });
    expect(rb2.headers['idempotent-replayed']).toBe('true');
    expect(rb2.body).toBe(rb.body);
  });

  it('the same key with a different body in B is not a 422', async () => {
    const headers = { 'idempotency-key': 'shared-key-2' };
    expect((await call(h.app, 'POST', '/api/v1/agents', { key: a.key, body: { name: 'Idem A only' }, headers })).statusCode).toBe(201);
    const rb = await call(h.app, 'POST', '/api/v1/agents', { key: b.key, body: { name: 'Idem B only' }, headers });
    expect(rb.statusCode).toBe(201);
    expect(rb.json().data.name).toBe('Idem B only');
  });

  it('an api-key mint replay never crosses organizations', async () => {
    const headers = { 'idempotency-key': 'shared-mint' };
    const body = { name: 'same mint', scopes: ['agents:read'] };
    const ra = await call(h.app, 'POST', '/api/v1/api-keys', { key: a.key, body, headers });
    const rb = await call(h.app, 'POST', '/api/v1/api-keys', { key: b.key, body, headers });
    expect(ra.statusCode).toBe(201);
    expect(rb.statusCode).toBe(201);
    expect(rb.headers['idempotent-replayed']).toBeUndefined();
    expect(rb.json().data.key).toMatch(/^flowyte_sk_live_/);
    expect(rb.json().data.id).not.toBe(ra.json().data.id);
    // B's new key belongs to B
    const own = (await call(h.app, 'GET', '/api/v1/agents?limit=100', { key: rb.json().data.key })).json().data;
    for (const x of own) expect(x.organizationId).toBe(b.orgId);
  });
});
