/**
 * Fuzzing, headers (issue 9 item 6): malformed `If-Match`, `Idempotency-Key`, `Authorization`,
 * `Content-Type` and `X-Request-Id` on the write (and some read) routes. Each property computes
 * from api.md what the header means — valid or not, and what a valid one does — and checks the
 * answer, which is never a 5xx and always the problem+json envelope when it is an error
 * (test/helpers/fuzz/http.ts checkAnswer). api.md's check order is part of the oracle: 401
 * before 415/400, `invalid_header` before `validation_error`, validation before 404 and 409.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileHarness } from '../helpers/harness.js';
import { CATALOG, params, send, timeoutFor, type Answer } from '../helpers/fuzz/http.js';
import type { Config } from '../helpers/fuzz/agent-model.js';

const { h, t } = await fileHarness();
const app = h.app;
const KEY = t.key;
const readOnlyKey = (await t.mint(['agents:read'], 'read only')).key;
const revokedKey = await (async () => {
  const m = await t.mint(['agents:write'], 'revoked');
  await send(app, 'DELETE', `/api/v1/api-keys/${m.keyId}`, { key: KEY });
  return m.key;
})();

let seq = 0;
async function newAgent(): Promise<{ id: string; version: number; v1: string }> {
  const a = (await send(app, 'POST', '/api/v1/agents', { key: KEY, body: { name: `header target ${++seq}` } })).json.data;
  const v = (await send(app, 'POST', `/api/v1/agents/${a.id}/publish`, { key: KEY })).json.data;
  return { id: a.id, version: a.version + 1, v1: v.id };
}

const printable = (min: number, max: number) => fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max });
const anyText = (max: number) => fc.string({ unit: 'binary', maxLength: max });
const CONTROL = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));

// ------------------------------------------------------------------------------------ If-Match

/** api.md: one value — a decimal 1–2147483647 without leading zeros, bare, quoted or weak — or `*`. */
export function ifMatchMeaning(raw: string): { valid: false } | { valid: true; version: number | '*' } | { valid: 'either' } {
  const strict = raw.replace(/^[ \t]+|[ \t]+$/g, ''); // HTTP's optional whitespace
  const lenient = raw.trim();
  const parse = (s: string) => {
    if (s === '*') return '*' as const;
    const m = /^(?:([1-9][0-9]*)|"([1-9][0-9]*)"|W\/"([1-9][0-9]*)")$/.exec(s);
    if (!m) return null;
    const n = Number(m[1] ?? m[2] ?? m[3]);
    return n <= 2147483647 ? n : null;
  };
  const a = parse(strict);
  const b = parse(lenient);
  if (a === null && b !== null) return { valid: 'either' }; // only Unicode spaces around it: not HTTP whitespace
  return a === null ? { valid: false } : { valid: true, version: a };
}

const versionForms = (v: number) => fc.constantFrom(`${v}`, `"${v}"`, `W/"${v}"`, ` ${v} `, `\t"${v}"`);
const ifMatchValue = (current: number) =>
  fc.oneof(
    { weight: 3, arbitrary: versionForms(current) },
    { weight: 1, arbitrary: fc.constantFrom('*', ' * ') },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 2147483647 }).chain(versionForms) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        '0', `0${current}`, `"0${current}"`, `W/${current}`, `w/"${current}"`, `"${current}`, `${current}"`, `W/"${current}`, '2147483648', '99999999999', '-1', `+${current}`,
        `${current}.0`, '1e3', `${current}, ${current + 1}`, `"${current}", "${current}"`, `*, ${current}`, '**', 'W/*', '"*"', '', ' ', 'W/""', '""', `W/ "${current}"`,
        `${current}\u00a0`, `\u3000${current}`, `"${current}"x`, `${'9'.repeat(400)}`, `"${'1'.repeat(5000)}"`, `W/"${current}";q=1`, '٣', '\uFF17',
      ),
    },
    { weight: 2, arbitrary: printable(0, 30) },
    { weight: 1, arbitrary: anyText(20) },
    { weight: 1, arbitrary: fc.tuple(printable(0, 5), CONTROL, printable(0, 5)).map((p) => p.join('')) },
    { weight: 1, arbitrary: fc.integer({ min: 2000, max: 20000 }).map((n) => 'x'.repeat(n)) },
  );

