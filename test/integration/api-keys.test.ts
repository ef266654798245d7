import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();

describe('POST /api-keys', () => {
  it('mints a key shown once, which then authenticates', async () => {
    const r = await call(h.app, 'POST', '/api/v1/api-keys', { key: t.key, body: { name: 'reader', scopes: ['agents:read'] } });
    expect(r.statusCode).toBe(201);
    const d = r.json().data;
    expect(d.key).toMatch(/^flowyte_sk_live_[1-9A-HJ-NP-Za-km-z]{32,}$/);
    expect(d.id).toMatch(/^key_[0-9A-Z]{26}$/);
    expect(d.start).toBe(d.key.slice(0, 19));
    expect(d.scopes).toEqual(['agents:read']);
    expect(d.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const list = await call(h.app, 'GET', '/api/v1/agents', { key: d.key });
    expect(list.statusCode).toBe(200);
    // the new key cannot do what it was not granted
    const post = await call(h.app, 'POST', '/api/v1/agents', { key: d.key, body: { name: 'x' } });
    expect(post.statusCode).toBe(403);
  });

  it('rejects an invalid body listing every field', async () => {
    const r = await call(h.app, 'POST', '/api/v1/api-keys', { key: t.key, body: { name: '', scopes: ['agents:read', 'nope'], extra: 1 } });
    expect(r.statusCode).toBe(400);
    const b = r.json();
    expect(b.code).toBe('validation_error');
    expect(b.errors.map((e: any) => e.field)).toEqual(['extra', 'name', 'scopes[1]']);
    expect(b.errors[2].message).toContain('agents:read, agents:draft, agents:write');
  });

  it('rejects an empty scope list and a name over 100 characters', async () => {
    const r = await call(h.app, 'POST', '/api/v1/api-keys', { key: t.key, body: { name: 'x'.repeat(101), scopes: [] } });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: any) => e.field)).toEqual(['name', 'scopes']);
  });

  it('never mints a scope the caller lacks (implied scopes count)', async () => {
    const minter = await t.mint(['keys:write', 'agents:write']);
    const ok = await call(h.app, 'POST', '/api/v1/api-keys', { key: minter.key, body: { name: 'd', scopes: ['agents:draft', 'agents:read'] } });
    expect(ok.statusCode).toBe(201);
    const bad = await call(h.app, 'POST', '/api/v1/api-keys', { key: minter.key, body: { name: 'd', scopes: ['agents:read', 'audit:read', 'keys:read'] } });
    expect(bad.statusCode).toBe(403);
    const b = bad.json();
    expect(b.code).toBe('insufficient_scope');
    expect(b.missingScopes).toEqual(['audit:read', 'keys:read']);
    expect(b.detail).toContain('audit:read');
  });

  it('replays an idempotent mint without the secret', async () => {
    const headers = { 'idempotency-key': 'mint-once-1' };
    const a = await call(h.app, 'POST', '/api/v1/api-keys', { key: t.key, headers, body: { name: 'idem', scopes: ['agents:read'] } });
    const b = await call(h.app, 'POST', '/api/v1/api-keys', { key: t.key, headers, body: { name: 'idem', scopes: ['agents:read'] } });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const { key, ...rest } = a.json().data;
    expect(key).toBeTypeOf('string');
    expect(b.json().data).toEqual(rest);
    expect('key' in b.json().data).toBe(false);
  });
});

