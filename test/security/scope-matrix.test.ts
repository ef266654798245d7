/**
 * Every route × every single-scope key (api.md "Authentication, tenancy, scopes"), plus the
 * check order around it: 401 before 403, 403 before anything about the body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeHarness, type Harness, type Res, type Tenant } from '../helpers/harness.js';

type Scope = 'agents:read' | 'agents:draft' | 'agents:write' | 'keys:read' | 'keys:write' | 'audit:read';
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const SINGLE_SCOPES: Scope[] = ['agents:read', 'agents:draft', 'agents:write', 'keys:read', 'keys:write', 'audit:read'];

/**
 * What each scope grants, written out from api.md (not imported from src): agents:write ⊃
 * agents:draft ⊃ agents:read; no other scope implies another.
 */
const GRANTS: Record<Scope, Scope[]> = {
  'agents:read': ['agents:read'],
  'agents:draft': ['agents:draft', 'agents:read'],
  'agents:write': ['agents:write', 'agents:draft', 'agents:read'],
  'keys:read': ['keys:read'],
  'keys:write': ['keys:write'],
  'audit:read': ['audit:read'],
};

interface Route {
  method: Method;
  path: string;
  scope: Scope;
  success: number;
  /** builds a valid request (fresh resources where the request consumes them) */
  prepare(): Promise<{ url: string; body?: unknown }>;
}

let h: Harness;
let t: Tenant;
const keys = {} as Record<Scope, string>;
let sharedAgentId: string;
let n = 0;

async function freshAgent(): Promise<string> {
  const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: `fresh ${++n}` } });
  expect(r.statusCode).toBe(201);
  return r.json().data.id;
}
async function publish(agentId: string): Promise<string> {
  const r = await call(h.app, 'POST', `/api/v1/agents/${agentId}/publish`, { key: t.key, body: {} });
  expect(r.statusCode).toBe(201);
  return r.json().data.id;
}
/** An agent with two versions, the second live: `{ id, first }`. */
async function twicePublishedAgent(): Promise<{ id: string; first: string }> {
  const id = await freshAgent();
  const first = await publish(id);
  expect((await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: t.key, body: { tone: 'v2' } })).statusCode).toBe(200);
  await publish(id);
  return { id, first };
}
let sharedVersionId: string;
async function freshKeyId(): Promise<string> {
  return (await t.mint(['agents:read'], `victim ${++n}`)).keyId;
}

const ROUTES: Route[] = [
  { method: 'POST', path: '/api/v1/agents', scope: 'agents:draft', success: 201, prepare: async () => ({ url: '/api/v1/agents', body: { name: `created ${++n}` } }) },
  { method: 'GET', path: '/api/v1/agents', scope: 'agents:read', success: 200, prepare: async () => ({ url: '/api/v1/agents' }) },
  { method: 'GET', path: '/api/v1/agents/{id}', scope: 'agents:read', success: 200, prepare: async () => ({ url: `/api/v1/agents/${sharedAgentId}` }) },
  { method: 'PATCH', path: '/api/v1/agents/{id}', scope: 'agents:draft', success: 200, prepare: async () => ({ url: `/api/v1/agents/${sharedAgentId}`, body: { tone: `tone ${++n}` } }) },
  { method: 'DELETE', path: '/api/v1/agents/{id}', scope: 'agents:write', success: 200, prepare: async () => ({ url: `/api/v1/agents/${await freshAgent()}` }) },
  // the caller holds exactly one scope; asking for that same scope is always grantable
  { method: 'POST', path: '/api/v1/api-keys', scope: 'keys:write', success: 201, prepare: async () => ({ url: '/api/v1/api-keys', body: { name: `minted ${++n}`, scopes: ['keys:write'] } }) },
  { method: 'GET', path: '/api/v1/api-keys', scope: 'keys:read', success: 200, prepare: async () => ({ url: '/api/v1/api-keys' }) },
  { method: 'DELETE', path: '/api/v1/api-keys/{id}', scope: 'keys:write', success: 200, prepare: async () => ({ url: `/api/v1/api-keys/${await freshKeyId()}` }) },
  { method: 'GET', path: '/api/v1/audit-events', scope: 'audit:read', success: 200, prepare: async () => ({ url: '/api/v1/audit-events' }) },
  // hours status ("agents:read … hours status"); draft=true so an unpublished agent answers 200
  { method: 'GET', path: '/api/v1/agents/{id}/hours', scope: 'agents:read', success: 200, prepare: async () => ({ url: `/api/v1/agents/${sharedAgentId}/hours?draft=true` }) },
  // lifecycle.md
  { method: 'POST', path: '/api/v1/agents/{id}/publish', scope: 'agents:write', success: 201, prepare: async () => ({ url: `/api/v1/agents/${await freshAgent()}/publish`, body: {} }) },
  {
    method: 'POST', path: '/api/v1/agents/{id}/rollback', scope: 'agents:write', success: 200,
    prepare: async () => {
      const a = await twicePublishedAgent();
      return { url: `/api/v1/agents/${a.id}/rollback`, body: { versionId: a.first } };
    },
  },
  { method: 'GET', path: '/api/v1/agents/{id}/versions', scope: 'agents:read', success: 200, prepare: async () => ({ url: `/api/v1/agents/${sharedAgentId}/versions` }) },
  { method: 'GET', path: '/api/v1/agents/{id}/versions/{versionId}', scope: 'agents:read', success: 200, prepare: async () => ({ url: `/api/v1/agents/${sharedAgentId}/versions/${sharedVersionId}` }) },
  { method: 'GET', path: '/api/v1/agents/{id}/versions/{versionId}/diff', scope: 'agents:read', success: 200, prepare: async () => ({ url: `/api/v1/agents/${sharedAgentId}/versions/${sharedVersionId}/diff` }) },
  { method: 'GET', path: '/api/v1/agents/{id}/live', scope: 'agents:read', success: 200, prepare: async () => ({ url: `/api/v1/agents/${sharedAgentId}/live?channel=voice` }) },
];

