/**
 * Shared pieces of the fuzz suites (test/security/fuzz-*.test.ts): run counts, the request
 * helper, and the answer checks every fuzzed request goes through (never a 5xx; every error in
 * api.md's problem+json envelope with a catalog code).
 *
 * Run counts: each property has a default sized for `npm test`; `FLOWYTE_FUZZ_RUNS=<n>` runs
 * every property n times instead (`npm run test:fuzz` sets it high). A failure prints
 * fast-check's seed and path; `FLOWYTE_FUZZ_SEED=<seed> FLOWYTE_FUZZ_PATH=<path>` replays it
 * (with `-t '<property name>'` to run that property alone).
 */
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { expect } from 'vitest';
import { RawJson, toJsonText } from './mutations.js';

const envRuns = Number(process.env.FLOWYTE_FUZZ_RUNS);
/** The run count of a property: its default, or FLOWYTE_FUZZ_RUNS when set. */
export function runs(defaultRuns: number): number {
  return Number.isInteger(envRuns) && envRuns > 0 ? envRuns : defaultRuns;
}

/** fast-check parameters: the run count, and a seed / path to replay when given. */
export function params<T = unknown>(defaultRuns: number, msPerRun = 100): fc.Parameters<T> {
  // a failure's shrinking (requests and all) stops in time for the test's own timeout, and
  // reports the smallest counterexample found so far
  const p: fc.Parameters<T> = { numRuns: runs(defaultRuns), plugins: [fc.interruptAfterTimeLimit(timeoutFor(defaultRuns, msPerRun) - 15_000)] };
  if (process.env.FLOWYTE_FUZZ_SEED) p.seed = Number(process.env.FLOWYTE_FUZZ_SEED);
  if (process.env.FLOWYTE_FUZZ_PATH) p.path = process.env.FLOWYTE_FUZZ_PATH;
  // report the first failure as found, without shrinking it (debugging)
  if (process.env.FLOWYTE_FUZZ_NO_SHRINK) p.endOnFailure = true;
  return p;
}

/** A test timeout that grows with the run count (`msPerRun` is generous: shrinking runs more). */
export function timeoutFor(defaultRuns: number, msPerRun: number): number {
  return Math.max(60_000, runs(defaultRuns) * msPerRun * 3);
}

/** api.md "Error catalog". */
export const CATALOG: Record<string, number> = {
  malformed_json: 400,
  validation_error: 400,
  invalid_cursor: 400,
  invalid_header: 400,
  unauthorized: 401,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  version_conflict: 409,
  duplicate_name: 409,
  idempotency_in_progress: 409,
  nothing_to_publish: 409,
  no_published_version: 409,
  channel_disabled: 409,
  agent_inactive: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reuse: 422,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
};

const PROBLEM_MEMBERS = new Set(['success', 'type', 'title', 'status', 'code', 'detail', 'message', 'instance', 'requestId', 'errors', 'requiredScope', 'missingScopes', 'currentVersion', 'data']);

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
  json: any;
}

/** What was sent, for failure messages. */
function describe(method: string, url: string, a: Answer): string {
  return `${method} ${url.slice(0, 200)} → ${a.status} ${a.text.slice(0, 600)}`;
}

/**
 * The checks every answer passes: never a 5xx; an X-Request-Id; an error is problem+json with
 * the envelope members, a catalog code and its status, the request id and the path; a
 * validation_error lists 1–100 field errors sorted by field; a success is `{ success: true, data }`.
 */
