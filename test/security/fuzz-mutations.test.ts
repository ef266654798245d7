/**
 * Fuzzing, invalid input (issue 9 item 6): a valid body of every write endpoint, generated from
 * its schema, with one (or several) places broken by test/helpers/fuzz/mutations.ts — a required
 * member dropped, a wrong type, a number out of range, a string too long or empty, a bad format
 * or enum value, an unknown member, a reserved key (`__proto__`, `constructor`, `prototype`), an
 * array or map over its limit, a deep nesting, NUL or a lone surrogate in a string or a key, a
 * body that is not an object, a read-only member in a create.
 *
 * Every answer is a 4xx in the problem+json envelope (never a 5xx): a 400 validation_error whose
 * errors[] names exactly the broken field (api.md "Envelope": the deepest offending field; an
 * array over its limit once, on the array), or 413 for a body over 256 KiB. A 400 is never
 * stored as an idempotent answer, and no reserved key pollutes a prototype.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentCreateBody, AgentPatchBody } from '../../src/contracts/agent.js';
import { ApiKeyCreateBody } from '../../src/contracts/api-keys.js';
import { PublishBody, RollbackBody } from '../../src/contracts/versions.js';
import { fileHarness } from '../helpers/harness.js';
import { arbitraryFor, storable, type GenOptions, type Schema } from '../helpers/fuzz/schema-arbitrary.js';
import { FORMAT_ARBS } from '../helpers/fuzz/formats.js';
import { applyWrite, editableOf, READ_ONLY, renderPath, repair, ruleBreaks, type Config } from '../helpers/fuzz/agent-model.js';
import { oneMutation, severalMutations, toJsonText, type Mutated } from '../helpers/fuzz/mutations.js';
import { BODY_LIMIT, byteLength, fieldsOf, params, send, timeoutFor, type Answer } from '../helpers/fuzz/http.js';

const { h, t } = await fileHarness();
const app = h.app;
const KEY = t.key;
const GEN: GenOptions = { formats: FORMAT_ARBS, softMaxItems: 3, boundaryWeight: 1, nullWeight: 1 };

let seq = 0;
const named = (b: Config): Config => (typeof b.name === 'string' ? { ...b, name: [...`m${++seq} ${b.name.trim()}`].slice(0, 100).join('') } : b);

// one agent (published once) that the PATCH, publish and rollback mutations aim at: stage 4
// (the request's shape) answers before any lookup, so it is never changed
const target = (await send(app, 'POST', '/api/v1/agents', { key: KEY, body: { name: 'mutation target', languages: ['en', 'de'] } })).json.data;
const targetVersion = (await send(app, 'POST', `/api/v1/agents/${target.id}/publish`, { key: KEY, body: {} })).json.data;
const prev = editableOf(target);

const validCreate = (arbitraryFor(AgentCreateBody as unknown as Schema, GEN) as fc.Arbitrary<Config>)
  .map((b) => repair(null, named(b)))
  .filter((b) => ruleBreaks(applyWrite(null, b)).length === 0 && byteLength(b) < BODY_LIMIT / 2);
const validPatch = (arbitraryFor(AgentPatchBody as unknown as Schema, GEN) as fc.Arbitrary<Config>)
  .map((b) => repair(prev, named(b)))
  .filter((b) => ruleBreaks(applyWrite(prev, b)).length === 0 && byteLength(b) < BODY_LIMIT / 2);
const validPublish = arbitraryFor(PublishBody as unknown as Schema, GEN) as fc.Arbitrary<Config>;
const validRollback = arbitraryFor(RollbackBody as unknown as Schema, GEN) as fc.Arbitrary<Config>;
const validApiKey = arbitraryFor(ApiKeyCreateBody as unknown as Schema, GEN) as fc.Arbitrary<Config>;

interface Endpoint {
  name: string;
  method: 'POST' | 'PATCH';
  url: string;
  schema: Schema;
  valid: fc.Arbitrary<Config>;
  readOnlyMembers?: boolean;
  /** runs of the one-mutation and the several-mutations properties */
  runs: [number, number];
}

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /api/v1/agents', method: 'POST', url: '/api/v1/agents', schema: AgentCreateBody as unknown as Schema, valid: validCreate, readOnlyMembers: true, runs: [120, 50] },
  { name: 'PATCH /api/v1/agents/{id}', method: 'PATCH', url: `/api/v1/agents/${target.id}`, schema: AgentPatchBody as unknown as Schema, valid: validPatch, runs: [120, 50] },
  { name: 'POST /api/v1/agents/{id}/publish', method: 'POST', url: `/api/v1/agents/${target.id}/publish`, schema: PublishBody as unknown as Schema, valid: validPublish, runs: [60, 20] },
  { name: 'POST /api/v1/agents/{id}/rollback', method: 'POST', url: `/api/v1/agents/${target.id}/rollback`, schema: RollbackBody as unknown as Schema, valid: validRollback, runs: [60, 20] },
  { name: 'POST /api/v1/api-keys', method: 'POST', url: '/api/v1/api-keys', schema: ApiKeyCreateBody as unknown as Schema, valid: validApiKey, runs: [100, 40] },
];

