/**
 * The SDK's rebase loop and typed errors, against a scripted fetch (no server): what it sends
 * (If-Match, body) and what it does with each answer.
 */
import { describe, expect, it } from 'vitest';
import { createClient, FlowyteError, mergeLists, type Agent } from '../../src/client/index.js';

const agent = (version: number, over: Partial<Agent> = {}): Agent =>
  ({ id: 'agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB', name: 'Front desk', version, tone: '', greeting: null, persona: '', ...over }) as Agent;

const conflict = (current: Agent) => ({
  status: 409,
  body: {
    success: false, type: 'https://flowyte.dev/errors/version_conflict', title: 'Version conflict', status: 409, code: 'version_conflict',
    detail: `The agent is at version ${current.version}`, message: '…', instance: '/api/v1/agents/x', requestId: 'req_1',
    currentVersion: current.version, data: current,
  },
});
const ok = (a: Agent) => ({ status: 200, body: { success: true, data: a } });

/** A fetch that answers from a script and records what it was sent. */
function scripted(answers: { status: number; body: unknown }[]) {
  const sent: { method: string; url: string; ifMatch: string | null; body: unknown }[] = [];
  const fetch = async (input: Request) => {
    const text = await input.text();
    sent.push({ method: input.method, url: input.url, ifMatch: input.headers.get('if-match'), body: text ? JSON.parse(text) : null });
    const a = answers.shift();
    if (!a) throw new Error('no more scripted answers');
    const type = a.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': type } });
  };
  return { sent, fetch: fetch as unknown as typeof globalThis.fetch };
}

describe('mergeLists (three-way, items compared whole)', () => {
  const r = (label: string) => ({ label, when: `asks for ${label}`, destination: '+14155550134' });
  it('keeps the items each side added, in this side\'s order, their additions last', () => {
    expect(mergeLists([r('a')], [r('a'), r('mine')], [r('a'), r('theirs')])).toEqual([r('a'), r('mine'), r('theirs')]);
  });
  it('drops what the other side removed, unless this side still wants it changed', () => {
    expect(mergeLists([r('a'), r('b')], [r('a'), r('b'), r('c')], [r('b')])).toEqual([r('b'), r('c')]);
  });
  it('a changed item is a removal plus an addition: both sides\' changes survive', () => {
    // this side renamed a → a2; the other added z
    expect(mergeLists([r('a')], [r('a2')], [r('a'), r('z')])).toEqual([r('a2'), r('z')]);
    // the other side renamed a → a3 while this side added m: a3 kept, a dropped, m kept
    expect(mergeLists([r('a')], [r('a'), r('m')], [r('a3')])).toEqual([r('m'), r('a3')]);
  });
  it('never duplicates an item both sides added', () => {
    expect(mergeLists(['en'], ['en', 'es'], ['en', 'es'])).toEqual(['en', 'es']);
  });
});

