import { describe, expect, it } from 'vitest';
import { FlowyteError, type Agent, type AgentPatch, type RebaseResult } from 'flowyte/client';
import { DraftStore } from '../../web/src/editor/draft-store.js';
import { mergePatchBetween } from '../../web/src/editor/merge-patch.js';

/** The dashboard's autosave model, with a scripted client and manual timers (no browser). */

function agent(over: Partial<Agent> = {}): Agent {
  return {
    id: 'agt_1', organizationId: 'org_1', name: 'Desk', version: 1, status: 'draft', hasUnpublishedChanges: true,
    persona: '', primaryLanguage: 'en', languages: ['en'], sku: 'single_language', enabledChannels: ['voice', 'chat'],
    goals: [], neverDo: [], tone: '', lexicon: { preferred: [], banned: [], pronunciations: {} }, voiceMap: {}, defaultVoiceId: null,
    voiceSettings: { stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1 },
    llmModel: 'default', llmTemperature: 0.4, ttsModel: 'default', sttModel: 'default',
    endpointing: { minSilenceMs: 400, maxSilenceMs: 2000, semantic: true }, greeting: null,
    handoffConfig: { warm: false, transferDestination: null, escalationThreshold: 3, contextSummaryUrl: null, transferRules: [] },
    callControl: {}, businessHours: {}, channelOverrides: {}, avgTicketCents: null, publishedVersionId: null, isActive: true,
    createdBy: 'key_1', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z',
    ...over,
  } as Agent;
}

type Call = { base: Agent; patch: AgentPatch; resolve: (r: RebaseResult) => void; reject: (e: unknown) => void };