const covers = (field: string, path: string) => path === '' || field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);

/** The answer to a mutated body: 413 when too big, else a 400 naming exactly the broken fields. */
function expectRejected(a: Answer, m: Mutated, exactOne: boolean) {
  const where = `${m.edits.map((e) => `${e.kind}@${renderPath(e.field)}`).join(', ')} → ${a.text.slice(0, 800)}`;
  if (byteLength(m.body) > BODY_LIMIT) return void expect(a.json.code, where).toBe('payload_too_large');
  expect(a.status, where).toBe(400);
  expect(a.json.code, where).toBe('validation_error');
  const fields = fieldsOf(a);
  for (const e of m.edits) {
    const p = renderPath(e.field);
    if (e.match === 'exact') expect(fields, `${p} named: ${where}`).toContain(p);
    else expect(fields.some((f) => covers(f, p)), `${p} (or below) named: ${where}`).toBe(true);
  }
  for (const f of fields) {
    const explained = m.edits.some((e) => (e.match === 'exact' ? f === renderPath(e.field) : covers(f, renderPath(e.field))));
    expect(explained, `unexpected field ${JSON.stringify(f)}: ${where}`).toBe(true);
  }
  if (exactOne && m.edits[0].match === 'exact') expect(fields.length, where).toBe(1);
}

const idempotencyKey = fc.option(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).filter((k) => /^[\x21-\x7e]+$/.test(k)), { freq: 3 });

describe('fuzz: mutated bodies', () => {
  for (const ep of ENDPOINTS) {
    it(
      `${ep.name}: one mutation → 400 naming exactly that field (or 413)`,
      async () => {
        await fc.assert(
          fc.asyncProperty(
            ep.valid.chain((v) => fc.tuple(fc.constant(v), oneMutation(ep.schema, v, { readOnlyMembers: ep.readOnlyMembers }))),
            idempotencyKey,
            async ([valid, m], ik) => {
              const headers = ik === null || ep.method !== 'POST' ? undefined : { 'idempotency-key': `m${++seq}-${ik}` };
              const a = await send(app, ep.method, ep.url, { key: KEY, body: m.body, headers });
              expectRejected(a, m, true);
              expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
              // a 400 is never stored: the same key with the valid body runs afresh
              if (headers && ep.name === 'POST /api/v1/agents') {
                const ok = await send(app, ep.method, ep.url, { key: KEY, body: valid, headers });
                expect(ok.status, ok.text.slice(0, 500)).toBe(201);
                expect(ok.headers['idempotent-replayed']).toBeUndefined();
              }
            },
          ),
          params(ep.runs[0], 60),
        );
      },
      timeoutFor(ep.runs[0], 60),
    );

    it(
      `${ep.name}: several mutations → 400 naming each (or 413)`,
      async () => {
        await fc.assert(
          fc.asyncProperty(
            ep.valid.chain((v) => severalMutations(ep.schema, v, { readOnlyMembers: ep.readOnlyMembers })),
            async (m) => {
              const a = await send(app, ep.method, ep.url, { key: KEY, body: m.body });
              expectRejected(a, m, false);
            },
          ),
          params(ep.runs[1], 60),
        );
      },
      timeoutFor(ep.runs[1], 60),
    );
  }

  it('nothing was changed by any of it', async () => {
    const now = (await send(app, 'GET', `/api/v1/agents/${target.id}`, { key: KEY })).json.data;
    expect(now.version).toBe(target.version + 1);
    expect(now.publishedVersionId).toBe(targetVersion.id);
    expect(editableOf(now)).toEqual(prev);
  });
});

