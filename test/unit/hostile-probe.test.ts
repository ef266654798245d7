/**
 * Unit-level regression tests for the hostile-probe defects of issue 9 (the end-to-end ones are in
 * test/integration/hostile-probe.test.ts): the HTTP-layer error mapping, the parser's raw answer,
 * key redaction, the charset parameter, the capped error list and the bounded schema rewrite.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, MAX_FIELD_ERRORS, validationError, type FieldError } from '../../src/errors.js';
import { httpLayerError } from '../../src/http/error-handler.js';
import { clientErrorResponse } from '../../src/http/client-error.js';
import { redactKeyShaped } from '../../src/auth/key-format.js';
import { scrubUrl } from '../../src/http/logging.js';
import { charsetOf } from '../../src/http/content-type.js';
import { genRequestId } from '../../src/http/request-id.js';
import { boundContainers, compileBodyValidator, createAjv, scanBody, MAX_SCAN_DEPTH } from '../../src/contracts/validator.js';
import { problemBody } from '../../src/http/problem.js';

describe('httpLayerError: a 4xx of Fastify or a plugin stays a 4xx with a catalog code', () => {
  it('every status 400–499 maps to a 4xx and a code of the catalog', () => {
    for (let status = 400; status < 500; status++) {
      const e = httpLayerError(status);
      expect(e.status, String(status)).toBeGreaterThanOrEqual(400);
      expect(e.status, String(status)).toBeLessThan(500);
      expect(Object.keys(ERROR_CATALOG)).toContain(e.code);
    }
  });
  it.each([
    [401, 401, 'unauthorized'],
    [403, 404, 'not_found'],
    [404, 404, 'not_found'],
    [405, 405, 'method_not_allowed'],
    [413, 413, 'payload_too_large'],
    [414, 404, 'not_found'],
    [415, 415, 'unsupported_media_type'],
    [416, 416, 'invalid_header'],
    [429, 429, 'rate_limited'],
    [431, 431, 'invalid_header'],
    [400, 400, 'invalid_header'],
  ])('%i → %i %s', (status, want, code) => {
    const e = httpLayerError(status);
    expect(e.status).toBe(want);
    expect(e.code).toBe(code);
  });
  it('a 400 about JSON is malformed_json', () => {
    expect(httpLayerError(400, "Body is not valid JSON but content-type is set to 'application/json'").code).toBe('malformed_json');
  });
  it('a status outside the catalog is titled as HTTP names it in the problem body', () => {
    const b = problemBody(httpLayerError(431), 'req_x', '/p');
    expect(b).toMatchObject({ status: 431, code: 'invalid_header', title: 'Request Header Fields Too Large' });
    expect(problemBody(httpLayerError(400), 'req_x', '/p').title).toBe(ERROR_CATALOG.invalid_header.title);
  });
});

describe('clientErrorResponse: the raw answer to a request Node’s parser refused', () => {
  const parse = (raw: string) => {
    const [head, body] = raw.split('\r\n\r\n') as [string, string];
    const [statusLine, ...lines] = head.split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    return { statusLine, headers, body };
  };
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'HTTP/1.1 431 Request Header Fields Too Large'],
    ['HPE_INVALID_METHOD', 400, 'HTTP/1.1 400 Bad Request'],
    ['HPE_INVALID_HEADER_TOKEN', 400, 'HTTP/1.1 400 Bad Request'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'HTTP/1.1 408 Request Timeout'],
  ])('%s → %i in the envelope with X-Request-Id and Connection: close', (code, status, statusLine) => {
    const err = Object.assign(new Error('Parse Error'), { code, rawPacket: Buffer.from('GET /api/v1/agents?access_token=x HTTP/1.1\r\nHost: a\r\n') });
    const { response } = clientErrorResponse(err, 'req_01TEST');
    const r = parse(response);
    expect(r.statusLine).toBe(statusLine);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.headers['x-request-id']).toBe('req_01TEST');
    expect(r.headers.connection).toBe('close');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    expect(JSON.parse(r.body)).toMatchObject({ success: false, status, code: 'invalid_header', requestId: 'req_01TEST', instance: '/api/v1/agents' });
  });
  it('an unreadable request line gives an empty instance, never the raw bytes', () => {
    const err = Object.assign(new Error('Parse Error'), { code: 'HPE_INVALID_METHOD', rawPacket: Buffer.from('\u0000\u0001garbage "quoted"\r\n') });
    const body = JSON.parse(parse(clientErrorResponse(err, 'req_1').response).body);
    expect(body.instance).toBe('');
  });
});

describe('redactKeyShaped', () => {
  const key = 'flowyte_sk_live_3xQmZ8a1b2c3d4e5f6g7h8i9jAkBmCnD';
  it.each([
    [`/api/v1/agents?access_token=${key}&limit=1`, '/api/v1/agents?access_token=flowyte_sk_live_[redacted]&limit=1'],
    [`/x?t=${key.replace(/_/g, '%5F')}`, '/x?t=flowyte_sk_live_[redacted]'],
    [`/x?t=${key.replace(/_/g, '%5f').toUpperCase()}`, '/x?t=flowyte_sk_live_[redacted]'],
    [`Bearer ${key}`, 'Bearer flowyte_sk_live_[redacted]'],
    [`${key},${key}`, 'flowyte_sk_live_[redacted],flowyte_sk_live_[redacted]'],
    ['flowyte_sk_live_', 'flowyte_sk_live_[redacted]'],
    ['/api/v1/agents?limit=1', '/api/v1/agents?limit=1'],
  ])('%s', (input, want) => {
    expect(redactKeyShaped(input)).toBe(want);
  });
  it('scrubUrl also finds a key hidden by percent-encoding its letters', () => {
    const hidden = `/x?t=${[...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}&b=1`;
    expect(redactKeyShaped(hidden)).toBe(hidden);
    expect(scrubUrl(hidden)).toBe('/x?t=flowyte_sk_live_[redacted]&b=1');
    expect(scrubUrl('/x?q=100%25&y=%E0%A4%A')).toBe('/x?q=100%25&y=%E0%A4%A');
  });
  it('a client X-Request-Id shaped like a key is replaced', () => {
    expect(genRequestId({ headers: { 'x-request-id': key } } as never)).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(genRequestId({ headers: { 'x-request-id': 'client-1.2:3' } } as never)).toBe('client-1.2:3');
  });
});

describe('charsetOf', () => {
  it.each([
    ['application/json', null],
    ['application/json; charset=utf-8', 'utf-8'],
    ['application/json;CHARSET="UTF-8"', 'utf-8'],
    ['application/json; charset=latin1; x=y', 'latin1'],
    ['application/json; charset=', ''],
  ])('%s → %s', (ct, want) => {
    expect(charsetOf(ct)).toBe(want);
  });
});

describe('validationError caps errors[]', () => {
  const errs = (n: number): FieldError[] => Array.from({ length: n }, (_, i) => ({ field: `f${String(i).padStart(4, '0')}`, message: 'bad' }));
  it('at 100, the first in field order, the total in detail', () => {
    const e = validationError(errs(250).reverse());
    expect(e.extras.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(e.extras.errors![0]!.field).toBe('f0000');
    expect(e.extras.errors![99]!.field).toBe('f0099');
    expect(e.message).toBe('250 errors were found; errors[] lists the first 100 by field');
  });
  it('100 or fewer are all listed', () => {
    expect(validationError(errs(100)).extras.errors).toHaveLength(100);
    expect(validationError(errs(100)).message).toBe('100 fields are invalid');
    expect(validationError(errs(1)).message).toBe('f0000: bad');
  });
});

describe('boundContainers: contents are checked only within the container’s bound', () => {
  it('moves item and member keywords under an if on the bound, and leaves other schemas alone', () => {
    const s = { type: 'object', properties: { a: { type: 'array', maxItems: 2, items: { type: 'string' }, uniqueItems: true }, b: { type: 'array', items: { type: 'string' } } } };
    const out = boundContainers(s) as any;
    expect(out.properties.a).toEqual({ type: 'array', maxItems: 2, allOf: [{ if: { maxItems: 2 }, then: { items: { type: 'string' }, uniqueItems: true } }] });
    expect(out.properties.b).toEqual(s.properties.b); // no bound: nothing to guard
    expect(s.properties.a.items).toEqual({ type: 'string' }); // the input is untouched
  });
  it('an array over its bound gets one error; within it, every item is still checked', () => {
    const check = compileBodyValidator({ type: 'object', properties: { a: { type: 'array', maxItems: 3, items: { type: 'string' } } } }, createAjv());
    expect(check({ a: Array(10_000).fill(1) })).toEqual([{ field: 'a', message: 'must have at most 3 items' }]);
    expect(check({ a: [1, 'x', 2] })).toEqual([
      { field: 'a[0]', message: 'must be a string' },
      { field: 'a[2]', message: 'must be a string' },
    ]);
  });
  it('a map over its bound gets one error; within it, entries and the unknown-member message still apply', () => {
    const schema = {
      type: 'object',
      maxProperties: 2,
      properties: { x: { type: 'string' } },
      additionalProperties: false,
      'x-unknown-member-message': 'not a known member',
    };
    const check = compileBodyValidator(schema, createAjv());
    expect(check({ a: 1, b: 2, c: 3 })).toEqual([{ field: '', message: 'must have at most 2 entries' }]);
    expect(check({ x: 1, y: 2 })).toEqual([
      { field: 'x', message: 'must be a string' },
      { field: 'y', message: 'not a known member' },
    ]);
  });
});

describe('scanBody is linear', () => {
  it('looks at most MAX_SCAN_DEPTH levels deep', () => {
    const n = 5_000;
    const deep = JSON.parse('{"constructor":1,"b":'.repeat(n) + '1' + '}'.repeat(n));
    const { reserved } = scanBody(deep);
    expect(reserved).toHaveLength(MAX_SCAN_DEPTH);
    expect(Math.max(...reserved.map((p) => p.length))).toBeLessThanOrEqual(MAX_SCAN_DEPTH);
  });
  it('still finds reserved keys and unstorable strings at any realistic depth', () => {
    const { reserved, unstorable } = scanBody(JSON.parse('{"a":[{"b":{"__proto__":1,"s":"x\\u0000"}}],"k\\ud800":1}'));
    expect(reserved).toEqual([['a', 0, 'b', '__proto__']]);
    expect(unstorable.map((u) => u.segments)).toHaveLength(2);
    expect(unstorable.map((u) => u.segments)).toEqual(expect.arrayContaining([['a', 0, 'b', 's'], ['k\ud800']]));
  });
});