function harness(start = agent()) {
  const calls: Call[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let next = 1;
  const client = {
    updateAgentWithRebase: (base: Agent, patch: AgentPatch) => new Promise<RebaseResult>((resolve, reject) => calls.push({ base, patch, resolve, reject })),
    getAgent: async () => start,
  };
  const store = new DraftStore(client as never, start, {
    debounceMs: 500,
    backoffMs: [1000, 2000],
    timers: {
      set: (fn, ms) => {
        const id = next++;
        timers.push({ fn, ms, id });
        return id;
      },
      clear: (h) => {
        const i = timers.findIndex((t) => t.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
    },
  });
  /** runs the pending timer (there is at most one) */
  const tick = async () => {
    const t = timers.shift();
    if (!t) throw new Error('no timer pending');
    t.fn();
    await Promise.resolve();
    return t.ms;
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { store, calls, timers, tick, settle };
}

const saved = (a: Agent, over: Partial<Agent>, rebases = 0, overlapping: string[] = []): RebaseResult => ({
  agent: { ...a, ...over, version: a.version + 1 + rebases } as Agent,
  rebases,
  overlapping,
  mergedLists: [],
});

describe('DraftStore', () => {
  it('debounces edits into one merge patch of the touched fields, with the base version', async () => {
    const h = harness();
    h.store.set('tone', 'w');
    h.store.set('tone', 'warm');
    h.store.set('goals', ['book visits']);
    expect(h.timers).toHaveLength(1);
    expect(h.calls).toHaveLength(0);
    expect(h.store.getSnapshot().draft.tone).toBe('warm');
    await h.tick();
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.patch).toEqual({ tone: 'warm', goals: ['book visits'] });
    expect(h.calls[0]!.base.version).toBe(1);
    expect(h.store.getSnapshot().state).toBe('saving');
    h.calls[0]!.resolve(saved(agent(), { tone: 'warm', goals: ['book visits'] }));
    await h.settle();
    const s = h.store.getSnapshot();
    expect(s.state).toBe('saved');
    expect(s.base.version).toBe(2);
    expect(s.pending).toEqual([]);
  });

  it('an edit made while a save runs is kept on screen and sent next, against the new version', async () => {
    const h = harness();
    h.store.set('tone', 'first');
    await h.tick();
    h.store.set('tone', 'second'); // while the first save is in flight
    h.calls[0]!.resolve(saved(agent(), { tone: 'first' }));
    await h.settle();
    expect(h.store.getSnapshot().draft.tone).toBe('second');
    expect(h.store.getSnapshot().pending).toEqual(['tone']);
    await h.tick();
    await h.settle();
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1]!.patch).toEqual({ tone: 'second' });
    expect(h.calls[1]!.base.version).toBe(2);
  });

  it('reports fields changed elsewhere: merged ones and overlapping ones', async () => {
    const h = harness();
    h.store.set('greeting', 'Hi from here');
    await h.tick();
    h.calls[0]!.resolve(saved(agent(), { greeting: 'Hi from here', persona: 'changed elsewhere' }, 1, ['greeting']));
    await h.settle();
    const s = h.store.getSnapshot();
    expect(s.overlaps).toEqual(['greeting']);
    expect(s.mergedFromElsewhere).toEqual(['persona']);
    expect(s.draft.persona).toBe('changed elsewhere');
    h.store.dismissNotices();
    expect(h.store.getSnapshot().overlaps).toEqual([]);
  });

  it('a validation error keeps the value and names the field; nothing retries until the user edits', async () => {
    const h = harness();
    h.store.set('llmTemperature', 5);
    await h.tick();
    h.calls[0]!.reject(new FlowyteError(400, { success: false, type: 't', title: 'Validation failed', status: 400, code: 'validation_error', detail: 'invalid', message: 'invalid', instance: '/', requestId: 'req_1', errors: [{ field: 'llmTemperature', message: 'must be ≤ 2' }] }));
    await h.settle();
    const s = h.store.getSnapshot();
    expect(s.state).toBe('error');
    expect(s.draft.llmTemperature).toBe(5);
    expect(h.store.errorsFor('llmTemperature')).toHaveLength(1);
    expect(h.timers).toHaveLength(0);
    h.store.set('llmTemperature', 1.5);
    expect(h.store.errorsFor('llmTemperature')).toHaveLength(0);
    await h.tick();
    expect(h.calls[1]!.patch).toEqual({ llmTemperature: 1.5 });
  });

  it('no answer at all: offline, retried with backoff, edits kept, then saved', async () => {
    const h = harness();
    h.store.set('tone', 'x');
    await h.tick();
    h.calls[0]!.reject(new FlowyteError(0, null, 'fetch failed'));
    await h.settle();
    expect(h.store.getSnapshot().state).toBe('offline');
    expect(h.timers[0]!.ms).toBe(1000);
    await h.tick();
    h.calls[1]!.reject(new FlowyteError(503, null));
    await h.settle();
    expect(h.timers[0]!.ms).toBe(2000);
    await h.tick();
    h.calls[2]!.resolve(saved(agent(), { tone: 'x' }));
    await h.settle();
    expect(h.store.getSnapshot().state).toBe('saved');
    expect(h.calls.map((c) => c.patch)).toEqual([{ tone: 'x' }, { tone: 'x' }, { tone: 'x' }]);
  });

  it('removing a map entry or an optional member sends null for it (RFC 7396)', async () => {
    const start = agent({ voiceMap: { en: 'v1', es: 'v2' }, callControl: { maxCallSeconds: 900, maxIdleReminders: 1 } } as Partial<Agent>);
    const h = harness(start);
    h.store.set('voiceMap', { en: 'v1' });
    h.store.set('callControl', { maxIdleReminders: 1 });
    await h.tick();
    expect(h.calls[0]!.patch).toEqual({ voiceMap: { es: null }, callControl: { maxCallSeconds: null } });
  });

  it('an edit back to the stored value sends nothing', async () => {
    const h = harness();
    h.store.set('tone', 'x');
    h.store.set('tone', '');
    await h.tick();
    expect(h.calls).toHaveLength(0);
    expect(h.store.getSnapshot().pending).toEqual([]);
  });

  it('a 404 marks the agent gone and stops saving', async () => {
    const h = harness();
    h.store.set('tone', 'x');
    await h.tick();
    h.calls[0]!.reject(new FlowyteError(404, null));
    await h.settle();
    expect(h.store.getSnapshot().gone).toBe(true);
    h.store.set('tone', 'y');
    expect(h.timers).toHaveLength(0);
  });

  it('replaceBase (after publish or rollback) keeps pending edits on top', () => {
    const h = harness();
    h.store.set('tone', 'mine');
    h.store.replaceBase(agent({ version: 3, persona: 'rolled back', tone: 'old' } as Partial<Agent>));
    const s = h.store.getSnapshot();
    expect(s.draft.tone).toBe('mine');
    expect(s.draft.persona).toBe('rolled back');
    expect(s.base.version).toBe(3);
  });
});

describe('mergePatchBetween', () => {
  it('walks objects, replaces arrays, nulls removed members, and is undefined for no change', () => {
    expect(mergePatchBetween({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 2 } })).toEqual({ b: { d: null } });
    expect(mergePatchBetween([1, 2], [1, 2])).toBeUndefined();
    expect(mergePatchBetween([1, 2], [2])).toEqual([2]);
    expect(mergePatchBetween({}, { weekly: {} })).toEqual({ weekly: {} });
    expect(mergePatchBetween({ x: 1 }, {})).toEqual({ x: null });
  });
});