const MATRIX = ROUTES.flatMap((route) =>
  SINGLE_SCOPES.map((held) => ({
    route,
    held,
    allowed: GRANTS[held].includes(route.scope),
    label: `${route.method} ${route.path} with [${held}]`,
  })),
);

beforeAll(async () => {
  h = await makeHarness();
  t = await h.tenant('Scopes');
  for (const s of SINGLE_SCOPES) keys[s] = (await t.mint([s], `only ${s}`)).key;
  sharedAgentId = await freshAgent();
  sharedVersionId = await publish(sharedAgentId);
});
afterAll(() => h.close());

function expectInsufficientScope(r: Res & { json: () => any }, scope: Scope, instance: string) {
  expect(r.statusCode).toBe(403);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const b = r.json();
  expect(b).toMatchObject({
    success: false,
    status: 403,
    code: 'insufficient_scope',
    type: 'https://flowyte.dev/errors/insufficient_scope',
    requiredScope: scope,
    instance,
    requestId: r.headers['x-request-id'],
  });
  expect(b.detail).toContain(scope);
  expect(b.message).toBe(b.detail);
  expect(b.missingScopes).toBeUndefined();
}

describe('the expected table (api.md)', () => {
  it('covers every authenticated route the app serves (from its OpenAPI document)', async () => {
    const doc = (await call(h.app, 'GET', '/openapi.json')).json();
    const served: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const m of Object.keys(ops)) if (['get', 'post', 'patch', 'put', 'delete'].includes(m)) served.push(`${m.toUpperCase()} ${path}`);
    }
    // GET /api/v1/me needs a valid key and no scope (test/integration/web-app.test.ts)
    expect(served.sort()).toEqual([...ROUTES.map((r) => `${r.method} ${r.path}`), 'GET /api/v1/me'].sort());
  });

  it('is what the implication chain gives: 16 routes × 6 keys', () => {
    const table = Object.fromEntries(
      ROUTES.map((r) => [`${r.method} ${r.path}`, SINGLE_SCOPES.filter((s) => GRANTS[s].includes(r.scope))]),
    );
    expect(table).toEqual({
      'POST /api/v1/agents': ['agents:draft', 'agents:write'],
      'GET /api/v1/agents': ['agents:read', 'agents:draft', 'agents:write'],
      'GET /api/v1/agents/{id}': ['agents:read', 'agents:draft', 'agents:write'],
      'PATCH /api/v1/agents/{id}': ['agents:draft', 'agents:write'],
      'DELETE /api/v1/agents/{id}': ['agents:write'],
      'POST /api/v1/api-keys': ['keys:write'],
      'GET /api/v1/api-keys': ['keys:read'],
      'DELETE /api/v1/api-keys/{id}': ['keys:write'],
      'GET /api/v1/audit-events': ['audit:read'],
      'GET /api/v1/agents/{id}/hours': ['agents:read', 'agents:draft', 'agents:write'],
      'POST /api/v1/agents/{id}/publish': ['agents:write'],
      'POST /api/v1/agents/{id}/rollback': ['agents:write'],
      'GET /api/v1/agents/{id}/versions': ['agents:read', 'agents:draft', 'agents:write'],
      'GET /api/v1/agents/{id}/versions/{versionId}': ['agents:read', 'agents:draft', 'agents:write'],
      'GET /api/v1/agents/{id}/versions/{versionId}/diff': ['agents:read', 'agents:draft', 'agents:write'],
      'GET /api/v1/agents/{id}/live': ['agents:read', 'agents:draft', 'agents:write'],
    });
    expect(MATRIX).toHaveLength(96);
  });
});

