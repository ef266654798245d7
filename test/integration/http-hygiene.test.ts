import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();

describe('request ids', () => {
  it('keeps a well-formed client X-Request-Id and puts it in error bodies', async () => {
    const r = await call(h.app, 'GET', '/api/v1/agents/agt_nope', { key: t.key, headers: { 'x-request-id': 'client-1.2:3' } });
    expect(r.headers['x-request-id']).toBe('client-1.2:3');
    expect(r.json().requestId).toBe('client-1.2:3');
  });
  it('replaces a malformed one with req_…', async () => {
    const r = await call(h.app, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id!' } });
    expect(r.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
  });
});

describe('routing', () => {
  it('unknown paths under /api/ are 404 not_found, before authentication', async () => {
    const r = await call(h.app, 'GET', '/api/v1/nothing-here');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ success: false, code: 'not_found', status: 404, instance: '/api/v1/nothing-here' });
  });
  it('a known path with a wrong method is 405 with Allow, before authentication', async () => {
    const r = await call(h.app, 'PUT', '/api/v1/agents');
    expect(r.statusCode).toBe(405);
    expect(r.json().code).toBe('method_not_allowed');
    expect(r.headers.allow).toContain('GET');
    expect(r.headers.allow).toContain('POST');
    const r2 = await call(h.app, 'POST', '/api/v1/agents/agt_x');
    expect(r2.statusCode).toBe(405);
    expect(r2.headers.allow).toContain('PATCH');
  });
});

describe('bodies', () => {
  it('413 over 256 KiB (after auth)', async () => {
    const big = JSON.stringify({ name: 'x', persona: 'a'.repeat(262_200) });
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: big, headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('payload_too_large');
    const unauth = await call(h.app, 'POST', '/api/v1/agents', { rawBody: big, headers: { 'content-type': 'application/json' } });
    expect(unauth.statusCode).toBe(401);
  });
  it('415 for non-JSON and for merge-patch on POST', async () => {
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(415);
    expect(r.json().code).toBe('unsupported_media_type');
    const m = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: '{"name":"x"}', headers: { 'content-type': 'application/merge-patch+json' } });
    expect(m.statusCode).toBe(415);
  });
  it('400 malformed_json for broken JSON and for an empty body declared as JSON', async () => {
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('malformed_json');
    const e = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: '', headers: { 'content-type': 'application/json' } });
    expect(e.statusCode).toBe(400);
    expect(e.json().code).toBe('malformed_json');
  });
  it('a POST with no body and no Content-Type is read as {}', async () => {
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([{ field: 'name', message: expect.any(String) }]);
  });
  it('a body that is not an object is a validation_error on field ""', async () => {
    for (const raw of ['[]', '"x"', '3', 'null']) {
      const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: raw, headers: { 'content-type': 'application/json' } });
      expect(r.statusCode, raw).toBe(400);
      expect(r.json().code).toBe('validation_error');
      expect(r.json().errors[0].field).toBe('');
    }
  });
  it('__proto__, constructor and prototype keys are rejected with their path', async () => {
    const raw = '{"name":"p","__proto__":{"x":1},"lexicon":{"pronunciations":{"constructor":"k"}},"voiceMap":{"prototype":"v"}}';
    const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: raw, headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    const fields = r.json().errors.map((e: any) => e.field);
    expect(fields).toContain('__proto__');
    expect(fields).toContain('lexicon.pronunciations.constructor');
    expect(fields).toContain('voiceMap.prototype');
    const list = await call(h.app, 'GET', '/api/v1/agents?q=p', { key: t.key });
    expect(list.json().data).toEqual([]);
  });
});

describe('error bodies', () => {
  it('carry the problem+json members and the envelope', async () => {
    const r = await call(h.app, 'GET', '/api/v1/agents/agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', { key: t.key });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const b = r.json();
    expect(Object.keys(b).sort()).toEqual(['code', 'detail', 'instance', 'message', 'requestId', 'status', 'success', 'title', 'type']);
    expect(b.type).toBe('https://flowyte.dev/errors/not_found');
  });
});