describe('fuzz: If-Match', () => {
  it(
    'malformed → 400 invalid_header (before the body is validated); well-formed → the write or 409 version_conflict; ignored where not honoured',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('PATCH', 'DELETE', 'publish', 'rollback', 'create'),
          fc.boolean(),
          fc.nat(),
          // every target agent is at version 2 (created, published)
          ifMatchValue(2),
          async (route, validBody, pick, raw) => {
            const a = await newAgent();
            expect(a.version).toBe(2);
            const meaning = ifMatchMeaning(raw);
            const headers = { 'if-match': raw };
            let r: Answer;
            if (route === 'PATCH') r = await send(app, 'PATCH', `/api/v1/agents/${a.id}`, { key: KEY, headers, body: validBody ? { persona: `p${pick}` } : { persona: 42 } });
            else if (route === 'DELETE') r = await send(app, 'DELETE', `/api/v1/agents/${a.id}`, { key: KEY, headers });
            else if (route === 'publish') r = await send(app, 'POST', `/api/v1/agents/${a.id}/publish`, { key: KEY, headers, body: validBody ? { note: 'n' } : { note: 7 } });
            else if (route === 'rollback') r = await send(app, 'POST', `/api/v1/agents/${a.id}/rollback`, { key: KEY, headers, body: validBody ? { versionId: a.v1 } : { versionId: 'v1' } });
            else r = await send(app, 'POST', '/api/v1/agents', { key: KEY, headers, body: { name: `ignored if-match ${++seq}` } });
            const where = `${route} If-Match ${JSON.stringify(raw).slice(0, 80)} → ${r.text.slice(0, 300)}`;
            if (route === 'create') return void expect(r.status, where).toBe(201);
            if (meaning.valid === 'either') return void expect(r.status, where).toBeLessThan(500);
            if (!meaning.valid) return void expect(r.json.code, where).toBe('invalid_header');
            if (route !== 'DELETE' && !validBody) return void expect(r.json.code, where).toBe('validation_error');
            const matches = meaning.version === '*' || meaning.version === a.version;
            if (!matches) {
              expect(r.json.code, where).toBe('version_conflict');
              expect(r.json.currentVersion, where).toBe(a.version);
              return;
            }
            if (route === 'publish') expect(r.json.code, where).toBe('nothing_to_publish'); // the draft is the live version
            else expect(r.status, where).toBe(200);
          },
        ),
        params(80, 100),
      );
    },
    timeoutFor(80, 100),
  );
});

// ------------------------------------------------------------------------------ Idempotency-Key

const idempotencyKeyValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 255 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a b', ' lead', 'trail ', 'tab\there', 'é', 'ключ', '😀', '\u00a0x', 'x\u007f', 'x\u0000y', 'new\nline', 'x'.repeat(256), 'y'.repeat(5000)) },
  { weight: 1, arbitrary: fc.integer({ min: 256, max: 3000 }).map((n) => 'k'.repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(printable(0, 10), CONTROL, printable(0, 10)).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.tuple(printable(0, 10), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), printable(0, 10)).map((p) => p.join('')) },
);
const validIdempotencyKey = (k: string) => /^[\x21-\x7e]{1,255}$/.test(k);

