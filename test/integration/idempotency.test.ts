import { describe, expect, it } from 'vitest';
import { call, fileHarness, TestClock } from '../helpers/harness.js';

const clock = new TestClock();
const { h, t } = await fileHarness({ clock, idempotencyRetentionMs: 24 * 3600 * 1000 });

const post = (body: unknown, key: string, apiKey = t.key) =>
  call(h.app, 'POST', '/api/v1/agents', { key: apiKey, body, headers: { 'idempotency-key': key } });

async function count(q: string) {
  return (await call(h.app, 'GET', `/api/v1/agents?q=${encodeURIComponent(q)}`, { key: t.key })).json().data.length;
}

describe('Idempotency-Key', () => {
  it('replays the same status and byte-equal body with Idempotent-Replayed: true, doing nothing twice', async () => {
    const a = await post({ name: 'Idem A' }, 'k-a');
    const b = await post({ name: 'Idem A' }, 'k-a');
    expect(a.statusCode).toBe(201);
    expect(a.headers['idempotent-replayed']).toBeUndefined();
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toBe(a.body);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(await count('Idem A')).toBe(1);
  });

  it('the fingerprint is the canonical body: member order and whitespace do not matter, headers neither', async () => {
    const raw1 = '{"name":"Idem B","tone":"x"}';
    const raw2 = '{ "tone" : "x", "name" : "Idem B" }';
    const a = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: raw1, headers: { 'content-type': 'application/json', 'idempotency-key': 'k-b' } });
    const b = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, rawBody: raw2, headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': 'k-b', 'x-request-id': 'other' } });
    expect(a.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
  });

  it('same key, different request: 422 idempotency_key_reuse, nothing created', async () => {
    await post({ name: 'Idem C' }, 'k-c');
    const r = await post({ name: 'Idem C2' }, 'k-c');
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('idempotency_key_reuse');
    expect(await count('Idem C2')).toBe(0);
    // a different route with the same key is a different request too
    const k = await call(h.app, 'POST', '/api/v1/api-keys', { key: t.key, body: { name: 'Idem C' }, headers: { 'idempotency-key': 'k-c' } });
    expect(k.statusCode).toBe(400); // shape first, nothing stored
  });

  it('a 400 is not stored: the corrected retry with the same key runs', async () => {
    const bad = await post({ name: '' }, 'k-d');
    expect(bad.statusCode).toBe(400);
    const good = await post({ name: 'Idem D' }, 'k-d');
    expect(good.statusCode).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });

  it('401 and 403 are not stored and a replay never bypasses the scope check', async () => {
    const reader = await t.mint(['agents:read']);
    expect((await post({ name: 'Idem E' }, 'k-e', reader.key)).statusCode).toBe(403);
    const ok = await post({ name: 'Idem E' }, 'k-e');
    expect(ok.statusCode).toBe(201);
    const replayByReader = await post({ name: 'Idem E' }, 'k-e', reader.key);
    expect(replayByReader.statusCode).toBe(403);
  });

  it('the operation\'s own 409 is stored and replayed', async () => {
    await post({ name: 'Idem F' }, 'k-f1');
    const dup = await post({ name: 'idem f' }, 'k-f2');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate_name');
    const again = await post({ name: 'idem f' }, 'k-f2');
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(dup.body);
  });

  it('keys are scoped to the organization', async () => {
    const other = await h.tenant('Other org');
    const a = await post({ name: 'Idem G' }, 'k-g');
    const b = await post({ name: 'Idem G' }, 'k-g', other.key);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().data.id).not.toBe(a.json().data.id);
  });

  it('records expire after the retention period (injected clock)', async () => {
    const a = await post({ name: 'Idem H' }, 'k-h');
    clock.advance(24 * 3600 * 1000 - 1000);
    expect((await post({ name: 'Idem H' }, 'k-h')).headers['idempotent-replayed']).toBe('true');
    clock.advance(2000);
    const late = await post({ name: 'Idem H' }, 'k-h');
    // the record expired: the request runs afresh (and meets the agent it created the first time)
    expect(late.headers['idempotent-replayed']).toBeUndefined();
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('duplicate_name');
    expect(a.statusCode).toBe(201);
  });

  it('the hourly purge removes only expired records', async () => {
    const { deleteIdempotencyRecordsBefore } = await import('../../src/storage/repos/idempotency.js');
    const n = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_records'))[0]!.n;
    await post({ name: 'Idem P' }, 'k-p');
    const before = await n();
    await deleteIdempotencyRecordsBefore(h.db, new Date(clock.now() - 24 * 3600 * 1000));
    const after = await n();
    expect(after).toBeLessThan(before); // the records written before the clock moved a day are gone
    expect((await post({ name: 'Idem P' }, 'k-p')).headers['idempotent-replayed']).toBe('true'); // the fresh one stays
  });

  it('a malformed Idempotency-Key is invalid_header; the header is ignored on other methods', async () => {
    for (const k of ['', 'has space', 'x'.repeat(256), 'ünïcode']) {
      const r = await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Idem I' }, headers: { 'idempotency-key': k } });
      expect(r.statusCode, JSON.stringify(k)).toBe(400);
      expect(r.json().code).toBe('invalid_header');
    }
    const a = (await post({ name: 'Idem J' }, 'k-j')).json().data;
    const p = await call(h.app, 'PATCH', `/api/v1/agents/${a.id}`, { key: t.key, body: { tone: 'x' }, headers: { 'idempotency-key': 'has space' } });
    expect(p.statusCode).toBe(200);
  });

  it('the answer of a create is byte-equal to a later GET (maps in the order the database keeps them)', async () => {
    const body = { name: 'Idem order', lexicon: { pronunciations: { zz: 'zed zed', a: 'ay', 'é': 'e acute', '10': 'ten', Bb: 'bee', ab: 'ay bee' } } };
    for (const key of ['k-order', null]) {
      const b = { ...body, name: `${body.name} ${key ?? 'plain'}` };
      const created = key ? await post(b, key) : await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: b });
      expect(created.statusCode).toBe(201);
      const got = await call(h.app, 'GET', `/api/v1/agents/${created.json().data.id}`, { key: t.key });
      expect(created.body).toBe(got.body);
      if (key) expect((await post(b, key)).body).toBe(got.body);
    }
  });

  it.skipIf(!h.dbUrl)('a key another process is working on (its advisory lock held) is 409 idempotency_in_progress, and nothing is created', async () => {
    const pg = (await import('pg')).default;
    const other = new pg.Client({ connectionString: h.dbUrl! });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query("SELECT pg_advisory_xact_lock(7301, hashtext($1 || ':' || $2))", [t.orgId, 'k-held']);
      const r = await post({ name: 'Idem held' }, 'k-held');
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('idempotency_in_progress');
      expect(await count('Idem held')).toBe(0);
      await other.query('ROLLBACK');
      const again = await post({ name: 'Idem held' }, 'k-held');
      expect(again.statusCode).toBe(201);
      expect(await count('Idem held')).toBe(1);
    } finally {
      await other.end();
    }
  });
});
