/**
 * Hardening (issue 9, item 7): no `X-Powered-By`; `Cache-Control: no-store` on every API answer;
 * CORS off unless FLOWYTE_CORS_ORIGINS lists origins; timeouts against slow and idle clients; no
 * key material or `Authorization` value in the logs of a full run; a 404 for another
 * organization's agent indistinguishable (body and timing) from one for an agent that does not
 * exist.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, LOG_REDACT, type AppDeps } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runServer } from '../../src/server.js';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_METHODS } from '../../src/http/cors.js';
import { DEFAULT_SERVER_TIMEOUTS, serverTimeoutOptions, type ServerTimeouts } from '../../src/http/server-timeouts.js';
import { newId } from '../../src/ids.js';
import { call, makeHarness, type Harness, type Res, type Tenant } from '../helpers/harness.js';

let h: Harness;
let t: Tenant;
/** other apps built on the same database (CORS on, rate-limited, …), closed at the end */
const extraApps: FastifyInstance[] = [];
const webRoot = mkdtempSync(path.join(tmpdir(), 'flowyte-hardening-web-'));

/** small timeouts, so that the slow-client tests run in about a second each */
const small: ServerTimeouts = { headersMs: 400, requestMs: 800, keepAliveMs: 400, idleMs: 1500, checkIntervalMs: 50 };
/** every line the listening app logs, at trace level, with the production logger options */
const sink = logSink();
/** an app on a real port: small timeouts, logs into `sink` */
let served: FastifyInstance;
let port: number;

beforeAll(async () => {
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
  writeFileSync(path.join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
  h = await makeHarness({ webRoot });
  t = await h.tenant('Hardening');
  served = await app({ timeouts: small, logger: { level: 'trace', stream: sink.stream, redact: { paths: LOG_REDACT, censor: '[redacted]' } } });
  port = await listen(served);
});
afterAll(async () => {
  for (const a of extraApps) await a.close();
  await h?.close();
});

async function app(deps: Partial<AppDeps>): Promise<FastifyInstance> {
  const a = await buildApp({ db: h.db, rateLimitPerMin: 0, webRoot: null, ...deps });
  extraApps.push(a);
  return a;
}

async function listen(a: FastifyInstance): Promise<number> {
  await a.listen({ port: 0, host: '127.0.0.1' });
  return (a.server.address() as net.AddressInfo).port;
}

async function createAgent(key: string, name: string): Promise<{ id: string; version: number }> {
  const r = await call(h.app, 'POST', '/api/v1/agents', { key, body: { name } });
  expect(r.statusCode, r.body).toBe(201);
  return { id: r.json().data.id, version: r.json().data.version };
}

/** Collects every log line an app writes, parsed. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) {
        if (!l.trim()) continue;
        raw.push(l);
        lines.push(JSON.parse(l));
      }
      cb();
    },
  });
  return { lines, raw, stream };
}

// ---------------------------------------------------------------------------------------------

describe('no X-Powered-By (nor a Server header)', () => {
  it('on API answers, errors, public paths and the web app', async () => {
    const { id } = await createAgent(t.key, 'powered-by probe');
    const answers = await Promise.all([
      call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key }),
      call(h.app, 'GET', '/api/v1/agents'),
      call(h.app, 'GET', '/api/v1/nope', { key: t.key }),
      call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: '{', headers: { 'content-type': 'application/json' } }),
      call(h.app, 'GET', '/healthz'),
      call(h.app, 'GET', '/openapi.json'),
      call(h.app, 'GET', '/docs/static/swagger-ui.css'),
      call(h.app, 'GET', '/'),
      call(h.app, 'GET', '/assets/app-abc123.js'),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 404, 400, 200, 200, 200, 200, 200]);
    for (const r of answers) {
      expect(r.headers['x-powered-by']).toBeUndefined();
      expect(r.headers.server).toBeUndefined();
    }
  });

  it('over a real connection too (nothing added below Fastify)', async () => {
    const raw = await exchange(port, `GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^x-powered-by:/im);
    expect(head).not.toMatch(/^server:/im);
  });
});

/** Sends bytes on a fresh connection and reads until the server closes it. */
function exchange(port: number, bytes: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('no close'));
    }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    s.write(bytes);
  });
}

// ---------------------------------------------------------------------------------------------