describe('fuzz: read-only members in a PATCH', () => {
  it(
    'equal to the agent → accepted (no change); different → validation_error on that field, a different version → 409',
    async () => {
      const current = (await send(app, 'GET', `/api/v1/agents/${target.id}`, { key: KEY })).json.data;
      const sameInstant = (iso: string) => fc.constantFrom(iso, iso.replace('Z', '+00:00'), iso.replace(/Z$/, '999Z'), iso.toLowerCase(), iso.replace(/\.\d{3}Z$/, '.000Z') === iso ? iso.replace('.000Z', 'Z') : iso);
      /** a JSON value without anything stage 4 refuses wherever it sits (NUL, lone surrogates, reserved keys) */
      const plain = (v: unknown): boolean =>
        typeof v === 'string' ? storable(v)
          : Array.isArray(v) ? v.every(plain)
            : v !== null && typeof v === 'object' ? Object.entries(v).every(([k, x]) => storable(k) && !['__proto__', 'constructor', 'prototype'].includes(k) && plain(x))
              : true;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...READ_ONLY).chain((f) =>
            fc.oneof(
              { weight: 1, arbitrary: (f === 'createdAt' || f === 'updatedAt' ? sameInstant(current[f]) : fc.constant(current[f])).map((v) => [f, v, true] as const) },
              {
                weight: 2,
                arbitrary: fc
                  .jsonValue({ maxDepth: 2 })
                  .filter((v) => plain(v) && JSON.stringify(v) !== JSON.stringify(current[f]) && !(typeof v === 'string' && Date.parse(v) === Date.parse(current[f])))
                  .map((v) => [f, v, false] as const),
              },
            ),
          ),
          async ([field, value, equal]) => {
            const a = await send(app, 'PATCH', `/api/v1/agents/${target.id}`, { key: KEY, body: { [field]: value } });
            if (equal) {
              expect(a.status, `${field}=${JSON.stringify(value)} → ${a.text.slice(0, 300)}`).toBe(200);
              expect(a.json.data.version).toBe(current.version);
            } else if (field === 'version' && typeof value === 'number') {
              expect(a.json.code, a.text.slice(0, 300)).toBe('version_conflict');
              expect(a.json.currentVersion).toBe(current.version);
            } else {
              expect(a.json.code, `${field}=${JSON.stringify(value)} → ${a.text.slice(0, 300)}`).toBe('validation_error');
              expect(fieldsOf(a)).toEqual([field]);
            }
          },
        ),
        params(100, 60),
      );
    },
    timeoutFor(100, 60),
  );
});

// ------------------------------------------------------------------------------- JSON text

/** Edits of a body's JSON text (or bytes): the parser's side of malformed input. */
const textEdit = (text: string) => {
  const bytes = Buffer.from(text);
  const at = (n: number) => n % (text.length + 1);
  const utf8At = (n: number) => n % (bytes.length + 1);
  return fc.oneof(
    fc.nat().map((n) => ({ kind: 'truncated', body: Buffer.from(text.slice(0, at(n))) })),
    fc.tuple(fc.nat(), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', ' ', 'x', '/*c*/', '//c\n', 'NaN', 'undefined')).map(([n, c]) => ({
      kind: 'inserted', body: Buffer.from(text.slice(0, at(n)) + c + text.slice(at(n))),
    })),
    fc.constantFrom('1e999', '-1e999', 'NaN', 'Infinity', '01', '0x10', '.5', '+1', '1.', '-', '9'.repeat(400)).map((num) => ({
      kind: 'number', body: Buffer.from(text.replace(/:(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)([,}])/i, `:${num}$2`)),
    })),
    fc.constant({ kind: 'trailing comma', body: Buffer.from(text.replace(/}$/, ',}')) }),
    fc.constant({ kind: 'duplicate key', body: Buffer.from(text.replace(/^{/, '{"name":"dup",')) }),
    fc.tuple(fc.nat(), fc.constantFrom([0xff], [0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80])).map(([n, b]) => ({
      kind: 'invalid utf-8', body: Buffer.concat([bytes.subarray(0, utf8At(n)), Buffer.from(b), bytes.subarray(utf8At(n))]),
    })),
    fc.constant({ kind: 'BOM', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) }),
    fc.constant({ kind: 'UTF-16', body: Buffer.from(text, 'utf16le') }),
    fc.constant({ kind: 'trailing garbage', body: Buffer.from(`${text} x`) }),
    fc.constant({ kind: 'two documents', body: Buffer.from(`${text}${text}`) }),
  );
};

/** What the bytes are as JSON: a parsed value, or null when they are not UTF-8 JSON. */
function parsed(b: Buffer): { value: unknown } | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