describe('GET /api-keys', () => {
  it('lists keys newest first without secrets or hashes, paginated', async () => {
    const r = await call(h.app, 'GET', '/api/v1/api-keys?limit=2', { key: t.key });
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.data).toHaveLength(2);
    expect(b.pagination.hasMore).toBe(true);
    for (const k of b.data) {
      expect(Object.keys(k).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scopes', 'start']);
    }
    expect(JSON.stringify(b)).not.toMatch(/flowyte_sk_live_[1-9A-Za-z]{20,}/);
    expect(b.data[0].id > b.data[1].id).toBe(true);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await call(h.app, 'GET', `/api/v1/api-keys?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: t.key })).json();
      all.push(...page.data.map((k: any) => k.id));
      cursor = page.pagination.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain(t.keyId);
  });

  it('records lastUsedAt off the request path', async () => {
    const k = await t.mint(['agents:read']);
    const before = (await call(h.app, 'GET', '/api/v1/api-keys?limit=100', { key: t.key })).json().data.find((x: any) => x.id === k.keyId);
    expect(before.lastUsedAt).toBeNull();
    expect((await call(h.app, 'GET', '/api/v1/agents', { key: k.key })).statusCode).toBe(200);
    let seen: string | null = null;
    for (let i = 0; i < 50 && !seen; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = (await call(h.app, 'GET', '/api/v1/api-keys?limit=100', { key: t.key })).json().data.find((x: any) => x.id === k.keyId).lastUsedAt;
    }
    expect(seen).toMatch(/\.\d{3}Z$/);
  });

  it('needs keys:read', async () => {
    const k = await t.mint(['keys:write']);
    const r = await call(h.app, 'GET', '/api/v1/api-keys', { key: k.key });
    expect(r.statusCode).toBe(403);
    expect(r.json().requiredScope).toBe('keys:read');
  });
});

describe('DELETE /api-keys/{id}', () => {
  it('revokes at once (also past the verification cache); twice is 404; still listed with revokedAt', async () => {
    const k = await t.mint(['agents:read']);
    expect((await call(h.app, 'GET', '/api/v1/agents', { key: k.key })).statusCode).toBe(200); // now cached
    const r = await call(h.app, 'DELETE', `/api/v1/api-keys/${k.keyId}`, { key: t.key });
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toEqual({ id: k.keyId, revoked: true });
    const after = await call(h.app, 'GET', '/api/v1/agents', { key: k.key });
    expect(after.statusCode).toBe(401);
    expect((await call(h.app, 'DELETE', `/api/v1/api-keys/${k.keyId}`, { key: t.key })).statusCode).toBe(404);
    const list = (await call(h.app, 'GET', '/api/v1/api-keys?limit=100', { key: t.key })).json();
    expect(list.data.find((x: any) => x.id === k.keyId).revokedAt).toMatch(/Z$/);
  });

  it('a key may revoke itself', async () => {
    const k = await t.mint(['keys:write']);
    expect((await call(h.app, 'DELETE', `/api/v1/api-keys/${k.keyId}`, { key: k.key })).statusCode).toBe(200);
    expect((await call(h.app, 'GET', '/api/v1/api-keys', { key: k.key })).statusCode).toBe(401);
  });

  it('a malformed or foreign id is 404', async () => {
    expect((await call(h.app, 'DELETE', '/api/v1/api-keys/nope', { key: t.key })).statusCode).toBe(404);
    const other = await h.tenant('Other');
    const r = await call(h.app, 'DELETE', `/api/v1/api-keys/${other.keyId}`, { key: t.key });
    expect(r.statusCode).toBe(404);
    expect((await call(h.app, 'GET', '/api/v1/api-keys', { key: other.key })).statusCode).toBe(200);
  });
});

describe('authentication', () => {
  it('answers every failure with the same 401 body', async () => {
    const revoked = await t.mint(['agents:read']);
    await call(h.app, 'DELETE', `/api/v1/api-keys/${revoked.keyId}`, { key: t.key });
    const variants: Record<string, string | undefined> = {
      missing: undefined,
      malformed: 'Basic abc',
      wrongPrefix: 'Bearer sk_live_abc',
      unknown: 'Bearer flowyte_sk_live_' + '1'.repeat(32),
      revoked: `Bearer ${revoked.key}`,
    };
    const bodies = new Set<string>();
    for (const auth of Object.values(variants)) {
      const r = await call(h.app, 'GET', '/api/v1/agents', { headers: auth ? { authorization: auth } : {} });
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const { requestId, ...rest } = r.json();
      expect(requestId).toBeTypeOf('string');
      bodies.add(JSON.stringify(rest));
    }
    expect(bodies.size).toBe(1);
  });

  it('the Bearer scheme is case-insensitive (RFC 9110 §11.1); anything else around the key is still 401', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const r = await h.app.inject({ url: '/api/v1/me', headers: { authorization: `${scheme} ${t.key}` } });
      expect(r.statusCode, scheme).toBe(200);
    }
    for (const bad of [`Basic ${t.key}`, `Bearer${t.key}`, `Bearer ${t.key} extra`, `${t.key}`]) {
      const r = await h.app.inject({ url: '/api/v1/me', headers: { authorization: bad } });
      expect(r.statusCode, bad).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
  });
});