describe('route × single-scope key', () => {
  it.each(MATRIX.filter((c) => c.allowed))('allowed: $label', async ({ route, held }) => {
    const { url, body } = await route.prepare();
    const r = await call(h.app, route.method, url, { key: keys[held], body });
    expect(r.statusCode).not.toBe(401);
    expect(r.statusCode).not.toBe(403);
    expect(r.statusCode, r.body).toBe(route.success);
    expect(r.json().success).toBe(true);
  });

  it.each(MATRIX.filter((c) => !c.allowed))('denied: $label → 403 naming $route.scope', async ({ route, held }) => {
    const { url, body } = await route.prepare();
    const r = await call(h.app, route.method, url, { key: keys[held], body });
    expectInsufficientScope(r, route.scope, url.split('?')[0]!);
  });

  it('a denied DELETE or PATCH changes nothing', async () => {
    const id = await freshAgent();
    const before = await call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key });
    for (const s of SINGLE_SCOPES.filter((x) => x !== 'agents:write')) {
      expect((await call(h.app, 'DELETE', `/api/v1/agents/${id}`, { key: keys[s] })).statusCode).toBe(403);
    }
    for (const s of ['agents:read', 'keys:read', 'keys:write', 'audit:read'] as Scope[]) {
      expect((await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: keys[s], body: { tone: 'changed' } })).statusCode).toBe(403);
    }
    const after = await call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key });
    expect(after.statusCode).toBe(200);
    expect(after.body).toBe(before.body);
    const victim = await freshKeyId();
    for (const s of SINGLE_SCOPES.filter((x) => x !== 'keys:write')) {
      expect((await call(h.app, 'DELETE', `/api/v1/api-keys/${victim}`, { key: keys[s] })).statusCode).toBe(403);
    }
    const list = (await call(h.app, 'GET', '/api/v1/api-keys?limit=100', { key: t.key })).json().data;
    expect(list.find((k: any) => k.id === victim).revokedAt).toBeNull();
  });

  it('denied requests append no audit event', async () => {
    const newest = async () => (await call(h.app, 'GET', '/api/v1/audit-events?limit=1', { key: t.key })).json().data[0].id;
    const before = await newest();
    await call(h.app, 'POST', '/api/v1/agents', { key: keys['agents:read'], body: { name: 'never' } });
    await call(h.app, 'POST', '/api/v1/api-keys', { key: keys['keys:read'], body: { name: 'never', scopes: ['keys:read'] } });
    await call(h.app, 'DELETE', `/api/v1/agents/${sharedAgentId}`, { key: keys['agents:draft'] });
    expect(await newest()).toBe(before);
  });
});