describe('fuzz: malformed JSON text', () => {
  for (const ep of ENDPOINTS.filter((e) => e.name === 'POST /api/v1/agents' || e.name === 'PATCH /api/v1/agents/{id}')) {
    it(
      `${ep.name}: bytes that are not UTF-8 JSON → 400 malformed_json; JSON that is → processed as that value`,
      async () => {
        await fc.assert(
          fc.asyncProperty(
            ep.valid.chain((v) => textEdit(toJsonText(v))),
            async (edit) => {
              const a = await send(app, ep.method, ep.url, { key: KEY, raw: edit.body, contentType: 'application/json' });
              const where = `${edit.kind}: ${JSON.stringify(edit.body.toString('latin1').slice(0, 200))} → ${a.text.slice(0, 300)}`;
              const p = parsed(edit.body);
              if (edit.body.length === 0 || p === null) {
                if (edit.kind === 'BOM') expect([201, 200, 400], where).toContain(a.status); // RFC 8259: a parser may ignore a BOM
                else expect(a.json.code, where).toBe('malformed_json');
                return;
              }
              // valid JSON: whatever that value is, it is never a parse error
              expect(a.json?.code, where).not.toBe('malformed_json');
              if (a.status === 201 && ep.method === 'POST') expect(a.json.data.name, where).toBe(String((p.value as Config).name).trim());
            },
          ),
          params(80, 40),
        );
      },
      timeoutFor(80, 40),
    );
  }
});

// ------------------------------------------------------------------------------- path ids

describe('fuzz: ids in the paths of write routes', () => {
  it(
    'an id that is malformed, unknown or another organization\'s → 404 not_found, the same answer for each',
    async () => {
      const other = await h.tenant('Other org');
      const foreign = (await send(app, 'POST', '/api/v1/agents', { key: other.key, body: { name: 'foreign' } })).json.data.id;
      const foreignKey = (await other.mint(['agents:read'], 'foreign key')).keyId;
      const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
      const id = (prefix: string) =>
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 26, maxLength: 26 }).map((u) => `${prefix}_${u}`),
          fc.constantFrom(`${prefix}_`, `${prefix}_${'0'.repeat(25)}`, `${prefix}_${'0'.repeat(27)}`, `${prefix.toUpperCase()}_01JD4ZQ6W5N1KXG3M8P7R2T9VB`, `${prefix}_01jd4zq6w5n1kxg3m8p7r2t9vb`,
            `${prefix}_01JD4ZQ6W5N1KXG3M8P7R2T9VI`, 'x', '%2F', 'a%00b', '%E0%A4%A', '%F0%9F%98%80', `${prefix}_${'A'.repeat(500)}`, 'null', 'undefined', '__proto__', 'constructor'),
          // (not `.` or `..`: a URL resolves them before any server sees them)
          fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).filter((x) => x !== '.' && x !== '..').map((x) => encodeURIComponent(x)),
        );
      const ROUTES = [
        (i: string) => ['PATCH', `/api/v1/agents/${i}`, { persona: 'x' }] as const,
        (i: string) => ['DELETE', `/api/v1/agents/${i}`, undefined] as const,
        (i: string) => ['POST', `/api/v1/agents/${i}/publish`, {}] as const,
        (i: string) => ['POST', `/api/v1/agents/${i}/rollback`, { versionId: targetVersion.id }] as const,
        (i: string) => ['GET', `/api/v1/agents/${i}`, undefined] as const,
      ];
      let body: string | undefined;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.tuple(fc.constantFrom(...ROUTES), fc.oneof({ weight: 4, arbitrary: id('agt') }, { weight: 1, arbitrary: fc.constant(foreign) })),
            fc.tuple(fc.constant((i: string) => ['DELETE', `/api/v1/api-keys/${i}`, undefined] as const), fc.oneof({ weight: 4, arbitrary: id('key') }, { weight: 1, arbitrary: fc.constant(foreignKey) })),
          ),
          async ([route, i]) => {
            const [method, url, b] = route(i);
            const a = await send(app, method, url, { key: KEY, body: b });
            const where = `${method} ${url.slice(0, 200)} → ${a.text.slice(0, 300)}`;
            expect(a.status, where).toBe(404);
            expect(a.json.code, where).toBe('not_found');
            const { requestId: _r, instance: _i, ...rest } = a.json;
            if (/^agt_[0-9A-HJKMNP-TV-Z]{26}$/.test(i) && method !== 'GET') {
              // a well-formed id: unknown and another organization's get the same body (api.md "Authentication, tenancy")
              const text = JSON.stringify(rest);
              body ??= text;
              expect(text, where).toBe(body);
            }
          },
        ),
        params(150, 20),
      );
      // nothing of the other organization changed
      expect((await send(app, 'GET', `/api/v1/agents/${foreign}`, { key: other.key })).json.data.version).toBe(1);
    },
    timeoutFor(150, 20),
  );
});
