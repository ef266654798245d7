/**
 * The SDK's rebase loop and typed errors, against a scripted fetch (no server): what it sends
 * (If-Match, body) and what it does with each answer.
 */
import { describe, expect, it } from 'vitest';
import { createClient, FlowyteError, type Agent } from '../../src/client/index.js';

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

describe('updateAgentWithRebase', () => {
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
});
