/**
 * Regression tests for the defects a hostile black-box probe found (issue 9, "Defects found by a
 * hostile black-box probe"): a plugin's 4xx turned into a 500, unbounded validation work, a
 * client abort logged as a storage outage, keys in logged URLs and headers, invalid UTF-8 stored,
 * 401 without `WWW-Authenticate`, and Node's parser errors outside the envelope.
 *
 * Requests that light-my-request would normalise (dot segments, doubled slashes) or cannot send
 * (broken HTTP) go over real sockets to the app listening on an ephemeral port.
 */
import net from 'node:net';
import http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeHarness, type Harness, type Tenant } from '../helpers/harness.js';
import { MAX_FIELD_ERRORS } from '../../src/errors.js';
import { AgentCreateBody } from '../../src/contracts/agent.js';
import { compileBodyValidator } from '../../src/contracts/validator.js';

/** Every log line the app writes, parsed. */
const logs: Record<string, any>[] = [];
const logStream = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split('\n')) if (l.trim()) logs.push(JSON.parse(l));
    cb();
  },
});
const linesOf = (reqId: string) => logs.filter((l) => l.reqId === reqId);
const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 };

let h: Harness;
let t: Tenant;
let port: number;

beforeAll(async () => {
  h = await makeHarness({ logger: { level: 'debug', stream: logStream } });
  t = await h.tenant('Probe');
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as net.AddressInfo).port;
});
afterAll(() => h.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** the whole answer as received */
  raw: string;
}

/** Sends bytes on a fresh connection and reads until the server closes it (or `timeoutMs`). */
function rawExchange(bytes: string | Buffer, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => undefined); // a reset after the answer still leaves the answer
    s.on('close', () => {
      clearTimeout(timer);
      resolve(parseAnswer(Buffer.concat(chunks).toString('utf8')));
    });
    s.write(bytes);
  });
}

function parseAnswer(raw: string): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0), headers, body: end < 0 ? '' : raw.slice(end + 4), raw };
}

/** A request whose path is sent exactly as written (no dot-segment or slash normalisation). */
function rawRequest(method: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer & { json: () => any }> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const hs: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) hs[k] = String(v);
        resolve({ status: res.statusCode!, headers: hs, body, raw: body, json: () => JSON.parse(body) });
      });
    });
    r.on('error', reject);
    r.end();
  });
}