describe('Cache-Control: no-store on every API answer', () => {
  it('2xx, 304 and every error of an authenticated route, and unknown /api/ paths', async () => {
    const reader = await t.mint(['agents:read'], 'reader');
    const { id, version } = await createAgent(t.key, 'cache probe');
    const limited = await app({ rateLimitPerMin: 6 }); // a burst of one request
    const k = { key: t.key };
    const cases: [string, number, () => Promise<Res>][] = [
      ['POST /agents', 201, () => call(h.app, 'POST', '/api/v1/agents', { ...k, body: { name: 'cache probe 2' } })],
      ['GET /agents', 200, () => call(h.app, 'GET', '/api/v1/agents', k)],
      ['HEAD /agents', 200, () => call(h.app, 'HEAD', '/api/v1/agents', k)],
      ['GET /agents/:id', 200, () => call(h.app, 'GET', `/api/v1/agents/${id}`, k)],
      ['GET /agents/:id If-None-Match', 304, () => call(h.app, 'GET', `/api/v1/agents/${id}`, { ...k, headers: { 'if-none-match': `"${version}"` } })],
      ['PATCH /agents/:id', 200, () => call(h.app, 'PATCH', `/api/v1/agents/${id}`, { ...k, body: { tone: 'calm' } })],
      ['POST publish', 201, () => call(h.app, 'POST', `/api/v1/agents/${id}/publish`, k)],
      ['GET live', 200, () => call(h.app, 'GET', `/api/v1/agents/${id}/live?channel=chat`, k)],
      ['GET /me', 200, () => call(h.app, 'GET', '/api/v1/me', k)],
      ['GET /api-keys', 200, () => call(h.app, 'GET', '/api/v1/api-keys', k)],
      ['GET /audit-events', 200, () => call(h.app, 'GET', '/api/v1/audit-events', k)],
      ['400 validation_error', 400, () => call(h.app, 'POST', '/api/v1/agents', { ...k, body: { name: 5 } })],
      ['400 malformed_json', 400, () => call(h.app, 'POST', '/api/v1/agents', { ...k, rawBody: '{', headers: { 'content-type': 'application/json' } })],
      ['400 invalid_header', 400, () => call(h.app, 'PATCH', `/api/v1/agents/${id}`, { ...k, body: {}, headers: { 'if-match': 'x' } })],
      ['401 no key', 401, () => call(h.app, 'GET', '/api/v1/agents')],
      ['401 unknown key', 401, () => call(h.app, 'GET', '/api/v1/agents', { key: `flowyte_sk_live_${'2'.repeat(32)}` })],
      ['403 insufficient_scope', 403, () => call(h.app, 'POST', '/api/v1/agents', { key: reader.key, body: { name: 'nope' } })],
      ['404 no such agent', 404, () => call(h.app, 'GET', `/api/v1/agents/${newId('agt')}`, k)],
      ['404 unknown API path', 404, () => call(h.app, 'GET', '/api/v1/nothing-here', k)],
      ['404 undecodable URL', 404, () => call(h.app, 'GET', '/api/v1/agents/%E0%A4%A', k)],
      ['405 wrong method', 405, () => call(h.app, 'PUT', '/api/v1/agents', k)],
      ['409 version_conflict', 409, () => call(h.app, 'PATCH', `/api/v1/agents/${id}`, { ...k, body: { tone: 'x' }, headers: { 'if-match': '"1"' } })],
      ['413 payload_too_large', 413, () => call(h.app, 'POST', '/api/v1/agents', { ...k, rawBody: JSON.stringify({ name: 'x'.repeat(300_000) }), headers: { 'content-type': 'application/json' } })],
      ['415 unsupported_media_type', 415, () => call(h.app, 'POST', '/api/v1/agents', { ...k, rawBody: 'x', headers: { 'content-type': 'text/plain' } })],
      ['200 before the limit', 200, () => call(limited, 'GET', '/api/v1/agents', k)],
      ['429 rate_limited', 429, () => call(limited, 'GET', '/api/v1/agents', k)],
    ];
    for (const [label, status, send] of cases) {
      const r = await send();
      expect(r.statusCode, `${label}: ${r.body.slice(0, 200)}`).toBe(status);
      expect(r.headers['cache-control'], label).toBe('no-store');
    }
  });

  it('public paths keep their own caching (health, OpenAPI, docs, the dashboard)', async () => {
    const get = (url: string) => h.app.inject({ method: 'GET', url });
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs/static/swagger-ui.css']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['cache-control'], url).not.toBe('no-store');
    }
    const page = await get('/agents');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await get('/assets/app-abc123.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // an unknown path outside /api/ is the web app's (or its 404): not the API's rule either
    const missing = await get('/assets/missing.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

const ALLOWED = 'https://app.example.com';
const DEV = 'http://localhost:5173';
const accessControl = (r: Res) => Object.keys(r.headers).filter((k) => k.startsWith('access-control-'));
const list = (v: unknown) =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

describe('FLOWYTE_CORS_ORIGINS: parsing', () => {
  it('unset or empty: CORS off; a list of exact origins is kept (spaces around commas ignored, duplicates once)', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ FLOWYTE_CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
    expect(loadConfig({ FLOWYTE_CORS_ORIGINS: `${ALLOWED}, ${DEV} ,${ALLOWED},http://[::1]:8080` }).corsOrigins).toEqual([ALLOWED, DEV, 'http://[::1]:8080']);
  });

  it.each([
    ['a wildcard', '*'],
    ['a trailing slash', 'https://app.example.com/'],
    ['a path', 'https://app.example.com/app'],
    ['a host alone', 'app.example.com'],
    ['another scheme', 'ftp://app.example.com'],
    ['upper case', 'https://App.example.com'],
    ['a default port', 'https://app.example.com:443'],
    ['a query', 'https://app.example.com?x=1'],
    ['credentials', 'https://u:p@app.example.com'],
    ['the null origin', 'null'],
    ['an empty entry', `${ALLOWED},,${DEV}`],
    ['a line break', 'https://a.example\nhttps://b.example'],
  ])('%s is refused with a one-line reason naming the variable', (_label, value) => {
    let err: unknown;
    try {
      loadConfig({ FLOWYTE_CORS_ORIGINS: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^invalid FLOWYTE_CORS_ORIGINS: /);
    expect(msg).not.toContain('\n');
  });

  it('an invalid value stops start-up: exit status 1, one line on stderr', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write);
    let status: number;
    try {
      status = await runServer({ FLOWYTE_CORS_ORIGINS: 'https://app.example.com/', FLOWYTE_DATA_DIR: path.join(webRoot, 'never-opened') });
    } finally {
      spy.mockRestore();
    }
    expect(status).toBe(1);
    expect(written.join('')).toMatch(/^flowyte: invalid FLOWYTE_CORS_ORIGINS: "https:\/\/app\.example\.com\/" is not an exact origin \(did you mean https:\/\/app\.example\.com\?\)[^\n]*\n$/);
  });
});

describe('CORS off (the default)', () => {
  it('no Access-Control-* header on any answer, whatever the Origin', async () => {
    const { id } = await createAgent(t.key, 'cors off probe');
    for (const origin of [ALLOWED, 'https://evil.example', 'null']) {
      const rs = [
        await call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key, headers: { origin } }),
        await call(h.app, 'GET', '/api/v1/agents', { headers: { origin } }),
        await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 3 }, headers: { origin } }),
        await call(h.app, 'GET', '/healthz', { headers: { origin } }),
      ];
      expect(rs.map((r) => r.statusCode)).toEqual([200, 401, 400, 200]);
      for (const r of rs) {
        expect(accessControl(r)).toEqual([]);
        expect(list(r.headers.vary)).not.toContain('origin');
      }
    }
  });

  it('a preflight gets what any OPTIONS gets: 405 with Allow on a known path, 404 elsewhere, no CORS header', async () => {
    const preflight = { origin: ALLOWED, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type, if-match' };
    const known = await call(h.app, 'OPTIONS', '/api/v1/agents/agt_x', { headers: preflight });
    expect(known.statusCode).toBe(405);
    expect(known.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    expect(known.json()).toMatchObject({ success: false, code: 'method_not_allowed' });
    const unknown = await call(h.app, 'OPTIONS', '/api/v1/nothing-here', { headers: preflight });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('not_found');
    for (const r of [known, unknown]) expect(accessControl(r)).toEqual([]);
  });
});

describe('CORS on: FLOWYTE_CORS_ORIGINS lists the origins', () => {
  let cors: FastifyInstance;
  let agentId: string;
  beforeAll(async () => {
    cors = await app({ corsOrigins: loadConfig({ FLOWYTE_CORS_ORIGINS: `${ALLOWED},${DEV}` }).corsOrigins });
    agentId = (await createAgent(t.key, 'cors on probe')).id;
  });

  const expectAllowed = (r: Res, origin: string) => {
    expect(r.headers['access-control-allow-origin']).toBe(origin);
    expect(list(r.headers['access-control-expose-headers'])).toEqual(CORS_EXPOSED_HEADERS.map((x) => x.toLowerCase()));
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    expect(list(r.headers.vary)).toContain('origin');
  };

  it('an allowed origin gets Allow-Origin and the exposed headers, on success and on errors', async () => {
    for (const origin of [ALLOWED, DEV]) {
      const ok = await call(cors, 'GET', `/api/v1/agents/${agentId}`, { key: t.key, headers: { origin } });
      expect(ok.statusCode).toBe(200);
      expectAllowed(ok, origin);
      expect(ok.headers['access-control-allow-methods']).toBeUndefined(); // a preflight's only
      const denied = await call(cors, 'GET', '/api/v1/agents', { headers: { origin } });
      expect(denied.statusCode).toBe(401);
      expectAllowed(denied, origin);
      const invalid = await call(cors, 'POST', '/api/v1/agents', { key: t.key, body: { name: 3 }, headers: { origin } });
      expect(invalid.statusCode).toBe(400);
      expectAllowed(invalid, origin);
    }
  });

  it('a preflight from an allowed origin: 204 before authentication, with methods, headers and max-age', async () => {
    const r = await call(cors, 'OPTIONS', `/api/v1/agents/${agentId}`, {
      headers: { origin: ALLOWED, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,if-match,idempotency-key,x-request-id,if-none-match' },
    });
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');
    expectAllowed(r, ALLOWED);
    expect(list(r.headers['access-control-allow-methods'])).toEqual(CORS_METHODS.map((m) => m.toLowerCase()));
    const allowedHeaders = list(r.headers['access-control-allow-headers']);
    for (const name of ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'x-request-id']) expect(allowedHeaders).toContain(name);
    expect(allowedHeaders).toEqual(CORS_ALLOWED_HEADERS.map((x) => x.toLowerCase()));
    expect(r.headers['access-control-max-age']).toBe('600');
    // any path the browser may call
    const post = await call(cors, 'OPTIONS', '/api/v1/agents', { headers: { origin: DEV, 'access-control-request-method': 'POST' } });
    expect(post.statusCode).toBe(204);
    expect(post.headers['access-control-allow-origin']).toBe(DEV);
  });

  it.each([
    ['another origin', 'https://evil.example'],
    ['a suffix of an allowed one', 'https://app.example.com.evil.example'],
    ['another scheme', 'http://app.example.com'],
    ['another port', 'https://app.example.com:8443'],
    ['other case', 'https://APP.example.com'],
    ['the null origin', 'null'],
  ])('%s gets no CORS header at all, and its preflight what it gets without CORS', async (_label, origin) => {
    const ok = await call(cors, 'GET', `/api/v1/agents/${agentId}`, { key: t.key, headers: { origin } });
    expect(ok.statusCode).toBe(200);
    expect(accessControl(ok)).toEqual([]);
    const denied = await call(cors, 'GET', '/api/v1/agents', { headers: { origin } });
    expect(denied.statusCode).toBe(401);
    expect(accessControl(denied)).toEqual([]);
    const pre = await call(cors, 'OPTIONS', `/api/v1/agents/${agentId}`, { headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' } });
    expect(pre.statusCode).toBe(405);
    expect(pre.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    expect(accessControl(pre)).toEqual([]);
  });

  it('no Origin (a server-side client): no CORS header; an OPTIONS that is no preflight is not answered as one', async () => {
    const plain = await call(cors, 'GET', `/api/v1/agents/${agentId}`, { key: t.key });
    expect(plain.statusCode).toBe(200);
    expect(accessControl(plain)).toEqual([]);
    const noOriginPreflight = await call(cors, 'OPTIONS', '/api/v1/agents', { headers: { 'access-control-request-method': 'POST' } });
    expect(noOriginPreflight.statusCode).toBe(405);
    expect(accessControl(noOriginPreflight)).toEqual([]);
    const notPreflight = await call(cors, 'OPTIONS', '/api/v1/agents', { headers: { origin: ALLOWED } });
    expect(notPreflight.statusCode).toBe(405);
    expect(notPreflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

/** A connection that sends `bytes` a few at a time, and what happened to it. */
interface Trickle {
  /** ms from the first byte until the server closed (or half-closed) the connection; null: still open at the deadline */
  closedAfterMs: number | null;
  /** bytes written before that */
  sent: number;
  /** what the server answered */
  received: string;
}

/**
 * Sends `first` at once, then `rest` `step` bytes every `everyMs`, until all is sent, the server
 * closes, or `deadlineMs` passes.
 */
function trickle(port: number, first: string, rest: string, opts: { step?: number; everyMs?: number; deadlineMs?: number } = {}): Promise<Trickle> {
  const { step = 1, everyMs = 25, deadlineMs = 4000 } = opts;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1');
    let sent = 0;
    let offset = 0;
    let start = 0;
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      if (timer) clearInterval(timer);
      clearTimeout(deadline);
      const closedAfterMs = closed ? performance.now() - start : null;
      s.destroy();
      resolve({ closedAfterMs, sent, received: Buffer.concat(chunks).toString('utf8') });
    };
    const deadline = setTimeout(() => finish(false), deadlineMs);
    s.on('error', () => undefined);
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => finish(true));
    s.on('close', () => finish(true));
    s.once('connect', () => {
      start = performance.now();
      if (first) {
        s.write(first);
        sent += first.length;
      }
      timer = setInterval(() => {
        if (offset >= rest.length || s.destroyed) return;
        const part = rest.slice(offset, offset + step);
        offset += part.length;
        sent += part.length;
        s.write(part);
      }, everyMs);
    });
  });
}

describe('timeouts against slow and idle clients', () => {
  it('the defaults are applied to the server and are the documented ones', () => {
    expect(DEFAULT_SERVER_TIMEOUTS).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 72_000, idleMs: 60_000, checkIntervalMs: 1_000 });
    const s = h.app.server;
    expect(s.headersTimeout).toBe(10_000);
    expect(s.requestTimeout).toBe(30_000);
    expect(s.keepAliveTimeout).toBe(72_000);
    expect(s.timeout).toBe(60_000);
    expect(() => serverTimeoutOptions({ headersMs: 2000, requestMs: 1000 })).toThrow(RangeError);
    expect(() => serverTimeoutOptions({ idleMs: 0 })).toThrow(RangeError);
  });

  it('a client trickling its headers byte by byte is cut off at the headers deadline with a 408', async () => {
    const head = `GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const r = await trickle(port, '', head, { step: 1, everyMs: 20 });
    expect(r.closedAfterMs, 'still open after 4 s').not.toBeNull();
    expect(r.closedAfterMs!).toBeGreaterThanOrEqual(small.headersMs - 50);
    expect(r.closedAfterMs!).toBeLessThan(small.headersMs + 1000);
    expect(r.sent).toBeLessThan(head.length); // its headers never completed
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(r.received.slice(r.received.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ success: false, status: 408, title: 'Request Timeout' });
  });

  it('a client trickling its body is cut off at the request deadline with a 408, and nothing is created', async () => {
    const name = `slow body ${newId('req')}`;
    const body = JSON.stringify({ name, greeting: 'x'.repeat(200) });
    const head =
      `POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const r = await trickle(port, head, body, { step: 2, everyMs: 20 });
    expect(r.closedAfterMs, 'still open after 4 s').not.toBeNull();
    expect(r.closedAfterMs!).toBeGreaterThanOrEqual(small.requestMs - 50);
    expect(r.closedAfterMs!).toBeLessThan(small.requestMs + 1000);
    expect(r.sent).toBeLessThan(head.length + body.length);
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
    await new Promise((res) => setTimeout(res, 100));
    const found = await call(h.app, 'GET', `/api/v1/agents?q=${encodeURIComponent(name)}`, { key: t.key });
    expect(found.json().data).toEqual([]);
    // the server itself is fine: no error logged, and the next request is served
    expect(sink.lines.filter((l) => (l.level as number) >= 50).map((l) => l.msg)).toEqual([]);
    const next = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(next).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const r = await new Promise<{ answeredAt: number; closedAt: number; received: string }>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      let received = '';
      let answeredAt = 0;
      const guard = setTimeout(() => {
        s.destroy();
        reject(new Error('keep-alive connection still open after 4 s'));
      }, 4000);
      s.on('error', () => undefined);
      s.on('data', (d) => {
        received += d.toString('utf8');
        if (!answeredAt && /\r\n\r\n[\s\S]*\}$/.test(received)) answeredAt = performance.now();
      });
      s.on('close', () => {
        clearTimeout(guard);
        resolve({ answeredAt, closedAt: performance.now(), received });
      });
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'); // keep-alive is HTTP/1.1's default
    });
    expect(r.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.received).toMatch(/\r\nconnection: keep-alive\r\n/i);
    expect(r.answeredAt).toBeGreaterThan(0);
    const idleFor = r.closedAt - r.answeredAt;
    // Node keeps the socket a second longer than the `Keep-Alive: timeout=` it advertises (a grace
    // for clients that reuse a connection just as it expires): 72 s + 1 s with the defaults
    expect(idleFor).toBeGreaterThanOrEqual(small.keepAliveMs - 50);
    expect(idleFor).toBeLessThan(small.keepAliveMs + 1000 + 1000);
  });

  it('a connection with no byte in either direction is dropped after the idle timeout', async () => {
    // deadlines far away: only the idle timeout can end this connection within the test
    const idle = await app({ timeouts: { headersMs: 8000, requestMs: 9000, keepAliveMs: 8000, idleMs: 300, checkIntervalMs: 1000 } });
    const idlePort = await listen(idle);
    const r = await trickle(idlePort, 'GET /healthz HTTP/1.1\r\nHo', '', { deadlineMs: 3000 });
    expect(r.closedAfterMs, 'still open after 3 s').not.toBeNull();
    expect(r.closedAfterMs!).toBeGreaterThanOrEqual(250);
    expect(r.closedAfterMs!).toBeLessThan(1500);
    expect(r.received).toBe(''); // dropped, not answered
  });

  it('a client that shuts its writing side after a whole request still gets its answer, then the connection closes', async () => {
    const halfClose = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const s = net.connect(port, '127.0.0.1', () => s.end(bytes)); // write, then FIN (half-close)
        const guard = setTimeout(() => {
          s.destroy();
          reject(new Error('no answer and no close after 4 s'));
        }, 4000);
        s.on('data', (d) => chunks.push(d));
        s.on('error', () => undefined);
        s.on('close', () => {
          clearTimeout(guard);
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
      });
    // a write that takes a database round trip: the FIN arrives while it is being worked on
    const name = `half-closed ${newId('req')}`;
    const body = JSON.stringify({ name });
    const created = await halfClose(
      `POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    expect(created).toMatch(/^HTTP\/1\.1 201 /);
    const found = await call(h.app, 'GET', `/api/v1/agents?q=${encodeURIComponent(name)}`, { key: t.key });
    expect(found.json().data).toHaveLength(1);
    const read = await halfClose(`GET /api/v1/agents?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\n\r\n`);
    expect(read).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a request sent at an ordinary pace is served', async () => {
    const head = `GET /api/v1/agents?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\nConnection: close\r\n\r\n`;
    const r = await trickle(port, '', head, { step: 20, everyMs: 5 });
    expect(r.received).toMatch(/^HTTP\/1\.1 200 /);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the logs of a full run hold no key material and no Authorization value', () => {
  it('create, patch, publish, live, mint, use, revoke, wrong keys, keys in URLs and headers, errors', async () => {
    // `served` logs at trace level with the options server.ts gives the logger; its lines from
    // the tests above (keys in trickled headers) are checked too
    const logged = served;
    const K = t.key;
    const sent: string[] = []; // every Authorization value sent
    const req = async (method: Parameters<typeof call>[1], url: string, opts: Parameters<typeof call>[3] = {}) => {
      const r = await call(logged, method, url, opts);
      if (opts.key) sent.push(`Bearer ${opts.key}`);
      if (opts.headers?.authorization) sent.push(opts.headers.authorization);
      return r;
    };

    // the life of an agent
    const created = await req('POST', '/api/v1/agents', { key: K, body: { name: 'log probe', greeting: 'Hello' }, headers: { 'idempotency-key': 'log-probe-1' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().data.id;
    expect((await req('PATCH', `/api/v1/agents/${id}`, { key: K, body: { tone: 'warm' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(200);
    expect((await req('POST', `/api/v1/agents/${id}/publish`, { key: K, body: { note: 'go live' } })).statusCode).toBe(201);
    const live = await req('GET', `/api/v1/agents/${id}/live?channel=voice`, { key: K });
    expect(live.statusCode).toBe(200);
    expect((await req('GET', `/api/v1/agents/${id}/live?channel=voice`, { key: K, headers: { 'if-none-match': live.headers.etag as string } })).statusCode).toBe(304);

    // a key minted (its secret in the 201 body), replayed, used, revoked, then refused
    const minted = await req('POST', '/api/v1/api-keys', { key: K, body: { name: 'minted', scopes: ['agents:read'] }, headers: { 'idempotency-key': 'log-probe-key' } });
    expect(minted.statusCode).toBe(201);
    const M: string = minted.json().data.key;
    expect(M).toMatch(/^flowyte_sk_live_/);
    const replay = await req('POST', '/api/v1/api-keys', { key: K, body: { name: 'minted', scopes: ['agents:read'] }, headers: { 'idempotency-key': 'log-probe-key' } });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await req('GET', '/api/v1/agents', { key: M })).statusCode).toBe(200);
    expect((await req('POST', '/api/v1/agents', { key: M, body: { name: 'not allowed' } })).statusCode).toBe(403);
    expect((await req('DELETE', `/api/v1/api-keys/${minted.json().data.id}`, { key: K })).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/agents', { key: M })).statusCode).toBe(401);

    // wrong keys and other schemes
    const wrong = `flowyte_sk_live_${'Z'.repeat(32)}`;
    for (const authorization of [`Bearer ${wrong}`, 'Bearer not-a-key-but-secret-9f3a', `bearer ${K}x`, 'Basic dXNlcjpzM2NyZXQtcGFzcw==', `Token ${K}`, K]) {
      expect((await req('GET', '/api/v1/agents', { headers: { authorization } })).statusCode).toBe(401);
    }

    // keys where no key belongs: the query string (plain, percent-encoded), other headers, the path, bodies
    const enc = K.replace(/_/g, '%5F');
    expect((await req('GET', `/api/v1/agents?access_token=${K}`)).statusCode).toBe(401);
    expect((await req('GET', `/api/v1/agents?api_key=${enc}&x=1`)).statusCode).toBe(401);
    expect((await req('GET', `/api/v1/agents?key=${M}`, { key: K })).statusCode).toBe(200);
    await req('GET', '/api/v1/agents', { key: K, headers: { 'x-api-key': M, cookie: `session=${K}`, referer: `https://x.example/?k=${K}`, 'user-agent': `probe ${M}`, 'x-request-id': K } });
    expect((await req('GET', `/api/v1/agents/${K}`, { key: K })).statusCode).toBe(404);
    expect((await req('GET', `/docs/static/${K}%00`)).statusCode).toBe(404);

    // errors, with keys in what the client sent
    expect((await req('POST', '/api/v1/agents', { key: K, rawBody: `{"name":"${K}`, headers: { 'content-type': 'application/json' } })).statusCode).toBe(400);
    expect((await req('POST', '/api/v1/agents', { key: K, body: { name: 'x', llmTemperature: K, [K]: 1 } })).statusCode).toBe(400);
    expect((await req('POST', '/api/v1/agents', { key: K, rawBody: K, headers: { 'content-type': `text/plain; x=${K}` } })).statusCode).toBe(415);
    expect((await req('PATCH', `/api/v1/agents/${id}`, { key: K, body: { tone: 'x' }, headers: { 'if-match': K } })).statusCode).toBe(400);
    expect((await req('PATCH', `/api/v1/agents/${id}`, { key: K, body: { tone: 'y' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(409);
    expect((await req('POST', '/api/v1/agents', { key: K, body: { name: 'x' }, headers: { 'idempotency-key': K.repeat(6) } })).statusCode).toBe(400); // over 255 characters

    // over real connections: a valid request, a malformed one and oversized headers, each carrying the key
    expect(await exchange(port, `GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${K}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 200 /);
    expect(await exchange(port, `GET /api/v1/agents?t=${K} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${K}\r\nBad Header: ${K}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await exchange(port, `GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${K}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    sent.push(`Bearer ${K}`);
    await new Promise((r) => setTimeout(r, 100)); // lines written after the answers

    const text = sink.raw.join('\n');
    // the run was logged (request lines at least), and what was scrubbed shows where keys were
    expect(sink.lines.filter((l) => l.msg === 'incoming request').length).toBeGreaterThanOrEqual(30);
    expect(text).toContain('flowyte_sk_live_[redacted]');
    // no key material: the prefix followed by a key character, plain or percent-encoded
    expect(text.match(/flowyte(?:_|%5f)sk(?:_|%5f)live(?:_|%5f)[1-9A-HJ-NP-Za-km-z]/gi) ?? []).toEqual([]);
    for (const secret of [K, M, wrong]) {
      const tail = secret.slice('flowyte_sk_live_'.length);
      expect(text).not.toContain(tail.slice(0, 12));
      expect(text).not.toContain(tail.slice(-12));
    }
    // no Authorization value, and an `authorization` member anywhere is censored whole
    for (const value of new Set(sent)) expect(text).not.toContain(value);
    for (const secretPart of ['not-a-key-but-secret-9f3a', 'dXNlcjpzM2NyZXQtcGFzcw']) expect(text).not.toContain(secretPart);
    const authValues: unknown[] = [];
    const walk = (v: unknown) => {
      if (v === null || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (k.toLowerCase() === 'authorization') authValues.push(x);
        walk(x);
      }
    };
    for (const l of sink.lines) walk(l);
    for (const v of authValues) expect(v).toBe('[redacted]');
  });
});

// ---------------------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** The mean of the middle half (a 25 %-trimmed mean). */
const interquartileMean = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length * 0.25);
  const kept = s.slice(cut, s.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
};
/** How far apart two positive figures are, as a factor ≥ 1. */
const factor = (x: number, y: number) => Math.max(x, y) / Math.min(x, y);

/**
 * Times `a` and `b` interleaved in blocks of four — ABBA, then BAAB, so neither always runs first
 * or after the other — after a warm-up: `n` requests each.
 *
 * The comparison is paired: each block gives the ratio of its two `a` times to its two `b` times,
 * and the verdict is on the median of those ratios (taken in log space, so ×1.2 and ÷1.2 weigh
 * the same). A block takes a few milliseconds, so whatever else the machine is doing weighs on
 * both halves of it alike. Measured on this 2-core machine under a load average of 10–14 (other
 * test suites running): the paired median stayed within ×1.11 in some 30 runs, also comparing a
 * request with itself, while in those runs the pooled medians of the two sides reached ×1.13 and
 * the interquartile mean of the paired ratios ×1.29 — so the median is asserted (within ×1.25,
 * one retry), the others only reported.
 */
async function compareTimings(a: () => Promise<unknown>, b: () => Promise<unknown>, n = 400, warmup = 60) {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const time = async (f: () => Promise<unknown>) => {
    const t0 = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - t0) / 1000;
  };
  const ta: number[] = [];
  const tb: number[] = [];
  const logRatios: number[] = [];
  for (let i = 0; i < n / 2; i++) {
    const order = i % 2 === 0 ? [a, b, b, a] : [b, a, a, b];
    let sa = 0;
    let sb = 0;
    for (const f of order) {
      const us = await time(f);
      if (f === a) {
        sa += us;
        ta.push(us);
      } else {
        sb += us;
        tb.push(us);
      }
    }
    logRatios.push(Math.log(sa / sb));
  }
  return {
    /** pooled medians of each side, µs */
    medianA: median(ta),
    medianB: median(tb),
    /** paired: the median and (reported only) the interquartile mean of the blocks' a/b ratios, as factors ≥ 1 */
    pairedMedian: Math.exp(Math.abs(median(logRatios))),
    pairedMean: Math.exp(Math.abs(interquartileMean(logRatios))),
  };
}

/** Indistinguishable: the paired median within 25 %; measured again once before failing. */
async function expectIndistinguishable(label: string, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const TOLERANCE = 1.25;
  let m = await compareTimings(a, b);
  const fmt = (x: typeof m) =>
    `${label}: medians ${x.medianA.toFixed(0)} vs ${x.medianB.toFixed(0)} µs (×${factor(x.medianA, x.medianB).toFixed(3)}); ` +
    `paired ratio: median ×${x.pairedMedian.toFixed(3)}, interquartile mean ×${x.pairedMean.toFixed(3)}`;
  if (m.pairedMedian > TOLERANCE) {
    console.log(`retrying after ${fmt(m)}`);
    m = await compareTimings(a, b);
  }
  console.log(fmt(m));
  expect(m.pairedMedian, fmt(m)).toBeLessThanOrEqual(TOLERANCE);
  return m;
}

/** A problem body with what differs by request (its id, the path it names) taken out. */
const shape = (r: Res, id: string) => ({
  status: r.statusCode,
  headers: Object.keys(r.headers).sort(),
  body: { ...r.json(), requestId: '<id>', instance: String(r.json().instance).replace(id, '<agent>') },
});

describe('another organization’s agent and no agent: the same 404, in the same time', () => {
  let other: Tenant;
  let theirs: string;
  const none = newId('agt'); // well-formed, never created
  beforeAll(async () => {
    other = await h.tenant('Victim');
    theirs = (await createAgent(other.key, 'victim agent')).id;
    const pub = await call(h.app, 'POST', `/api/v1/agents/${theirs}/publish`, { key: other.key });
    expect(pub.statusCode).toBe(201);
  });

  const requests: [string, (id: string) => Promise<Res>][] = [
    ['GET /agents/:id', (id) => call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key })],
    ['PATCH /agents/:id', (id) => call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: t.key, body: { tone: 'probe' } })],
    ['GET /agents/:id/live', (id) => call(h.app, 'GET', `/api/v1/agents/${id}/live?channel=voice`, { key: t.key })],
  ];

  it.each(requests)('%s: same status, headers and body', async (_label, send) => {
    const [a, b] = [await send(theirs), await send(none)];
    expect(a.statusCode).toBe(404);
    expect(shape(a, theirs)).toEqual(shape(b, none));
    // the victim still sees its agent: the 404 is about the caller, not the agent
    expect((await call(h.app, 'GET', `/api/v1/agents/${theirs}`, { key: other.key })).statusCode).toBe(200);
  });

  it.each(requests)('%s: indistinguishable timing (400 interleaved requests each)', async (label, send) => {
    await expectIndistinguishable(label, () => send(theirs), () => send(none));
  });

  it('the measurement has the power to tell: a 404 decided without a lookup (a malformed id) is told apart', async () => {
    // the same 404 body, but no database query: measured ×3.5–5.5 faster on the embedded database,
    // ×2.5 on PostgreSQL. Were the two cases above as far apart, they would fail; one measurement,
    // no retry, the gap being far beyond the tolerance.
    const send = (id: string) => call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key });
    const m = await compareTimings(() => send(none), () => send('agt_malformed'), 200, 30);
    console.log(`power check: medians ${m.medianA.toFixed(0)} vs ${m.medianB.toFixed(0)} µs; paired ratio: median ×${m.pairedMedian.toFixed(2)}, interquartile mean ×${m.pairedMean.toFixed(2)}`);
    expect(m.pairedMedian).toBeGreaterThan(1.25);
  });
});
