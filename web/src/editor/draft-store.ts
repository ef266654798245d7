import { FlowyteError, type Agent, type AgentPatch, type FieldError, type FlowyteClient } from 'flowyte/client';
import { deepEqual, mergePatchBetween } from './merge-patch.js';

/**
 * The agent editor's model, without React: the server's agent (`base`), the user's edits on top
 * of it (`draft`), and autosave. Edits go out as one merge patch of every touched field, after a
 * debounce, with `If-Match` (the SDK's `updateAgentWithRebase`): on 409 the SDK rebases the
 * pending fields onto the current agent, so an edit made elsewhere is never overwritten and a
 * pending edit never lost; fields both sides changed are reported (`overlaps`). A rejected value
 * stays in the draft, with the server's errors by field; a network failure, 5xx or 429 retries
 * with backoff (`offline`).
 */

export type SaveState = 'idle' | 'saving' | 'saved' | 'error' | 'offline';
export type EditableField = Extract<keyof AgentPatch, keyof Agent>;

export interface DraftSnapshot {
  /** the agent as the server last returned it */
  base: Agent;
  /** `base` with the user's pending edits applied: what the form shows */
  draft: Agent;
  state: SaveState;
  /** the server's field errors of the last attempt (api.md `errors[]`) */
  errors: FieldError[];
  /** a sentence for the state (why it failed, when it retries) */
  message: string | null;
  /** fields this user's save set that had been changed elsewhere too (dotted paths; this edit won) */
  overlaps: string[];
  /** top-level fields that were changed elsewhere and merged in without conflict */
  mergedFromElsewhere: string[];
  /** touched fields not yet confirmed by the server */
  pending: EditableField[];
  /** the agent no longer exists (deleted elsewhere) */
  gone: boolean;
}

export interface DraftStoreOptions {
  debounceMs?: number;
  /** retry delays after a failure that may heal by itself, in ms; the last repeats */
  backoffMs?: number[];
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (h: unknown) => void };
}

type Client = Pick<FlowyteClient, 'updateAgentWithRebase' | 'getAgent'>;

/** Fields the server changes on every write, never worth a "changed elsewhere" mention. */
const BOOKKEEPING = new Set(['version', 'updatedAt', 'hasUnpublishedChanges', 'status', 'publishedVersionId', 'sku']);

export class DraftStore {
  private snap: DraftSnapshot;
  private readonly touched = new Set<EditableField>();
  private readonly listeners = new Set<() => void>();
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;
  private failures = 0;
  private disposed = false;
  private readonly debounceMs: number;
  private readonly backoffMs: number[];
  private readonly timers: NonNullable<DraftStoreOptions['timers']>;

  constructor(private readonly client: Client, agent: Agent, opts: DraftStoreOptions = {}) {
    this.debounceMs = opts.debounceMs ?? 600;
    this.backoffMs = opts.backoffMs ?? [1000, 2000, 4000, 8000, 15000];
    this.timers = opts.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
    this.snap = { base: agent, draft: agent, state: 'idle', errors: [], message: null, overlaps: [], mergedFromElsewhere: [], pending: [], gone: false };
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): DraftSnapshot => this.snap;

  private update(p: Partial<DraftSnapshot>) {
    this.snap = { ...this.snap, ...p, pending: [...this.touched] };
    for (const l of this.listeners) l();
  }

  /** An edit: shows at once, saved after the debounce. Clears the server errors under that field. */
  set<K extends EditableField>(field: K, value: Agent[K]): void {
    if (this.disposed || this.snap.gone) return;
    this.touched.add(field);
    const errors = this.snap.errors.filter((e) => !underField(e.field, field));
    this.update({ draft: { ...this.snap.draft, [field]: value }, errors });
    this.schedule(this.debounceMs);
  }

  /** Errors the server named for `path` exactly or anything under it. */
  errorsFor(path: string): FieldError[] {
    return this.snap.errors.filter((e) => e.field !== undefined && underField(e.field, path));
  }

  dismissNotices(): void {
    this.update({ overlaps: [], mergedFromElsewhere: [] });
  }

  /** Whether anything is not yet saved. */
  get dirty(): boolean {
    return this.touched.size > 0;
  }

  /** Save now (e.g. before leaving); resolves when no save is running. */
  async flush(): Promise<void> {
    this.cancelTimer();
    while (this.inFlight) await this.inFlight;
    if (this.touched.size > 0 && this.snap.state !== 'error') await this.save();
  }

  /**
   * The server's agent changed by another route (publish, rollback, a refresh): it becomes the
   * base, and pending edits stay on top of it.
   */
  replaceBase(agent: Agent): void {
    if (this.disposed) return;
    if (agent.version < this.snap.base.version) return;
    this.update({ base: agent, draft: this.overlay(agent, this.snap.draft) });
  }