describe('updateAgentWithRebase', () => {
  it('a list both sides changed is merged item by item, not replaced, and reported in mergedLists', async () => {
    const rule = (label: string) => ({ label, when: 'x', destination: '+14155550134' });
    const base = agent(3, { handoffConfig: { warm: false, transferDestination: null, escalationThreshold: 3, contextSummaryUrl: null, transferRules: [rule('Billing')] } } as Partial<Agent>);
    const theirs = agent(4, { handoffConfig: { ...base.handoffConfig, transferRules: [rule('Billing'), rule('Emergencies')] } } as Partial<Agent>);
    const merged = [rule('Billing office'), rule('Emergencies')];
    const s = scripted([conflict(theirs), ok(agent(5, { handoffConfig: { ...base.handoffConfig, transferRules: merged } } as Partial<Agent>))]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const r = await c.updateAgentWithRebase(base, { handoffConfig: { transferRules: [rule('Billing office')] } } as never);
    expect(r).toMatchObject({ rebases: 1, overlapping: [], mergedLists: ['handoffConfig.transferRules'] });
    expect(s.sent[1]!.body).toEqual({ handoffConfig: { transferRules: merged } });
  });

  it('without a conflict: one PATCH with If-Match of the base version', async () => {
    const s = scripted([ok(agent(4, { tone: 'warm' }))]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const r = await c.updateAgentWithRebase(agent(3), { tone: 'warm' });
    expect(r).toMatchObject({ rebases: 0, overlapping: [] });
    expect(r.agent.version).toBe(4);
    expect(s.sent).toEqual([{ method: 'PATCH', url: 'http://x/api/v1/agents/agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB', ifMatch: '"3"', body: { tone: 'warm' } }]);
  });

  it('conflict once: re-sends the pending fields on the current version; an edit elsewhere to another field is no overlap', async () => {
    const elsewhere = agent(4, { greeting: 'Hi!' });
    const s = scripted([conflict(elsewhere), ok(agent(5, { greeting: 'Hi!', tone: 'warm' }))]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const r = await c.updateAgentWithRebase(agent(3), { tone: 'warm' });
    expect(r).toMatchObject({ rebases: 1, overlapping: [] });
    expect(r.agent).toMatchObject({ greeting: 'Hi!', tone: 'warm' }); // both edits survive
    expect(s.sent.map((x) => [x.ifMatch, x.body])).toEqual([['"3"', { tone: 'warm' }], ['"4"', { tone: 'warm' }]]);
  });

  it('conflict twice: rebases twice and reports a field both sides changed', async () => {
    const s = scripted([
      conflict(agent(4, { tone: 'brisk' })),
      conflict(agent(5, { tone: 'brisk', persona: 'new' })),
      ok(agent(6, { tone: 'warm', persona: 'new' })),
    ]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const r = await c.updateAgentWithRebase(agent(3), { tone: 'warm' });
    expect(r).toMatchObject({ rebases: 2, overlapping: ['tone'] });
    expect(s.sent.map((x) => x.ifMatch)).toEqual(['"3"', '"4"', '"5"']);
  });

  it('gives up after the bound with the typed 409 (nothing more is sent)', async () => {
    const s = scripted([conflict(agent(4)), conflict(agent(5)), conflict(agent(6)), ok(agent(7))]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const err = await c.updateAgentWithRebase(agent(3), { tone: 'warm' }, { maxAttempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowyteError);
    expect(err).toMatchObject({ status: 409, code: 'version_conflict', requestId: 'req_1' });
    expect((err as FlowyteError).body?.currentVersion).toBe(6);
    expect(s.sent).toHaveLength(3);
  });

  it('does not retry anything but a version conflict: a validation error surfaces at once, typed', async () => {
    const s = scripted([{
      status: 400,
      body: {
        success: false, type: 'https://flowyte.dev/errors/validation_error', title: 'Validation failed', status: 400, code: 'validation_error',
        detail: 'tone: must be at most 200 characters', message: '…', instance: '/api/v1/agents/x', requestId: 'req_2',
        errors: [{ field: 'tone', message: 'must be at most 200 characters' }],
      },
    }]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const err = (await c.updateAgentWithRebase(agent(3), { tone: 'x'.repeat(201) }).catch((e: unknown) => e)) as FlowyteError;
    expect(err).toMatchObject({ status: 400, code: 'validation_error', errors: [{ field: 'tone', message: 'must be at most 200 characters' }] });
    expect(s.sent).toHaveLength(1);
  });

  it('a GET body sent back with edits: only what changed is sent, so a rebase never fights over read-only fields', async () => {
    const base = agent(3, { tone: '', greeting: 'Hi' });
    const s = scripted([conflict(agent(4, { greeting: 'Hello there' })), ok(agent(5, { greeting: 'Hello there', tone: 'warm' }))]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const r = await c.updateAgentWithRebase(base, { ...base, tone: 'warm' });
    expect(r).toMatchObject({ rebases: 1, overlapping: [] });
    expect(s.sent.map((x) => [x.ifMatch, x.body])).toEqual([['"3"', { tone: 'warm' }], ['"4"', { tone: 'warm' }]]);
  });

  it('overlap is per leaf: another member of the same object, or the same value, is no overlap', async () => {
    const base = agent(3, { callControl: { maxCallSeconds: 600 }, tone: '', persona: '' } as Partial<Agent>);
    const theirs = agent(4, { callControl: { maxCallSeconds: 900 }, tone: 'warm', persona: 'Calm' } as Partial<Agent>);
    const s = scripted([conflict(theirs), ok(agent(5))]);
    const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
    const r = await c.updateAgentWithRebase(base, { callControl: { idleReminderDelaySeconds: 20 }, tone: 'warm', persona: 'Brisk' } as never);
    expect(r.overlapping).toEqual(['persona']); // tone: they set the same value; callControl: another member
    expect(s.sent[1]!.body).toEqual({ callControl: { idleReminderDelaySeconds: 20 }, tone: 'warm', persona: 'Brisk' });
  });

  it('bounds any maxAttempts (NaN or Infinity: the default 3; at most 10)', async () => {
    for (const [maxAttempts, sends] of [[Number.NaN, 3], [Number.POSITIVE_INFINITY, 3], [0, 1], [50, 10]] as const) {
      const s = scripted(Array.from({ length: 12 }, (_, i) => conflict(agent(4 + i))));
      const c = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: s.fetch });
      await expect(c.updateAgentWithRebase(agent(3), { tone: 'warm' }, { maxAttempts })).rejects.toMatchObject({ code: 'version_conflict' });
      expect(s.sent, String(maxAttempts)).toHaveLength(sends);
    }
  });
});

describe('errors without a problem body', () => {
  it('no answer at all is a FlowyteError network_error (status 0); a foreign answer is http_error', async () => {
    const offline = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: (async () => { throw new TypeError('fetch failed'); }) as never });
    await expect(offline.listAgents()).rejects.toMatchObject({ name: 'FlowyteError', status: 0, code: 'network_error' });
    const proxy = createClient({ baseUrl: 'http://x', apiKey: 'k', fetch: (async () => new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } })) as never });
    await expect(proxy.listAgents()).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });
});