export function checkAnswer(method: string, url: string, a: Answer): void {
  const where = describe(method, url, a);
  expect(a.status, where).toBeLessThan(500);
  const rid = a.headers['x-request-id'];
  expect(typeof rid, where).toBe('string');
  if (a.status >= 400) {
    expect(String(a.headers['content-type']), where).toMatch(/^application\/problem\+json/);
    const b = a.json;
    expect(b, where).toBeTypeOf('object');
    for (const k of Object.keys(b)) expect(PROBLEM_MEMBERS.has(k), `member ${k}: ${where}`).toBe(true);
    expect(b.success, where).toBe(false);
    expect(Object.keys(CATALOG), where).toContain(b.code);
    // invalid_header also carries the HTTP layer's own 4xx (408, 416, 431): api.md names no code for those
    if (b.code !== 'invalid_header') expect(a.status, where).toBe(CATALOG[b.code]);
    expect(b.status, where).toBe(a.status);
    expect(b.type, where).toBe(`https://flowyte.dev/errors/${b.code}`);
    expect(typeof b.title === 'string' && b.title.length > 0, where).toBe(true);
    expect(typeof b.detail === 'string' && b.detail.length > 0, where).toBe(true);
    expect(b.message, where).toBe(b.detail);
    expect(b.requestId, where).toBe(rid);
    expect(b.instance, where).toBe(url.split('?')[0]);
    if (b.code === 'validation_error') {
      expect(Array.isArray(b.errors), where).toBe(true);
      expect(b.errors.length, where).toBeGreaterThan(0);
      expect(b.errors.length, where).toBeLessThanOrEqual(100);
      for (const e of b.errors) {
        expect(Object.keys(e).sort(), where).toEqual(['field', 'message']);
        expect(typeof e.field, where).toBe('string');
        expect(typeof e.message === 'string' && e.message.length > 0, where).toBe(true);
      }
      for (let i = 1; i < b.errors.length; i++) expect(b.errors[i - 1].field <= b.errors[i].field, `errors sorted by field: ${where}`).toBe(true);
    } else {
      expect(b.errors, where).toBeUndefined();
    }
    if (b.code === 'unauthorized') expect(a.headers['www-authenticate'], where).toBe('Bearer');
    if (b.code === 'method_not_allowed') expect(typeof a.headers.allow, where).toBe('string');
    if (b.code === 'idempotency_in_progress') expect(a.headers['retry-after'], where).toBe('1');
    if (b.code === 'insufficient_scope') expect(typeof b.requiredScope === 'string' || Array.isArray(b.missingScopes), where).toBe(true);
    if (b.code === 'version_conflict') {
      expect(Number.isInteger(b.currentVersion), where).toBe(true);
      expect(b.data?.version, where).toBe(b.currentVersion);
      expect(a.headers.etag, where).toBe(`"${b.currentVersion}"`);
    }
  } else if (a.status !== 304 && a.status !== 204 && method !== 'HEAD') {
    expect(String(a.headers['content-type']), where).toMatch(/^application\/json/);
    expect(a.json?.success, where).toBe(true);
    expect('data' in a.json, where).toBe(true);
  }
}

export interface SendOptions {
  key?: string;
  /** a value to send as JSON (may hold RawJson), or raw text / bytes */
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** the Content-Type; default application/json when there is a body, none otherwise; null = none */
  contentType?: string | null;
}

/** One request through `inject`, checked by checkAnswer. */
export async function send(app: FastifyInstance, method: string, url: string, o: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.key !== undefined) headers.authorization = `Bearer ${o.key}`;
  let payload: string | Buffer | undefined;
  if (o.raw !== undefined) payload = o.raw;
  else if (o.body !== undefined) payload = o.body instanceof RawJson ? o.body.text : toJsonText(o.body);
  const ct = o.contentType === undefined ? (payload !== undefined ? 'application/json' : null) : o.contentType;
  if (ct !== null) headers['content-type'] = ct;
  const r = await app.inject({ method: method as 'GET', url, headers, payload });
  let json: unknown;
  try {
    json = r.body === '' ? undefined : JSON.parse(r.body);
  } catch {
    json = undefined;
  }
  const a: Answer = { status: r.statusCode, headers: r.headers as Answer['headers'], text: r.body, json };
  checkAnswer(method, url, a);
  return a;
}

/** The fields a validation_error names (empty for any other answer). */
export function fieldsOf(a: Answer): string[] {
  return a.json?.code === 'validation_error' ? a.json.errors.map((e: { field: string }) => e.field) : [];
}

/** The byte length of a JSON body as sent. */
export const byteLength = (v: unknown) => Buffer.byteLength(v instanceof RawJson ? v.text : toJsonText(v));
export const BODY_LIMIT = 256 * 1024;