describe('fuzz: Idempotency-Key', () => {
  it(
    'malformed on a POST → 400 invalid_header; well-formed → done once, replayed byte-for-byte, 422 for another body; ignored off POST',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('agent', 'api-key', 'publish', 'rollback', 'patch'), idempotencyKeyValue, async (route, rawKey) => {
          const valid = validIdempotencyKey(rawKey);
          // a well-formed key is made unique (a repeat is a replay: tested right here, on purpose)
          const key = valid ? `${++seq}.${rawKey}`.slice(0, 255) : rawKey;
          const headers = { 'idempotency-key': key };
          let req: (body: Config) => Promise<Answer>;
          let body: Config;
          let other: Config;
          if (route === 'agent') {
            body = { name: `idem ${++seq}` };
            other = { name: `idem other ${++seq}` };
            req = (b) => send(app, 'POST', '/api/v1/agents', { key: KEY, headers, body: b });
          } else if (route === 'api-key') {
            body = { name: `idem key ${++seq}`, scopes: ['agents:read'] };
            other = { name: `other key ${++seq}`, scopes: ['agents:read'] };
            req = (b) => send(app, 'POST', '/api/v1/api-keys', { key: KEY, headers, body: b });
          } else {
            const a = await newAgent();
            if (route === 'publish') {
              await send(app, 'PATCH', `/api/v1/agents/${a.id}`, { key: KEY, body: { persona: 'changed' } });
              body = { note: 'first' };
              other = { note: 'second' };
              req = (b) => send(app, 'POST', `/api/v1/agents/${a.id}/publish`, { key: KEY, headers, body: b });
            } else if (route === 'rollback') {
              body = { versionId: a.v1 };
              other = { versionId: 'agv_01JD4ZQ6W5N1KXG3M8P7R2T9VB' };
              req = (b) => send(app, 'POST', `/api/v1/agents/${a.id}/rollback`, { key: KEY, headers, body: b });
            } else {
              body = { persona: 'patched' };
              other = { persona: 'patched again' };
              req = (b) => send(app, 'PATCH', `/api/v1/agents/${a.id}`, { key: KEY, headers, body: b });
            }
          }
          const first = await req(body);
          const where = `${route} Idempotency-Key ${JSON.stringify(key).slice(0, 60)} → ${first.text.slice(0, 300)}`;
          if (route === 'patch') return void expect(first.status, where).toBe(200); // not a POST: ignored
          if (!valid) return void expect(first.json.code, where).toBe('invalid_header');
          expect(first.status, where).toBeLessThan(300);
          const replay = await req(body);
          expect(replay.status, where).toBe(first.status);
          expect(replay.headers['idempotent-replayed'], where).toBe('true');
          if (route === 'api-key') {
            const { key: _secret, ...rest } = first.json.data;
            expect(replay.json.data, where).toEqual(rest);
          } else expect(replay.text, where).toBe(first.text);
          const reuse = await req(other);
          expect(reuse.json.code, where).toBe('idempotency_key_reuse');
        }),
        params(80, 100),
      );
    },
    timeoutFor(80, 100),
  );
});

// -------------------------------------------------------------------------------- Authorization

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const b58 = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...B58), minLength: min, maxLength: max });
const authorizationValue = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(`Bearer ${KEY}`, ` Bearer ${KEY} `, `Bearer ${readOnlyKey}`) },
  { weight: 1, arbitrary: fc.constantFrom(`bearer ${KEY}`, `BEARER ${KEY}`) },
  {
    weight: 6,
    arbitrary: fc.oneof(
      fc.nat({ max: KEY.length - 1 }).map((n) => `Bearer ${KEY.slice(0, n)}`),
      b58(1, 3).map((x) => `Bearer ${KEY}${x}`),
      fc.constantFrom(`Bearer ${revokedKey}`, `Basic ${KEY}`, `Token ${KEY}`, `Bearer: ${KEY}`, `Bearer  ${KEY}`, `Bearer\t${KEY}`, `${KEY}`, 'Bearer', 'Bearer ', '', `Bearer ${KEY} extra`,
        `Bearer ${KEY.toUpperCase()}`, `Bearer ${KEY.replace('live', 'test')}`, `Bearer "${KEY}"`, `Bearer ${encodeURIComponent(KEY)}x`, `Bearer flowyte_sk_live_`, `Bearer ${KEY},Bearer ${KEY}`),
      b58(22, 64).map((s) => `Bearer flowyte_sk_live_${s}`),
      b58(1, 21).map((s) => `Bearer flowyte_sk_live_${s}`),
      b58(65, 200).map((s) => `Bearer flowyte_sk_live_${s}`),
      fc.integer({ min: 1000, max: 60000 }).map((n) => `Bearer flowyte_sk_live_${'z'.repeat(n)}`),
      fc.integer({ min: 1000, max: 60000 }).map((n) => 'B'.repeat(n)),
      printable(0, 60).map((s) => `Bearer ${s}`),
      anyText(40),
      fc.tuple(printable(0, 10), CONTROL).map(([a, c]) => `Bearer ${KEY.slice(0, 20)}${c}${a}`),
    ),
  },
);

const AUTH_ROUTES: { method: string; url: () => string; body?: Config; scope: 'read' | 'write' }[] = [
  { method: 'GET', url: () => '/api/v1/agents?limit=1', scope: 'read' },
  { method: 'POST', url: () => '/api/v1/agents', body: { name: 42 }, scope: 'write' },
  { method: 'POST', url: () => '/api/v1/agents', body: [] as unknown as Config, scope: 'write' },
  { method: 'PATCH', url: () => '/api/v1/agents/agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB', body: { persona: 'x' }, scope: 'write' },
  { method: 'DELETE', url: () => '/api/v1/api-keys/key_01JD4ZQ6W5N1KXG3M8P7R2T9VB', scope: 'write' },
  { method: 'POST', url: () => '/api/v1/api-keys', body: { name: '', scopes: [] }, scope: 'write' },
  { method: 'GET', url: () => '/api/v1/audit-events?limit=1', scope: 'write' },
  { method: 'GET', url: () => '/api/v1/me', scope: 'read' },
];

