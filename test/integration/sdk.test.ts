/** The SDK, imported as a package user would (`flowyte/client`), against the real server. */
import { describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { createClient, FlowyteError } from 'flowyte/client';
import { fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();
await h.app.listen({ port: 0, host: '127.0.0.1' });
const baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
const sdk = createClient({ baseUrl, apiKey: t.key });
const elsewhere = createClient({ baseUrl, apiKey: t.key }); // another tab, another program

describe('flowyte/client', () => {
  it('rebases an edit over one made elsewhere: both survive', async () => {
    const base = await sdk.createAgent({ name: 'SDK rebase' });
    await elsewhere.updateAgent(base.id, { greeting: 'Hello from elsewhere' }, { ifMatch: base.version });
    const r = await sdk.updateAgentWithRebase(base, { tone: 'warm' });
    expect(r.rebases).toBe(1);
    expect(r.overlapping).toEqual([]);
    expect(r.agent).toMatchObject({ greeting: 'Hello from elsewhere', tone: 'warm', version: base.version + 2 });
    expect(await sdk.getAgent(base.id)).toMatchObject({ greeting: 'Hello from elsewhere', tone: 'warm' });
  });

  it('tells which field both sides changed', async () => {
    const base = await sdk.createAgent({ name: 'SDK overlap' });
    await elsewhere.updateAgent(base.id, { tone: 'brisk' });
    const r = await sdk.updateAgentWithRebase(base, { tone: 'warm', persona: 'Calm' });
    expect(r.overlapping).toEqual(['tone']);
    expect(r.agent).toMatchObject({ tone: 'warm', persona: 'Calm' });
  });

  it('covers the release cycle: publish, diff, rollback, live config', async () => {
    const a = await sdk.createAgent({ name: 'SDK cycle', greeting: 'One' });
    const v1 = await sdk.publishAgent(a.id, { note: 'first' });
    await sdk.updateAgent(a.id, { greeting: 'Two' });
    expect((await sdk.diffVersion(a.id, v1.id)).changes).toEqual([{ field: 'greeting', kind: 'changed', before: 'One', after: 'Two' }]);
    const v2 = await sdk.publishAgent(a.id);
    expect((await sdk.listVersions(a.id)).items.map((v) => v.number)).toEqual([2, 1]);
    expect((await sdk.getLiveConfig(a.id, { channel: 'voice' })).greeting).toBe('Two');
    await sdk.rollbackAgent(a.id, v1.id);
    expect((await sdk.getLiveConfig(a.id, { channel: 'chat' })).versionId).toBe(v1.id);
    expect((await sdk.getVersion(a.id, v2.id)).isLive).toBe(false);
  });

  it('surfaces errors as typed objects with status, code and errors[]', async () => {
    const missing = await sdk.getAgent('agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FlowyteError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    const invalid = (await sdk.createAgent({ name: '', tone: 'x'.repeat(201) }).catch((e: unknown) => e)) as FlowyteError;
    expect(invalid).toMatchObject({ status: 400, code: 'validation_error' });
    expect(invalid.errors.map((e) => e.field)).toEqual(['name', 'tone']);
    const bad = createClient({ baseUrl, apiKey: 'flowyte_sk_live_nope' });
    await expect(bad.listAgents()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