/** The problem+json envelope, as the error handler writes it. */
function expectEnvelope(status: number, headers: Record<string, string>, body: string, code?: string) {
  expect(headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  const b = JSON.parse(body);
  expect(b).toMatchObject({ success: false, status, requestId: headers['x-request-id'] });
  expect(b.type).toBe(`https://flowyte.dev/errors/${b.code}`);
  expect(typeof b.title).toBe('string');
  expect(b.detail).toBe(b.message);
  if (code) expect(b.code).toBe(code);
  return b;
}

// ---------------------------------------------------------------------------------------------

describe('a plugin error with a 4xx status keeps a 4xx (the docs’ static files)', () => {
  const paths = [
    '/docs/static/..',
    '/docs/static/%2e%2e',
    '/docs/static/%2E%2E/%2e%2e/package.json',
    '/docs/static/.%2e/.%2e/.%2e/etc/passwd',
    '/docs/static/a%00b',
    '/docs/static/%00',
    '/docs/static//x',
    '/docs/static//etc/passwd',
    `/docs/static/${'a'.repeat(5000)}`,
  ];

  it.each(paths.flatMap((p) => [['GET', p] as const, ['HEAD', p] as const]))('%s %s → 4xx in the envelope, never 500', async (method, path) => {
    const before = logs.length;
    const r = await rawRequest(method, path);
    expect(r.status, `${method} ${path.slice(0, 60)}: ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    if (method === 'GET') {
      const b = expectEnvelope(r.status, r.headers, r.body);
      expect(b.code).toBe('not_found');
      expect(r.body).not.toMatch(/root:|Forbidden|FST_/);
    } else {
      expect(r.body).toBe('');
    }
    const errorLines = logs.slice(before).filter((l) => l.level >= LEVEL.error);
    expect(errorLines.map((l) => l.msg)).toEqual([]);
  });

  it('an unsatisfiable Range on a docs file keeps its 416 (code invalid_header), not 500', async () => {
    const r = await rawRequest('GET', '/docs/static/swagger-ui.css', { range: 'bytes=99999999-' });
    expect(r.status).toBe(416);
    const b = expectEnvelope(416, r.headers, r.body, 'invalid_header');
    expect(b.title).toBe('Range Not Satisfiable');
  });

  it('a docs file that exists is still served', async () => {
    const r = await rawRequest('GET', '/docs/static/swagger-ui.css');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/css/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('validation work is bounded (api.md: errors[] ≤ 100, an over-long array reported once)', () => {
  const postRaw = (payload: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/agents', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, payload });

  it('40 000 empty transfer rules (120 KB) → one error on the array, a small body', async () => {
    const body = JSON.stringify({ name: 'flood', handoffConfig: { transferRules: Array.from({ length: 40_000 }, () => ({})) } });
    expect(body.length).toBeGreaterThan(120_000);
    const r = await postRaw(body);
    expect(r.statusCode).toBe(400);
    const b = r.json();
    expect(b.code).toBe('validation_error');
    // its items are not checked: one entry, not 120 000 (the answer was 9 MB)
    expect(b.errors).toEqual([{ field: 'handoffConfig.transferRules', message: 'must have at most 50 items' }]);
    expect(r.body.length).toBeLessThan(1_000);
  });

  it('a map over its entry limit is reported once too (its entries are not checked)', async () => {
    const pron = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`t${i}`, i]));
    const r = await postRaw(JSON.stringify({ name: 'map flood', lexicon: { pronunciations: pron } }));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([{ field: 'lexicon.pronunciations', message: 'must have at most 200 entries' }]);
  });

  it('more than 100 invalid fields → the first 100 in field order, the total in detail', async () => {
    const body = {
      name: 'many',
      goals: Array.from({ length: 50 }, () => 1),
      neverDo: Array.from({ length: 50 }, () => 1),
      lexicon: { preferred: Array.from({ length: 200 }, () => 1) },
    };
    const all = compileBodyValidator(AgentCreateBody)(body);
    expect(all).toHaveLength(300);
    const r = await postRaw(JSON.stringify(body));
    expect(r.statusCode).toBe(400);
    const b = r.json();
    // the first 100 in field order (string order: goals[0], goals[10], …, then lexicon.…; neverDo is left out)
    expect(b.errors).toEqual(all.slice(0, MAX_FIELD_ERRORS));
    expect(b.errors.some((e: any) => e.field.startsWith('neverDo'))).toBe(false);
    expect(b.detail).toMatch(/\b300\b/);
    expect(b.message).toBe(b.detail);
  });

  it('20 000 unknown members → 100 errors, the total in detail', async () => {
    const body = JSON.stringify({ name: 'unknowns', ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 0])) });
    const r = await postRaw(body);
    expect(r.statusCode).toBe(400);
    const b = r.json();
    expect(b.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(b.detail).toMatch(/\b20000\b/);
    expect(r.body.length).toBeLessThan(10_000);
  });

  it('10 000 nested objects each holding a reserved key → a bounded answer (was quadratic: out of memory)', async () => {
    const deep = (n: number) => '{"constructor":1,"b":'.repeat(n) + '1' + '}'.repeat(n);
    const r = await postRaw(`{"name":"deep reserved","zz":${deep(10_000)}}`);
    expect(r.statusCode).toBe(400);
    const b = r.json();
    expect(b.errors.length).toBeLessThanOrEqual(MAX_FIELD_ERRORS);
    expect(b.errors.map((e: any) => e.field)).toContain('zz');
    expect(r.body.length).toBeLessThan(20_000);
  });

  it('a body within the limits is still reported whole, and a valid one is created', async () => {
    const r = await postRaw(JSON.stringify({ name: 'two bad', goals: [1], llmTemperature: 'hot' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toBe('2 fields are invalid');
    expect(r.json().errors.map((e: any) => e.field)).toEqual(['goals[0]', 'llmTemperature']);
    const ok = await postRaw(JSON.stringify({ name: 'bounded ok', handoffConfig: { transferRules: [{ label: 'a', when: 'w', destination: '+14155550134' }] } }));
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

// ---------------------------------------------------------------------------------------------

describe('a client that disconnects mid-upload', () => {
  it('is logged as a client abort at info level, never as "storage unavailable" or at error level', async () => {
    const reqId = 'abort-probe-1';
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    await new Promise<void>((r) => s.once('connect', () => r()));
    s.write(
      'POST /api/v1/agents HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: Bearer ${t.key}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\nX-Request-Id: ${reqId}\r\n\r\n` +
        '{"name":"abort',
    );
    // wait until the server is reading the body (the request was logged), then vanish
    await waitFor(() => linesOf(reqId).some((l) => l.msg === 'incoming request'));
    await new Promise((r) => setTimeout(r, 50));
    s.destroy();
    await waitFor(() => linesOf(reqId).some((l) => /client closed|storage unavailable|error/.test(String(l.msg))));
    await new Promise((r) => setTimeout(r, 100)); // anything logged after it
    const lines = linesOf(reqId);
    expect(lines.map((l) => l.msg)).not.toContain('storage unavailable');
    expect(lines.filter((l) => l.level >= LEVEL.warn).map((l) => l.msg)).toEqual([]);
    const abort = lines.find((l) => /client closed/.test(String(l.msg)))!;
    expect(abort.level).toBeLessThanOrEqual(LEVEL.info);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---------------------------------------------------------------------------------------------

describe('keys never reach the logs, wherever they are sent', () => {
  it('a key in the query string (plain or percent-encoded), in any header or as X-Request-Id is redacted', async () => {
    const secret = t.key.slice('flowyte_sk_live_'.length);
    const encoded = t.key.replace(/_/g, '%5F');
    const before = logs.length;
    const a = await call(h.app, 'GET', `/api/v1/agents?access_token=${t.key}&limit=1`, { headers: { 'x-request-id': 'query-key-probe' } });
    expect(a.statusCode).toBe(401);
    await call(h.app, 'GET', `/api/v1/agents?token=${encoded}`);
    const hidden = [...t.key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    await call(h.app, 'GET', `/api/v1/agents?token=${hidden}`);
    await call(h.app, 'GET', `/docs/static/${t.key}`);
    await call(h.app, 'GET', '/api/v1/agents', { headers: { 'x-api-key': t.key, 'accept-version': t.key } });
    const asId = await call(h.app, 'GET', '/healthz', { headers: { 'x-request-id': t.key } });
    // a key is no request id: the id is on every log line
    expect(asId.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    const text = logs.slice(before).map((l) => JSON.stringify(l)).join('\n');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(0, 12));
    expect(text).not.toContain(hidden.slice(0, 60));
    // the line is still useful: the path and the parameter's name stay
    const incoming = linesOf('query-key-probe').find((l) => l.msg === 'incoming request');
    expect(incoming?.req.url).toBe('/api/v1/agents?access_token=flowyte_sk_live_[redacted]&limit=1');
  });

  it('a key in a logged header object is scrubbed, the Authorization header censored whole', () => {
    const before = logs.length;
    h.app.log.info({ headers: { 'x-forwarded-for': `1.2.3.4 ${t.key}`, authorization: 'Basic abc' } }, 'header probe');
    const line = logs.slice(before).find((l) => l.msg === 'header probe')!;
    expect(line.headers.authorization).toBe('[redacted]');
    expect(line.headers['x-forwarded-for']).toBe('1.2.3.4 flowyte_sk_live_[redacted]');
  });
});

// ---------------------------------------------------------------------------------------------

describe('bodies must be UTF-8 (api.md: not valid UTF-8 → malformed_json)', () => {
  const post = (payload: Buffer | string, contentType = 'application/json') =>
    h.app.inject({ method: 'POST', url: '/api/v1/agents', headers: { authorization: `Bearer ${t.key}`, 'content-type': contentType }, payload });
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

  it.each([
    ['0xff 0xfe', [0xff, 0xfe]],
    ['an overlong NUL (0xc0 0x80)', [0xc0, 0x80]],
    ['an encoded surrogate (0xed 0xa0 0x80)', [0xed, 0xa0, 0x80]],
    ['a truncated sequence (0xe2 0x82)', [0xe2, 0x82]],
    ['latin-1 é (0xe9)', [0xe9]],
  ])('%s → 400 malformed_json, nothing stored', async (_label, bad) => {
    const r = await post(bytes('{"name":"utf8 probe ', bad, '"}'));
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('malformed_json');
    const list = await call(h.app, 'GET', '/api/v1/agents?q=utf8%20probe', { key: t.key });
    expect(list.json().data).toEqual([]);
  });

  it('valid multi-byte UTF-8 round-trips (and the decoder is fine after a bad body)', async () => {
    await post(bytes('{"name":"x', [0xff], '"}'));
    const r = await post(Buffer.from(JSON.stringify({ name: 'Grüße 😀 字' })));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().data.name).toBe('Grüße 😀 字');
  });

  it.each(['application/json; charset=iso-8859-1', 'application/json; charset=latin1', 'application/json;charset=utf-16', 'application/json; charset="windows-1252"'])(
    '%s → 415 unsupported_media_type',
    async (ct) => {
      const r = await post('{"name":"charset probe"}', ct);
      expect(r.statusCode).toBe(415);
      expect(r.json().code).toBe('unsupported_media_type');
    },
  );

  it.each(['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf8'])('%s is accepted', async (ct) => {
    const r = await post(JSON.stringify({ name: `charset ok ${ct.length}${ct.includes('"') ? 'q' : ''}` }), ct);
    expect(r.statusCode, r.body).toBe(201);
  });
});

// ---------------------------------------------------------------------------------------------

describe('401 carries WWW-Authenticate: Bearer (RFC 6750)', () => {
  it.each([
    ['no Authorization', {}],
    ['a malformed key', { authorization: 'Bearer nope' }],
    ['an unknown key', { authorization: `Bearer flowyte_sk_live_${'2'.repeat(32)}` }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ] as const)('%s', async (_label, headers) => {
    for (const [method, url] of [['GET', '/api/v1/agents'], ['POST', '/api/v1/agents'], ['HEAD', '/api/v1/agents'], ['DELETE', '/api/v1/api-keys/key_x'], ['GET', '/api/v1/me']] as const) {
      const r = await call(h.app, method, url, { headers: { ...headers }, ...(method === 'POST' ? { body: { name: 'x' } } : {}) });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
      expect(r.headers['www-authenticate'], `${method} ${url}`).toBe('Bearer');
    }
  });

  it('over a real connection too', async () => {
    const r = await rawRequest('GET', '/api/v1/agents');
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer');
    expectEnvelope(401, r.headers, r.body, 'unauthorized');
  });
});

// ---------------------------------------------------------------------------------------------

describe("Node's HTTP parser errors are answered in the envelope", () => {
  const expectParserAnswer = (r: RawAnswer, status: number) => {
    expect(r.status, r.raw.slice(0, 300)).toBe(status);
    expect(r.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(r.headers.connection).toBe('close');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    const b = expectEnvelope(status, r.headers, r.body, 'invalid_header');
    return b;
  };

  it('oversized headers → 431 problem+json with X-Request-Id', async () => {
    const r = await rawExchange(`GET /api/v1/agents?x=1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const b = expectParserAnswer(r, 431);
    expect(b.title).toBe('Request Header Fields Too Large');
    expect(b.instance).toBe('/api/v1/agents');
    // the same id in the log line
    expect(logs.some((l) => l.reqId === b.requestId && l.level <= LEVEL.info)).toBe(true);
  });

  it.each([
    ['a malformed request line', 'G@T /api/v1/agents HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an unknown HTTP version', 'GET /api/v1/agents HTTP/7.1\r\nHost: x\r\n\r\n'],
    ['a header without a colon', 'GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'],
    ['a control byte in a header value', 'GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n'],
    ['a space in a header name', 'GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n'],
    ['a conflicting Content-Length', 'POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}'],
    ['a bad chunk size', 'POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
  ])('%s → 400 problem+json with X-Request-Id', async (_label, bytes) => {
    expectParserAnswer(await rawExchange(bytes), 400);
  });

  it('the raw request (and a key in it) is never logged', async () => {
    const before = logs.length;
    const r = await rawExchange(`GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\nBad Header\r\n\r\n`);
    expectParserAnswer(r, 400);
    const text = logs.slice(before).map((l) => JSON.stringify(l)).join('\n');
    expect(text).toContain(JSON.parse(r.body).requestId);
    expect(text).not.toContain(t.key.slice('flowyte_sk_live_'.length));
    expect(text).not.toContain('rawPacket');
  });

  it('a malformed request after a good one on a kept-alive connection gets the envelope too', async () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    let got = '';
    s.on('data', (d) => (got += d.toString('utf8')));
    const closed = new Promise<void>((r) => s.once('close', () => r()));
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => got.endsWith('{"status":"ok"}'));
    expect(parseAnswer(got).status).toBe(200);
    const first = got.length;
    s.write('G@T /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    expectParserAnswer(parseAnswer(got.slice(first)), 400);
  });

  it("replaces Fastify's own handler (one clientError listener)", () => {
    expect(h.app.server.listenerCount('clientError')).toBe(1);
  });

  it('the server keeps serving after them', async () => {
    const r = await rawRequest('GET', '/healthz');
    expect(r.status).toBe(200);
  });
});