describe('fuzz: Authorization', () => {
  let unauthorizedDetail: string | undefined;
  it(
    'anything but a valid key → 401 (one message for every cause, WWW-Authenticate: Bearer) before any other check',
    async () => {
      await fc.assert(
        fc.asyncProperty(authorizationValue, fc.constantFrom(...AUTH_ROUTES), async (auth, route) => {
          const r = await send(app, route.method, route.url(), { body: route.body, headers: { authorization: auth } });
          const where = `${route.method} ${route.url()} Authorization ${JSON.stringify(auth).slice(0, 80)} → ${r.text.slice(0, 200)}`;
          const token = /^[ \t]*Bearer ([^ \t]+)[ \t]*$/.exec(auth)?.[1];
          if (token === KEY) return void expect(r.status, where).not.toBe(401);
          if (token === readOnlyKey) return void expect(r.json?.code === 'insufficient_scope', where).toBe(route.scope === 'write');
          if (/^[ \t]*bearer /i.test(auth) && auth.trim().split(' ')[1] === KEY) return void expect([401, 400, 404, 200]).toContain(r.status); // scheme case: RFC 7235 says case-insensitive; api.md writes `Bearer`
          expect(r.json.code, where).toBe('unauthorized');
          unauthorizedDetail ??= r.json.detail;
          expect(r.json.detail, where).toBe(unauthorizedDetail);
          expect(r.headers['ratelimit-remaining'], where).toBeUndefined();
        }),
        params(250, 30),
      );
    },
    timeoutFor(250, 30),
  );
});

// ------------------------------------------------------------------------------- Content-Type

type Meaning = 'json' | 'unsupported' | 'either';
/** api.md "Base": application/json (merge-patch+json on PATCH), UTF-8 or no charset; anything else 415. */
function contentTypeMeaning(ct: string | null, method: string): Meaning {
  if (ct === null) return 'unsupported';
  const [type, ...paramParts] = ct.split(';');
  const t = type.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t)) return /json/.test(t) ? 'either' : 'unsupported';
  const isJson = t === 'application/json' || (t === 'application/merge-patch+json' && method === 'PATCH');
  if (!isJson) return 'unsupported';
  const ps = paramParts.map((p) => p.trim());
  if (ps.some((p) => !/^[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|"[^"]*")$/.test(p))) return 'either';
  const charsets = ps.filter((p) => /^charset=/i.test(p)).map((p) => p.slice(8).replace(/^"|"$/g, '').toLowerCase());
  if (charsets.length > 1) return 'either';
  if (charsets.length === 0 || charsets[0] === 'utf-8') return 'json';
  if (charsets[0] === 'utf8') return 'either'; // not a registered name, commonly meant
  return 'unsupported';
}

const contentTypeValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json', 'Application/JSON', 'APPLICATION/JSON', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"',
      'application/json; foo=bar', 'application/merge-patch+json', 'application/merge-patch+json; charset=utf-8', 'application/json ; charset=utf-8',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'text/plain', 'text/json', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/json-patch+json', 'application/jsonx',
      'application/vnd.api+json', 'application/problem+json', 'application/*', '*/*', 'json', '', 'application/json; charset=utf-16', 'application/json; charset=latin1',
      'application/json; charset=iso-8859-1', 'application/json; charset=us-ascii', 'application/json; charset=', 'application/octet-stream', 'application/json5',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json;', 'application/json; charset', 'application/json; charset=utf-8; charset=latin1', 'application/json\t;\tx=y', 'application/json; charset=utf8',
      'application/json garbage', 'application/json,text/plain', 'application /json', 'application/json; x="unterminated', `application/json; ${'p=v; '.repeat(500)}`,
    ),
  },
  { weight: 1, arbitrary: printable(0, 40) },
  { weight: 1, arbitrary: anyText(30) },
);

