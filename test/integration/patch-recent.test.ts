/**
 * PATCH plans from the agent as this process last wrote it (RecentAgents) and writes only if the
 * agent is still at that version. Two apps on one database stand for two processes: each has its
 * own memory, so one's writes make the other's stale, and every answer must still be the one
 * the database's state gives.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();
const other = await buildApp({ db: h.db, rateLimitPerMin: 0, webRoot: null });
afterAll(() => other.close());

const patch = (app: typeof other, id: string, body: unknown, ifMatch?: number) =>
  call(app, 'PATCH', `/api/v1/agents/${id}`, { key: t.key, body, headers: ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` } });
const updates = async (id: string) =>
  (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'agent.update' AND resource_id = $1", [id]))[0]!.n;

async function agent(name: string) {
  return (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name } })).json().data as { id: string };
}

describe('a PATCH planned from memory never answers from a stale agent', () => {
  it('an edit made by another process since is kept; an If-Match naming the remembered version is 409', async () => {
    const { id } = await agent('Recent one');
    expect((await patch(h.app, id, { tone: 'calm' })).json().data.version).toBe(2); // remembered at 2
    expect((await patch(other, id, { persona: 'Set elsewhere' })).json().data.version).toBe(3);
    const stale = await patch(h.app, id, { greeting: 'Hi' }, 2);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(3);
    expect(stale.json().data.persona).toBe('Set elsewhere');
    const r = await patch(h.app, id, { greeting: 'Hi' });
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toMatchObject({ version: 4, tone: 'calm', persona: 'Set elsewhere', greeting: 'Hi' });
    const r2 = await patch(h.app, id, { greeting: 'Hello' }, 4); // remembered at 4: one round trip
    expect(r2.json().data).toMatchObject({ version: 5, persona: 'Set elsewhere', greeting: 'Hello' });
    expect(await updates(id)).toBe(4);
  });

  it('a patch invalid against the remembered agent but valid against the real one is applied', async () => {
    const { id } = await agent('Recent two');
    await patch(h.app, id, { languages: ['en-US'], primaryLanguage: 'en-US' });
    expect((await patch(other, id, { languages: ['en-US', 'de-DE'] })).statusCode).toBe(200);
    const r = await patch(h.app, id, { primaryLanguage: 'de-DE' });
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toMatchObject({ primaryLanguage: 'de-DE', languages: ['en-US', 'de-DE'] });
  });

  it('a patch that is a change to the remembered agent but not to the real one writes nothing', async () => {
    const { id } = await agent('Recent three');
    await patch(h.app, id, { tone: 'old' });
    const elsewhere = (await patch(other, id, { tone: 'new' })).json().data;
    const before = await updates(id);
    const r = await patch(h.app, id, { tone: 'new' });
    expect(r.statusCode).toBe(200);
    expect(r.json().data.version).toBe(elsewhere.version);
    expect(await updates(id)).toBe(before);
  });

  it('a deleted agent is 404 however it is remembered', async () => {
    const { id } = await agent('Recent four');
    const v = (await patch(h.app, id, { tone: 'x' })).json().data.version;
    expect((await call(other, 'DELETE', `/api/v1/agents/${id}`, { key: t.key })).statusCode).toBe(200);
    expect((await patch(h.app, id, { tone: 'y' })).statusCode).toBe(404);
    expect((await patch(h.app, id, { tone: 'y' }, v)).statusCode).toBe(404);
  });

  it('another organization cannot reach a remembered agent', async () => {
    const { id } = await agent('Recent five');
    await patch(h.app, id, { tone: 'x' });
    const t2 = await h.tenant('Other org');
    const r = await call(h.app, 'PATCH', `/api/v1/agents/${id}`, { key: t2.key, body: { tone: 'stolen' } });
    expect(r.statusCode).toBe(404);
    expect((await call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key })).json().data.tone).toBe('x');
  });

  it('the answer of a PATCH is byte-equal to a later GET (the config is not read back; maps in the order the database keeps them)', async () => {
    const { id } = await agent('Recent six');
    const r = await patch(h.app, id, { lexicon: { pronunciations: { zz: 'zed zed', a: 'ay', 'é': 'e acute', '10': 'ten', Bb: 'bee' } } });
    expect(r.statusCode).toBe(200);
    const got = await call(h.app, 'GET', `/api/v1/agents/${id}`, { key: t.key });
    expect(r.body).toBe(got.body);
    expect(r.headers.etag).toBe(got.headers.etag);
  });
});