  /** Re-reads the agent (e.g. when the tab regains focus); pending edits stay. */
  async refresh(): Promise<void> {
    if (this.inFlight || this.disposed) return;
    try {
      const agent = await this.client.getAgent(this.snap.base.id);
      if (agent.version === this.snap.base.version) return;
      const merged = changedFields(this.snap.base, agent).filter((f) => !this.touched.has(f as EditableField));
      this.replaceBase(agent);
      if (merged.length > 0) {
        // a field someone changed since is theirs now: an older "your edit was kept" no longer holds
        const overlaps = this.snap.overlaps.filter((o) => !merged.some((m) => o === m || o.startsWith(m + '.')));
        const mergedFromElsewhere = [...new Set([...this.snap.mergedFromElsewhere, ...merged])];
        this.update({ overlaps, mergedFromElsewhere });
      }
    } catch (err) {
      if (err instanceof FlowyteError && err.status === 404) this.markGone();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.listeners.clear();
  }

  private cancelTimer() {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private schedule(ms: number) {
    this.cancelTimer();
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.save();
    }, ms);
  }

  /** `next` with the touched fields of `draft` on top. */
  private overlay(next: Agent, draft: Agent): Agent {
    const out = { ...next } as Record<string, unknown>;
    for (const f of this.touched) out[f] = draft[f];
    return out as Agent;
  }

  private markGone() {
    this.cancelTimer();
    this.update({ gone: true, state: 'error', message: 'This agent was deleted elsewhere; your unsaved edits cannot be saved.' });
  }

  private async save(): Promise<void> {
    if (this.disposed) return;
    if (this.inFlight) {
      // one save at a time: the next starts when this one ends
      await this.inFlight;
      if (this.touched.size > 0 && this.timer === null) this.schedule(0);
      return;
    }
    const base = this.snap.base;
    const sent = this.snap.draft;
    const patch: Record<string, unknown> = {};
    for (const f of this.touched) {
      const d = mergePatchBetween(base[f], sent[f]);
      if (d !== undefined) patch[f] = d;
    }
    if (Object.keys(patch).length === 0) {
      // edited back to what the server has
      this.touched.clear();
      this.update({ draft: base, state: this.snap.state === 'idle' ? 'idle' : 'saved', errors: [], message: null });
      return;
    }
    this.update({ state: 'saving', message: null });
    this.inFlight = this.send(base, sent, patch);
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  private async send(base: Agent, sent: Agent, patch: Record<string, unknown>): Promise<void> {
    try {
      const r = await this.client.updateAgentWithRebase(base, patch as AgentPatch);
      if (this.disposed) return;
      this.failures = 0;
      // fields edited again while this save ran stay pending; the rest show the server's value
      for (const f of [...this.touched]) if (deepEqual(this.snap.draft[f], sent[f])) this.touched.delete(f);
      // fields only the other side changed, and lists both sides changed (merged item by item)
      const elsewhere = r.rebases > 0 ? [...changedFields(base, r.agent).filter((f) => !(f in patch)), ...r.mergedLists] : [];
      this.update({
        base: r.agent,
        draft: this.overlay(r.agent, this.snap.draft),
        state: this.touched.size > 0 ? 'saving' : 'saved',
        errors: [],
        message: null,
        overlaps: r.overlapping.length > 0 ? r.overlapping : this.snap.overlaps,
        mergedFromElsewhere: elsewhere.length > 0 ? elsewhere : this.snap.mergedFromElsewhere,
      });
      if (this.touched.size > 0) this.schedule(this.debounceMs);
    } catch (err) {
      if (this.disposed) return;
      this.failed(err);
    }
  }

  private failed(err: unknown) {
    const e = err instanceof FlowyteError ? err : new FlowyteError(0, null, (err as Error)?.message ?? 'Request failed');
    if (e.status === 404) return this.markGone();
    if (e.code === 'validation_error') {
      return this.update({ state: 'error', errors: e.errors, message: 'A value is not valid. Fix the highlighted field; your edits are kept.' });
    }
    if (e.code === 'duplicate_name') {
      return this.update({ state: 'error', errors: [{ field: 'name', message: e.message }], message: 'Another agent already has this name.' });
    }
    if (e.code === 'version_conflict' && e.body?.data) {
      // still racing after the SDK's rebases: take the latest and try again shortly
      this.replaceBase(e.body.data as Agent);
    } else if (!(e.status === 0 || e.status >= 500 || e.status === 429 || e.code === 'version_conflict')) {
      return this.update({ state: 'error', errors: e.errors, message: e.message });
    }
    const delay = this.backoffMs[Math.min(this.failures, this.backoffMs.length - 1)]!;
    this.failures++;
    const why = e.status === 0 ? 'The server cannot be reached' : e.status === 429 ? 'Too many requests' : e.code === 'version_conflict' ? 'The agent keeps changing elsewhere' : 'The server had a problem';
    this.update({ state: 'offline', message: `${why}; retrying in ${Math.round(delay / 1000)} s. Your edits are kept.` });
    this.schedule(delay);
  }

  /** Retry at once (e.g. the browser is back online). */
  retryNow(): void {
    if (this.snap.state === 'offline') this.schedule(0);
  }
}

function underField(field: string | undefined, path: string): boolean {
  if (field === undefined) return false;
  return field === path || field.startsWith(path + '.') || field.startsWith(path + '[');
}

function changedFields(a: Agent, b: Agent): string[] {
  return Object.keys(b).filter((k) => !BOOKKEEPING.has(k) && k !== 'createdAt' && !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