describe('health and docs', () => {
  it('/healthz and /readyz need no key', async () => {
    expect((await call(h.app, 'GET', '/healthz')).json()).toEqual({ status: 'ok' });
    const r = await call(h.app, 'GET', '/readyz');
    expect(r.statusCode).toBe(200);
  });
  it('/openapi.json is OpenAPI 3.1 with every endpoint', async () => {
    const doc = (await call(h.app, 'GET', '/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/v1/agents', '/api/v1/agents/{id}', '/api/v1/api-keys', '/api/v1/api-keys/{id}', '/api/v1/audit-events']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/api/v1/agents'].post.description).toContain('agents:draft');
  });
  it('/docs serves the interactive reference', async () => {
    const r = await call(h.app, 'GET', '/docs/');
    expect([200, 302]).toContain(r.statusCode);
  });
});

describe('rate limit', () => {
  it('refuses over the bucket with Retry-After; 401 and 403 consume nothing', async () => {
    const { makeHarness: mk } = await import('../helpers/harness.js');
    const { TestClock } = await import('../helpers/harness.js');
    const clock = new TestClock();
    const rh = await mk({ rateLimitPerMin: 60, clock }); // capacity 10, 1 token a second
    try {
      const tt = await rh.tenant();
      const reader = await tt.mint(['agents:read']);
      for (let i = 0; i < 5; i++) {
        const denied = await call(rh.app, 'POST', '/api/v1/agents', { key: reader.key, body: { name: 'n' } }); // 403s
        expect(denied.statusCode).toBe(403);
        expect(denied.headers['ratelimit-remaining']).toBe('10'); // shown, not consumed
      }
      for (let i = 0; i < 5; i++) await call(rh.app, 'GET', '/api/v1/agents', { key: 'flowyte_sk_live_' + '2'.repeat(32) }); // 401s
      const seen: number[] = [];
      let last;
      for (let i = 0; i < 11; i++) {
        last = await call(rh.app, 'GET', '/api/v1/agents', { key: tt.key });
        seen.push(last.statusCode);
      }
      expect(seen.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(seen[10]).toBe(429);
      expect(last!.json().code).toBe('rate_limited');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(last!.headers['ratelimit-limit']).toBe('10');
      clock.advance(1000);
      const again = await call(rh.app, 'GET', '/api/v1/agents', { key: tt.key });
      expect(again.statusCode).toBe(200);
      expect(again.headers['ratelimit-remaining']).toBe('0');
      // errors after authentication carry the headers too
      const nf = await call(rh.app, 'GET', '/api/v1/agents/agt_nope', { key: tt.key });
      expect(nf.statusCode).toBe(429);
      expect(nf.headers['ratelimit-limit']).toBe('10');
      // other organizations have their own bucket
      const other = await rh.tenant('B');
      expect((await call(rh.app, 'GET', '/api/v1/agents', { key: other.key })).statusCode).toBe(200);
      // health is never limited
      expect((await call(rh.app, 'GET', '/healthz')).statusCode).toBe(200);
    } finally {
      await rh.close();
    }
  });
});

describe('storage outage', () => {
  it('answers 503 unavailable without internals, and /readyz is 503', async () => {
    const { makeHarness: mk } = await import('../helpers/harness.js');
    const oh = await mk();
    const ot = await oh.tenant();
    await call(oh.app, 'GET', '/api/v1/agents', { key: ot.key }); // key now cached
    await oh.db.close();
    const r = await call(oh.app, 'GET', '/api/v1/agents', { key: ot.key });
    expect(r.statusCode).toBe(503);
    const b = r.json();
    expect(b.code).toBe('unavailable');
    expect(JSON.stringify(b)).not.toMatch(/PGlite|pool|stack|at .*\.js|SELECT|ECONN/i);
    expect((await call(oh.app, 'GET', '/readyz')).statusCode).toBe(503);
    await oh.close().catch(() => undefined);
  });
});