describe('403 comes before the body and the resource', () => {
  const post = (url: string, key: string, rawBody: string, contentType = 'application/json') =>
    call(h.app, 'POST', url, { key, rawBody, headers: { 'content-type': contentType } });

  it.each([
    ['an invalid body', '{"name":"","llmTemperature":"hot","bogus":1}', 'application/json'],
    ['a body that is not an object', '[1,2,3]', 'application/json'],
    ['malformed JSON', '{"name":', 'application/json'],
    ['an empty body declared as JSON', '', 'application/json'],
    ['a non-JSON media type', 'name=x', 'application/x-www-form-urlencoded'],
    ['a reserved key', '{"name":"x","__proto__":{}}', 'application/json'],
  ])('POST /agents with agents:read and %s → 403', async (_label, raw, type) => {
    expectInsufficientScope(await post('/api/v1/agents', keys['agents:read'], raw, type), 'agents:draft', '/api/v1/agents');
  });

  it('POST /agents over 256 KiB with a lacking scope → 403, not 413', async () => {
    const raw = JSON.stringify({ name: 'big', persona: 'a'.repeat(270_000) });
    expectInsufficientScope(await post('/api/v1/agents', keys['keys:write'], raw), 'agents:draft', '/api/v1/agents');
  });

  it('POST /api-keys with an invalid body and a lacking scope → 403, not 400', async () => {
    const r = await post('/api/v1/api-keys', keys['keys:read'], '{"name":"","scopes":["nope"],"x":1}');
    expectInsufficientScope(r, 'keys:write', '/api/v1/api-keys');
  });

  it('PATCH with an invalid body, a malformed If-Match and a lacking scope → 403', async () => {
    const url = `/api/v1/agents/${sharedAgentId}`;
    const r = await call(h.app, 'PATCH', url, { key: keys['agents:read'], body: { llmTemperature: 99, version: 'x' }, headers: { 'if-match': 'garbage' } });
    expectInsufficientScope(r, 'agents:draft', url);
  });

  it('POST with a malformed Idempotency-Key and a lacking scope → 403, not invalid_header', async () => {
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: keys['audit:read'], body: { name: 'x' }, headers: { 'idempotency-key': 'has space' } });
    expectInsufficientScope(r, 'agents:draft', '/api/v1/agents');
  });

  it('an unknown or malformed id with a lacking scope → 403, not 404', async () => {
    for (const url of ['/api/v1/agents/agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', '/api/v1/agents/not-an-id']) {
      expectInsufficientScope(await call(h.app, 'GET', url, { key: keys['keys:read'] }), 'agents:read', url);
      expectInsufficientScope(await call(h.app, 'DELETE', url, { key: keys['agents:draft'] }), 'agents:write', url);
    }
    const k = '/api/v1/api-keys/key_01JD3ZK7X8V2Q5M1N9P4R6T0WA';
    expectInsufficientScope(await call(h.app, 'DELETE', k, { key: keys['keys:read'] }), 'keys:write', k);
  });

  it('a query-string error with a lacking scope → 403, not 400', async () => {
    const url = '/api/v1/audit-events?limit=0&since=yesterday';
    expectInsufficientScope(await call(h.app, 'GET', url, { key: keys['agents:write'] }), 'audit:read', '/api/v1/audit-events');
  });
});

describe('401 comes before 403', () => {
  let revoked: string;
  let malformed: string;
  beforeAll(async () => {
    const m = await t.mint(['agents:read'], 'to revoke');
    expect((await call(h.app, 'DELETE', `/api/v1/api-keys/${m.keyId}`, { key: t.key })).statusCode).toBe(200);
    revoked = m.key;
    malformed = keys['agents:read'].slice(0, -1) + '!';
  });

  const CAUSES: [string, () => Record<string, string>][] = [
    ['no Authorization', () => ({})],
    ['an unknown key', () => ({ authorization: 'Bearer flowyte_sk_live_1111111111111111111111111111111111' })],
    ['a malformed key', () => ({ authorization: `Bearer ${malformed}` })],
    ['a revoked key', () => ({ authorization: `Bearer ${revoked}` })],
    ['a non-Bearer scheme', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
  ];
  const CASES = ROUTES.flatMap((route) => CAUSES.map(([cause, headers]) => ({ route, cause, headers, label: `${route.method} ${route.path}, ${cause}` })));

  it.each(CASES)('$label → 401 with the one message', async ({ route, headers }) => {
    const url = route.path.replace('{id}', route.path.includes('agents') ? sharedAgentId : 'key_01JD3ZK7X8V2Q5M1N9P4R6T0WA');
    // a body that would fail validation, so a 400 would show the order is wrong
    const body = route.method === 'POST' || route.method === 'PATCH' ? { bogus: true } : undefined;
    const r = await call(h.app, route.method, url, { headers: headers(), body });
    expect(r.statusCode).toBe(401);
    const b = r.json();
    expect(b).toMatchObject({ success: false, status: 401, code: 'unauthorized', requestId: r.headers['x-request-id'] });
    expect(b.requiredScope).toBeUndefined();
    expect(b.detail).toBe('A valid API key is required: Authorization: Bearer flowyte_sk_live_…');
  });

  it('every cause gives the byte-same body apart from requestId (no oracle)', async () => {
    const bodies = new Set<string>();
    for (const [, headers] of CAUSES) {
      const r = await call(h.app, 'DELETE', `/api/v1/agents/${sharedAgentId}`, { headers: headers() });
      const { requestId: _r, ...rest } = r.json();
      bodies.add(JSON.stringify(rest));
    }
    expect(bodies.size).toBe(1);
  });
});