describe('fuzz: Content-Type', () => {
  it(
    'JSON in UTF-8 → processed; any other type or charset → 415, after authentication and before validation; no body and no type on POST → {}',
    async () => {
      const a = await newAgent();
      await fc.assert(
        fc.asyncProperty(
          fc.option(contentTypeValue, { freq: 8 }),
          fc.constantFrom('POST', 'PATCH'),
          fc.constantFrom('valid', 'invalid', 'empty', 'none'),
          fc.boolean(),
          async (ct, method, bodyKind, authenticated) => {
            const url = method === 'POST' ? '/api/v1/agents' : `/api/v1/agents/${a.id}`;
            const body = bodyKind === 'valid' ? (method === 'POST' ? `{"name":"ct ${++seq}"}` : `{"tone":"t${++seq}"}`) : bodyKind === 'invalid' ? '{"name":42}' : bodyKind === 'empty' ? Buffer.alloc(0) : undefined;
            const r = await send(app, method, url, { key: authenticated ? KEY : undefined, raw: body, contentType: ct });
            const where = `${method} Content-Type ${JSON.stringify(ct)} body ${bodyKind} → ${r.text.slice(0, 300)}`;
            if (!authenticated) return void expect(r.json.code, where).toBe('unauthorized');
            if (body === undefined || (bodyKind === 'empty' && ct === null)) {
              // no body: a POST without one (and without a type) is read as {} (`name` is then missing)
              if (method === 'POST' && ct === null) expect(r.json.code, where).toBe('validation_error');
              return;
            }
            const meaning = contentTypeMeaning(ct, method);
            if (meaning === 'either') return;
            if (meaning === 'unsupported') return void expect(r.json.code, where).toBe('unsupported_media_type');
            if (bodyKind === 'empty') return void expect(r.json.code, where).toBe('malformed_json');
            if (bodyKind === 'invalid') return void expect(r.json.code, where).toBe('validation_error');
            expect(r.status, where).toBe(method === 'POST' ? 201 : 200);
          },
        ),
        params(250, 30),
      );
    },
    timeoutFor(250, 30),
  );
});

// ------------------------------------------------------------------------------- X-Request-Id

const requestIdValue = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ019._:-'), minLength: 1, maxLength: 128 }) },
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 5000 }).map((n) => 'r'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a b', 'a/b', 'ä', '😀', '%41', 'id;drop', '"q"', '<script>', 'a\tb', 'flowyte_sk_live_abc', 'x-FLOWYTE_SK_LIVE_3xQ', 'flowyte%5fsk%5flive%5fz', 'req_01JD4ZQ6W5N1KXG3M8P7R2T9VB') },
  { weight: 1, arbitrary: printable(1, 60) },
  { weight: 1, arbitrary: anyText(40) },
);

describe('fuzz: X-Request-Id', () => {
  it(
    'a well-formed id ([A-Za-z0-9._:-]{1,128}, not shaped like a key) is kept, anything else replaced by a new req_ id, on every answer',
    async () => {
      await fc.assert(
        fc.asyncProperty(requestIdValue, fc.constantFrom(...AUTH_ROUTES), fc.boolean(), async (rid, route, authenticated) => {
          const r = await send(app, route.method, route.url(), { key: authenticated ? KEY : undefined, body: route.body, headers: { 'x-request-id': rid } });
          const kept = /^[A-Za-z0-9._:-]{1,128}$/.test(rid) && !/flowyte(?:_|%5f)sk/i.test(rid);
          const got = r.headers['x-request-id'];
          if (kept) expect(got, JSON.stringify(rid)).toBe(rid);
          else expect(got, JSON.stringify(rid)).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
        }),
        params(200, 30),
      );
    },
    timeoutFor(200, 30),
  );
});

// ------------------------------------------------------------------------------- all at once

describe('fuzz: every header garbled at once', () => {
  it(
    'never a 5xx, always the envelope',
    async () => {
      const a = await newAgent();
      const ROUTES = [
        ['POST', '/api/v1/agents'], ['PATCH', `/api/v1/agents/${a.id}`], ['DELETE', `/api/v1/agents/${a.id}x`], ['POST', `/api/v1/agents/${a.id}/publish`],
        ['POST', `/api/v1/agents/${a.id}/rollback`], ['POST', '/api/v1/api-keys'], ['GET', `/api/v1/agents/${a.id}`], ['GET', `/api/v1/agents/${a.id}/live?channel=voice`],
      ] as const;
      const garbage = fc.oneof(printable(0, 30), anyText(20), fc.constantFrom('', '*', '0', '-1', 'null', '{}', 'x'.repeat(3000)));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTES),
          fc.record(
            {
              'if-match': ifMatchValue(2),
              'if-none-match': garbage,
              'idempotency-key': idempotencyKeyValue,
              authorization: authorizationValue,
              'content-type': contentTypeValue,
              'x-request-id': requestIdValue,
              accept: garbage,
              'accept-encoding': garbage,
              'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x', ''),
              'transfer-encoding': fc.constantFrom('chunked', 'gzip', 'x'),
              range: garbage,
              origin: garbage,
            },
            { requiredKeys: [] },
          ),
          fc.option(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), printable(0, 100)), { freq: 4 }),
          async ([method, url], headers, raw) => {
            const hs: Record<string, string> = {};
            for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') hs[k] = v;
            const r = await send(app, method, url, { headers: hs, raw: raw ?? undefined, contentType: null });
            expect(r.status).toBeLessThan(500);
          },
        ),
        params(250, 30),
      );
    },
    timeoutFor(250, 30),
  );
});

