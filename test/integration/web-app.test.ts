import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness, type Tenant } from '../helpers/harness.js';

/** The dashboard is served by the API's server: the API owns /api/, the app owns the rest. */
describe('web app routing and GET /api/v1/me', () => {
  let h: Harness;
  let bare: Harness;
  let t: Tenant;
  const root = mkdtempSync(path.join(tmpdir(), 'flowyte-web-'));
  beforeAll(async () => {
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
    writeFileSync(path.join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
    h = await makeHarness({ webRoot: root });
    bare = await makeHarness({ webRoot: null });
    t = await h.tenant();
  });
  afterAll(async () => {
    await h?.close();
    await bare?.close();
  });

  it.each(['/', '/agents', '/agents/agt_x/versions', '/keys', '/some/deep/client/route'])('GET %s answers the app page with its CSP', async (url) => {
    const r = await h.app.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<div id="root">');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['cache-control']).toBe('no-cache');
  });

  it('HEAD of an app path answers 200 without a body', async () => {
    const r = await h.app.inject({ method: 'HEAD', url: '/agents' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('');
  });

  it('hashed assets are served and cached for a year; a missing file is a JSON 404, not the page', async () => {
    const ok = await h.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('console.log(1)');
    expect(ok.headers['cache-control']).toContain('immutable');
    const missing = await h.app.inject({ method: 'GET', url: '/assets/app-missing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ success: false, code: 'not_found' });
  });

  it.each([
    ['GET', '/api/v1/nope', 404, 'not_found'],
    ['GET', '/api', 404, 'not_found'],
    ['GET', '/api/v2/agents', 404, 'not_found'],
    ['POST', '/agents', 404, 'not_found'],
    ['DELETE', '/', 405, 'method_not_allowed'],
    ['POST', '/healthz', 405, 'method_not_allowed'],
    ['PUT', '/api/v1/agents', 405, 'method_not_allowed'],
  ])('%s %s stays a JSON %i (%s)', async (method, url, status, code) => {
    const r = await h.app.inject({ method: method as 'GET', url });
    expect(r.statusCode).toBe(status);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ success: false, code });
  });

  it('/healthz, /readyz, /openapi.json and /docs keep working', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const doc = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.json().paths['/api/v1/me']).toBeDefined();
    const docs = await h.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
    expect((await h.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });

  it('an unbuilt app answers a page saying how to build it; webRoot null serves the API only', async () => {
    const unbuilt = await makeHarness({ webRoot: path.join(root, 'nothing-here') });
    try {
      const r = await unbuilt.app.inject({ method: 'GET', url: '/agents' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('npm run build:web');
    } finally {
      await unbuilt.close();
    }
    const r = await bare.app.inject({ method: 'GET', url: '/agents' });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('not_found');
  });

  it('GET /api/v1/me tells any valid key its organization and scopes, implied ones included', async () => {
    const drafter = await t.mint(['agents:draft', 'audit:read']);
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${drafter.key}` } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      success: true,
      data: { organizationId: t.orgId, keyId: drafter.keyId, scopes: ['agents:draft', 'audit:read'], effectiveScopes: ['agents:read', 'agents:draft', 'audit:read'] },
    });
    expect(r.headers['ratelimit-limit']).toBeUndefined(); // this harness runs without a limit
  });

  it('GET /api/v1/me answers a key of any single scope', async () => {
    for (const scope of ['agents:read', 'agents:draft', 'agents:write', 'keys:read', 'keys:write', 'audit:read'] as const) {
      const k = await t.mint([scope]);
      const r = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${k.key}` } });
      expect(r.statusCode, scope).toBe(200);
      expect(r.json().data.scopes).toEqual([scope]);
    }
  });

  it('GET /api/v1/me without a valid key is the one 401', async () => {
    for (const authorization of [undefined, 'Bearer flowyte_sk_live_nope', 'Basic abc']) {
      const r = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: authorization ? { authorization } : {} });
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('unauthorized');
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
    const revoked = await t.mint(['agents:read']);
    await h.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${revoked.keyId}`, headers: { authorization: `Bearer ${t.key}` } });
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${revoked.key}` } });
    expect(r.statusCode).toBe(401);
  });
});