// ------------------------------------------------------------------------- bytes on a socket

/** One request written as bytes on a fresh connection; the answer as Node's client would read it. */
function rawExchange(port: number, bytes: Buffer): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 5 s to ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`));
    }, 5000);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${err.message} for ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks).toString('utf8');
      const cut = all.indexOf('\r\n\r\n');
      const head = all.slice(0, cut).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1]);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = all.slice(cut + 4);
      if (headers['transfer-encoding'] === 'chunked') {
        let out = '';
        for (let rest = body; ; ) {
          const nl = rest.indexOf('\r\n');
          const n = parseInt(rest.slice(0, nl), 16);
          if (!n) break;
          out += rest.slice(nl + 2, nl + 2 + n);
          rest = rest.slice(nl + 2 + n + 2);
        }
        body = out;
      }
      resolve({ status, headers, body });
    });
    // written, not half-closed: a client waits for its answer with the connection open (`Connection: close` ends it)
    socket.write(bytes);
  });
}

describe('fuzz: header bytes through the HTTP parser', () => {
  it(
    'any bytes in a header value, any header size: an answer in the envelope with an X-Request-Id, never a 5xx or a dropped connection',
    async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const value = fc.oneof(
        fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)),
        fc.constantFrom('\u0000', '\r', '\n', 'a\rb', 'a\nb', '\x7f', '\xff\xfe', 'é', ' ', '\t').map((s) => Buffer.from(s, 'latin1')),
        fc.integer({ min: 8_000, max: 100_000 }).map((n) => Buffer.alloc(n, 'v')),
      );
      const name = fc.constantFrom('Idempotency-Key', 'If-Match', 'Authorization', 'Content-Type', 'X-Request-Id', 'X-Junk', 'Accept');
      await fc.assert(
        fc.asyncProperty(name, value, fc.constantFrom('/api/v1/agents', '/api/v1/me', '/api/v1/agents?limit=1'), async (n, v, path) => {
          const body = Buffer.from(`{"name":"raw ${++seq}"}`);
          const method = path === '/api/v1/agents' ? 'POST' : 'GET';
          const head = [
            `${method} ${path} HTTP/1.1`,
            'Host: fuzz',
            'Connection: close',
            ...(n === 'Authorization' ? [] : [`Authorization: Bearer ${KEY}`]),
            ...(n === 'Content-Type' ? [] : ['Content-Type: application/json']),
            `Content-Length: ${method === 'POST' ? body.length : 0}`,
          ].join('\r\n');
          const bytes = Buffer.concat([Buffer.from(`${head}\r\n${n}: `, 'latin1'), v, Buffer.from('\r\n\r\n', 'latin1'), method === 'POST' ? body : Buffer.alloc(0)]);
          const r = await rawExchange(port, bytes);
          const where = `${n}: ${JSON.stringify(v.toString('latin1').slice(0, 80))} (${v.length} bytes) → ${r.status} ${r.body.slice(0, 300)}`;
          expect(r.status, where).toBeGreaterThanOrEqual(200);
          expect(r.status, where).toBeLessThan(500);
          expect(r.headers['x-request-id'], where).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
          if (r.status >= 400) {
            expect(r.headers['content-type'], where).toMatch(/^application\/problem\+json/);
            const b = JSON.parse(r.body);
            expect(b.success, where).toBe(false);
            expect(Object.keys(CATALOG), where).toContain(b.code);
            expect(b.status, where).toBe(r.status);
            expect(b.requestId, where).toBe(r.headers['x-request-id']);
          }
        }),
        params(80, 200),
      );
    },
    timeoutFor(80, 200),
  );
});
