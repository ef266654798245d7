/**
 * What the chaos tests (crash.test.ts, db-faults.test.ts) share: an HTTP client that times every
 * request, a steady mixed write load whose every request is logged with the one audit event it
 * must have written (or none), and the checks that hold the database to that log after a fault:
 *
 * - every write acknowledged with 2xx is there, with exactly one audit event (its request id);
 * - a refused write (409, 404) and a write that changed nothing left no event and no effect;
 * - a write whose answer was lost (in flight at a SIGKILL, a 503 in an outage) is there entirely
 *   — its effect and its event — or not at all; the model adopts what the event says, and the
 *   agents, versions and keys as the API serves them must then equal the model exactly;
 * - an acknowledged POST with an Idempotency-Key replays the same answer; one whose answer was
 *   lost replays if it happened and runs afresh if it did not;
 * - on the rows themselves (`storeViolations`): per agent, the audit chain (create, then one
 *   event per version step, then at most one delete) accounts for its version, its published
 *   versions, its live pointer and its deletion; keys and idempotency records agree too.
 *
 * FLOWYTE_CHAOS=full (npm run test:chaos) selects the long runs; otherwise the CI counts.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';

export const CHAOS_FULL = process.env.FLOWYTE_CHAOS === 'full';
/** FLOWYTE_CHAOS_SEED fixes the seed of the random choices (each test prints the one it used; workers interleave as timing has it). */
export const CHAOS_SEED = Number(process.env.FLOWYTE_CHAOS_SEED) || Math.floor(Math.random() * 2 ** 31);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const now = () => performance.now();

/** A small seeded PRNG (mulberry32): the same seed, the same sequence of choices. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  headers: http.IncomingHttpHeaders;
  /** performance.now() when the request was sent, and how long its answer took */
  sentAt: number;
  ms: number;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** another bearer key; null sends none */
  key?: string | null;
  timeoutMs?: number;
}

/** node:http with a keep-alive agent of its own (destroyed with the server it talks to). */
export class HttpClient {
  private agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  constructor(
    readonly base: string,
    private key: string,
  ) {}

  /** Resolves with any answer; rejects on a network error or after `timeoutMs` (20 s) without one. */
  request(method: string, path: string, o: RequestOptions = {}): Promise<Answer> {
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? this.key : o.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const timeoutMs = o.timeoutMs ?? 20_000;
    const sentAt = now();
    return new Promise<Answer>((resolve, reject) => {
      const req = http.request(this.base + path, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('answer cut off'));
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode!, json, headers: res.headers, sentAt, ms: now() - sentAt });
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A read, retried once on a network error (a keep-alive socket the server was closing). */
  async get(path: string, o: RequestOptions = {}): Promise<Answer> {
    try {
      return await this.request('GET', path, o);
    } catch {
      return this.request('GET', path, o);
    }
  }

  /** Every item of a paginated list. */
  async all(path: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    const sep = path.includes('?') ? '&' : '?';
    do {
      const r = await this.get(`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.json)}`);
      out.push(...r.json.data);
      cursor = r.json.pagination.nextCursor;
    } while (cursor);
    return out;
  }

  destroy(): void {
    this.agent.destroy();
  }
}

export interface AuditEvent {
  id: string;
  at: string;
  requestId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  agentVersionBefore: number | null;
  agentVersionAfter: number | null;
}

type OpKind =
  | 'create' | 'patch' | 'patch-stale' | 'publish' | 'publish-nothing' | 'rollback' | 'rollback-live' | 'delete' | 'mint' | 'revoke' | 'revoke-again'
  | 'replay';

/** The audit event a request must have written; `resourceId` null = the one it created (known from its answer or its event). */
interface Expected {
  action: string;
  resourceId: string | null;
  before: number | null;
  after: number | null;
}

/** One request of the load, as sent and as answered. */
export interface Sent {
  rid: string;
  op: OpKind;
  status: number | null;
  /** ok = 2xx; rejected = a refusal that must have done nothing; unknown = no answer, or 503 (it may have committed) */
  outcome: 'ok' | 'rejected' | 'unknown';
  /** exactly this event if ok, this event or none if unknown; null: no event at all */
  expect: Expected | null;
  sentAt: number;
  ms: number;
  /** applies an unknown outcome to the model once its event (or its absence) is known */
  resolve?: (e: AuditEvent | null) => void;
  resolved?: boolean;
}

interface AgentM {
  id: string;
  name: string;
  version: number;
  greeting: string | null;
  /** by number - 1; `id` null until read back (a publish whose answer was lost) */
  versions: { id: string | null; greeting: string | null }[];
  /** index into versions of the live one */
  live: number | null;
  deleted: boolean;
  /** a request of unknown outcome is pending on it: left alone until resolved */
  frozen: boolean;
}

interface KeyM {
  id: string;
  name: string;
  /** null when the answer that carried it was lost */
  secret: string | null;
  revoked: boolean;
  frozen: boolean;
}

/** A POST with an Idempotency-Key, to be sent again after the fault. */
interface Replay {
  path: string;
  idem: string;
  body: unknown;
  /** the acknowledged answer's data (null: the answer was lost and its event says it happened: `id`) */
  data: Record<string, unknown> | null;
  id?: string;
  /** answer lost and no event: the key must be free (a fresh 201) */
  fresh?: boolean;
  kind: 'create' | 'mint' | 'publish';
}

export interface WorkloadOptions {
  /** prefix of every request id and name: tells this load's events and resources apart */
  label: string;
  workers: number;
  seed: number;
  /** client back-off after a 503 or a network error, so an outage is not a busy loop */
  pauseAfterFailureMs?: number;
}

/** Statuses that are never right (a 500, or anything unforeseen) and the request that got them. */
export interface Problem {
  rid: string;
  op: OpKind;
  status: number | null;
  detail: string;
}

const dirty = (a: AgentM) => a.live === null || a.versions[a.live]!.greeting !== a.greeting;

/**
 * A steady mixed write load: each worker owns its agents and keys and sends one request at a
 * time (so it knows exactly what each answer must mean): creates with an Idempotency-Key, PATCHes
 * with If-Match (and some with a stale one: 409), publishes (some with an Idempotency-Key, some of
 * an unchanged draft: 409), rollbacks (some to the live version: a 200 no-op), deletes, key mints
 * (with an Idempotency-Key) and revocations (some twice: 404).
 */
export class Workload {
  readonly log: Sent[] = [];
  readonly problems: Problem[] = [];
  private agents = new Map<string, AgentM>();
  private keys = new Map<string, KeyM>();
  private replays: Replay[] = [];
  private seq = 0;
  private rand: () => number;
  private events = new Map<string, AuditEvent>();
  private eventsFetchedAt = 0;
  /** wall-clock time of the first request (events before it are not this load's) */
  private startedWall = 0;
  /** time spent sending (for rates) */
  activeMs = 0;

  constructor(readonly o: WorkloadOptions) {
    this.rand = prng(o.seed);
  }

  private rid(w: number | string) {
    return `${this.o.label}.${w}.${++this.seq}`;
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  /** Starts the workers on `client`; `stop()` ends them after their current request. */
  start(client: HttpClient): { stop(): Promise<void>; acked(): number } {
    if (!this.startedWall) this.startedWall = Date.now();
    let stopping = false;
    const startedAt = now();
    const first = this.log.length;
    const workers = Array.from({ length: this.o.workers }, async (_, w) => {
      while (!stopping) await this.step(client, w);
    });
    const all = Promise.all(workers);
    return {
      stop: async () => {
        stopping = true;
        await all;
        this.activeMs += now() - startedAt;
      },
      acked: () => {
        let n = 0;
        for (let i = first; i < this.log.length; i++) if (this.log[i]!.outcome === 'ok') n++;
        return n;
      },
    };
  }

  private mine(w: number) {
    const prefix = `${this.o.label}-w${w}-`;
    const agents = [...this.agents.values()].filter((a) => a.name.startsWith(prefix) && !a.deleted && !a.frozen);
    const keys = [...this.keys.values()].filter((k) => k.name.startsWith(prefix) && !k.frozen);
    return { agents, keys, prefix };
  }

  /** One request of worker `w`. */
  private async step(client: HttpClient, w: number): Promise<void> {
    const { agents, keys, prefix } = this.mine(w);
    const choices: [number, () => Promise<void>][] = [];
    const agent = agents.length ? this.pick(agents) : null;
    choices.push([agents.length < 3 ? 4 : 1, () => this.create(client, w, prefix)]);
    if (agent) {
      choices.push([5, () => this.patch(client, w, agent, false)]);
      if (agent.version > 1) choices.push([0.5, () => this.patch(client, w, agent, true)]);
      if (dirty(agent)) choices.push([3, () => this.publish(client, w, agent)]);
      else choices.push([0.4, () => this.publishNothing(client, w, agent)]);
      const targets = agent.versions.map((v, i) => i).filter((i) => i !== agent.live && agent.versions[i]!.id);
      if (targets.length) choices.push([2, () => this.rollback(client, w, agent, this.pick(targets))]);
      if (agent.live !== null && agent.versions[agent.live]!.id) choices.push([0.3, () => this.rollback(client, w, agent, agent.live!)]);
      if (agents.length > 2) choices.push([1, () => this.remove(client, w, agent)]);
    }
    choices.push([0.8, () => this.mint(client, w, prefix)]);
    const active = keys.filter((k) => !k.revoked);
    if (active.length) choices.push([0.8, () => this.revoke(client, w, this.pick(active))]);
    const revoked = keys.filter((k) => k.revoked);
    if (revoked.length) choices.push([0.2, () => this.revoke(client, w, this.pick(revoked))]);
    let r = this.rand() * choices.reduce((s, c) => s + c[0], 0);
    for (const [weight, run] of choices) {
      r -= weight;
      if (r <= 0) return run();
    }
    return choices[choices.length - 1]![1]();
  }

  /**
   * Sends one request and classifies its answer: `okStatus` is success; `refusal` (if given) the
   * one answer that means "refused, nothing done"; a 503 `unavailable` or no answer is unknown;
   * anything else (a 500 above all) is a problem, and unknown too.
   */
  private async send(
    client: HttpClient,
    s: { rid: string; op: OpKind; method: string; path: string; body?: unknown; headers?: Record<string, string>; expect: Expected | null },
    okStatus: number,
    refusal?: { status: number; code: string },
  ): Promise<{ sent: Sent; answer: Answer | null }> {
    const sent: Sent = { rid: s.rid, op: s.op, status: null, outcome: 'unknown', expect: s.expect, sentAt: now(), ms: 0 };
    this.log.push(sent);
    let answer: Answer | null = null;
    try {
      answer = await client.request(s.method, s.path, { body: s.body, headers: { 'x-request-id': s.rid, ...s.headers } });
    } catch (err) {
      sent.ms = now() - sent.sentAt;
      await sleep(this.o.pauseAfterFailureMs ?? 0);
      return { sent, answer: null };
    }
    sent.status = answer.status;
    sent.ms = answer.ms;
    const code = answer.json?.code;
    if (answer.status >= 400 && !String(answer.headers['content-type']).startsWith('application/problem+json')) {
      this.problems.push({ rid: s.rid, op: s.op, status: answer.status, detail: `an error outside the envelope: ${answer.headers['content-type']}` });
    }
    if (answer.status === okStatus) sent.outcome = 'ok';
    else if (refusal && answer.status === refusal.status && code === refusal.code) sent.outcome = 'rejected';
    else {
      if (!(answer.status === 503 && code === 'unavailable')) {
        this.problems.push({ rid: s.rid, op: s.op, status: answer.status, detail: JSON.stringify(answer.json).slice(0, 300) });
      }
      await sleep(this.o.pauseAfterFailureMs ?? 0);
    }
    return { sent, answer };
  }

  private problem(sent: Sent, detail: string) {
    this.problems.push({ rid: sent.rid, op: sent.op, status: sent.status, detail });
  }

  private async create(client: HttpClient, w: number, prefix: string) {
    const rid = this.rid(`w${w}`);
    const name = `${prefix}${this.seq}`;
    const body = { name };
    const { sent, answer } = await this.send(client, {
      rid, op: 'create', method: 'POST', path: '/api/v1/agents', body, headers: { 'idempotency-key': rid },
      expect: { action: 'agent.create', resourceId: null, before: null, after: 1 },
    }, 201);
    if (sent.outcome === 'ok') {
      const data = answer!.json.data;
      if (answer!.headers['idempotent-replayed']) this.problem(sent, 'a fresh key was replayed');
      sent.expect!.resourceId = data.id;
      this.agents.set(data.id, { id: data.id, name, version: 1, greeting: null, versions: [], live: null, deleted: false, frozen: false });
      this.replays.push({ path: '/api/v1/agents', idem: rid, body, data, kind: 'create' });
      return;
    }
    sent.resolve = (e) => {
      if (e) {
        this.agents.set(e.resourceId, { id: e.resourceId, name, version: 1, greeting: null, versions: [], live: null, deleted: false, frozen: false });
        this.replays.push({ path: '/api/v1/agents', idem: rid, body, data: null, id: e.resourceId, kind: 'create' });
      } else this.replays.push({ path: '/api/v1/agents', idem: rid, body, data: null, fresh: true, kind: 'create' });
    };
  }

  private async patch(client: HttpClient, w: number, a: AgentM, stale: boolean) {
    const rid = this.rid(`w${w}`);
    const greeting = `hello from ${rid}`;
    const ifMatch = stale ? a.version - 1 : a.version;
    const before = a.version;
    const { sent, answer } = await this.send(client, {
      rid, op: stale ? 'patch-stale' : 'patch', method: 'PATCH', path: `/api/v1/agents/${a.id}`, body: { greeting },
      headers: { 'if-match': `"${ifMatch}"` },
      expect: stale ? null : { action: 'agent.update', resourceId: a.id, before, after: before + 1 },
    }, stale ? -1 : 200, { status: 409, code: 'version_conflict' });
    if (stale) {
      if (sent.outcome === 'rejected' && answer!.json.currentVersion !== before) this.problem(sent, `currentVersion ${answer!.json.currentVersion}, expected ${before}`);
      if (sent.outcome !== 'unknown') return;
      a.frozen = true;
      sent.resolve = () => void (a.frozen = false);
      return;
    }
    if (sent.outcome === 'rejected') this.problem(sent, 'version_conflict on an agent only this worker writes');
    if (sent.outcome === 'ok') {
      const d = answer!.json.data;
      if (d.version !== before + 1 || d.greeting !== greeting) this.problem(sent, `answered version ${d.version}, greeting ${d.greeting}`);
      a.version = before + 1;
      a.greeting = greeting;
      return;
    }
    a.frozen = true;
    sent.resolve = (e) => {
      if (e) {
        a.version = before + 1;
        a.greeting = greeting;
      }
      a.frozen = false;
    };
  }

  private async publish(client: HttpClient, w: number, a: AgentM) {
    const rid = this.rid(`w${w}`);
    const before = a.version;
    const withKey = this.rand() < 0.5;
    const body = { note: `published by ${rid}` };
    const path = `/api/v1/agents/${a.id}/publish`;
    const { sent, answer } = await this.send(client, {
      rid, op: 'publish', method: 'POST', path, body,
      headers: { 'if-match': String(before), ...(withKey ? { 'idempotency-key': rid } : {}) },
      expect: { action: 'agent.publish', resourceId: a.id, before, after: before + 1 },
    }, 201);
    const goLive = (id: string | null) => {
      a.versions.push({ id, greeting: a.greeting });
      a.live = a.versions.length - 1;
      a.version = before + 1;
    };
    if (sent.outcome === 'ok') {
      const d = answer!.json.data;
      if (d.number !== a.versions.length + 1 || d.sourceAgentVersion !== before || d.config.greeting !== a.greeting) {
        this.problem(sent, `version ${d.number} from ${d.sourceAgentVersion}, expected ${a.versions.length + 1} from ${before}`);
      }
      goLive(d.id);
      if (withKey) this.replays.push({ path, idem: rid, body, data: d, kind: 'publish' });
      return;
    }
    a.frozen = true;
    sent.resolve = (e) => {
      if (e) goLive(null);
      a.frozen = false;
    };
  }

  private async publishNothing(client: HttpClient, w: number, a: AgentM) {
    const rid = this.rid(`w${w}`);
    const { sent } = await this.send(client, {
      rid, op: 'publish-nothing', method: 'POST', path: `/api/v1/agents/${a.id}/publish`, body: {}, expect: null,
    }, -1, { status: 409, code: 'nothing_to_publish' });
    if (sent.outcome !== 'unknown') return;
    a.frozen = true;
    sent.resolve = () => void (a.frozen = false);
  }

  private async rollback(client: HttpClient, w: number, a: AgentM, target: number) {
    const rid = this.rid(`w${w}`);
    const before = a.version;
    const noop = target === a.live;
    const { sent, answer } = await this.send(client, {
      rid, op: noop ? 'rollback-live' : 'rollback', method: 'POST', path: `/api/v1/agents/${a.id}/rollback`,
      body: { versionId: a.versions[target]!.id }, headers: { 'if-match': `W/"${before}"` },
      expect: noop ? null : { action: 'agent.rollback', resourceId: a.id, before, after: before + 1 },
    }, 200);
    if (sent.outcome === 'ok') {
      if (answer!.json.data.id !== a.versions[target]!.id || answer!.json.data.isLive !== true) this.problem(sent, 'answered another version');
      if (!noop) {
        a.live = target;
        a.version = before + 1;
      }
      return;
    }
    a.frozen = true;
    sent.resolve = (e) => {
      if (e && !noop) {
        a.live = target;
        a.version = before + 1;
      }
      a.frozen = false;
    };
  }

  private async remove(client: HttpClient, w: number, a: AgentM) {
    const rid = this.rid(`w${w}`);
    const before = a.version;
    const { sent } = await this.send(client, {
      rid, op: 'delete', method: 'DELETE', path: `/api/v1/agents/${a.id}`, headers: { 'if-match': String(before) },
      expect: { action: 'agent.delete', resourceId: a.id, before, after: null },
    }, 200);
    if (sent.outcome === 'ok') {
      a.deleted = true;
      return;
    }
    a.frozen = true;
    sent.resolve = (e) => {
      if (e) a.deleted = true;
      a.frozen = false;
    };
  }

  private async mint(client: HttpClient, w: number, prefix: string) {
    const rid = this.rid(`w${w}`);
    const name = `${prefix}key-${this.seq}`;
    const body = { name, scopes: ['agents:read'] };
    const { sent, answer } = await this.send(client, {
      rid, op: 'mint', method: 'POST', path: '/api/v1/api-keys', body, headers: { 'idempotency-key': rid },
      expect: { action: 'api_key.create', resourceId: null, before: null, after: null },
    }, 201);
    if (sent.outcome === 'ok') {
      const d = answer!.json.data;
      if (typeof d.key !== 'string') this.problem(sent, 'a minted key without its secret');
      sent.expect!.resourceId = d.id;
      this.keys.set(d.id, { id: d.id, name, secret: d.key, revoked: false, frozen: false });
      this.replays.push({ path: '/api/v1/api-keys', idem: rid, body, data: d, kind: 'mint' });
      return;
    }
    sent.resolve = (e) => {
      if (e) {
        this.keys.set(e.resourceId, { id: e.resourceId, name, secret: null, revoked: false, frozen: false });
        this.replays.push({ path: '/api/v1/api-keys', idem: rid, body, data: null, id: e.resourceId, kind: 'mint' });
      } else this.replays.push({ path: '/api/v1/api-keys', idem: rid, body, data: null, fresh: true, kind: 'mint' });
    };
  }

  private async revoke(client: HttpClient, w: number, k: KeyM) {
    const rid = this.rid(`w${w}`);
    const again = k.revoked;
    const { sent } = await this.send(client, {
      rid, op: again ? 'revoke-again' : 'revoke', method: 'DELETE', path: `/api/v1/api-keys/${k.id}`,
      expect: again ? null : { action: 'api_key.revoke', resourceId: k.id, before: null, after: null },
    }, again ? -1 : 200, { status: 404, code: 'not_found' });
    if (!again && sent.outcome === 'rejected') this.problem(sent, 'an active key could not be revoked');
    if (sent.outcome === 'ok' || (again && sent.outcome === 'rejected')) {
      k.revoked = true;
      return;
    }
    k.frozen = true;
    sent.resolve = (e) => {
      if (e) k.revoked = true;
      k.frozen = false;
    };
  }

  /** This load's audit events (request id with its label), fetched incrementally through the API. */
  private async fetchEvents(client: HttpClient): Promise<void> {
    // events are only appended; every request of the load has ended when this runs, so what
    // committed before the previous fetch was in it (2 s margin for the server's clock)
    const since = new Date((this.eventsFetchedAt || this.startedWall) - 2000).toISOString();
    this.eventsFetchedAt = Date.now();
    for (const e of await client.all(`/api/v1/audit-events?since=${encodeURIComponent(since)}`)) {
      const ev = e as unknown as AuditEvent;
      if (ev.requestId.startsWith(`${this.o.label}.`)) this.events.set(ev.id, ev);
    }
  }

  private eventsByRid(): Map<string, AuditEvent[]> {
    const m = new Map<string, AuditEvent[]>();
    for (const e of this.events.values()) {
      const l = m.get(e.requestId);
      if (l) l.push(e);
      else m.set(e.requestId, [e]);
    }
    return m;
  }

  /**
   * Run when no request of the load is in flight (after a restart, after an outage): resolves
   * every request of unknown outcome by its audit event, replays the POSTs that carried an
   * Idempotency-Key, then checks the whole log against the audit trail and the model against
   * what the API serves. Returns every violation found (none = pass) and what it checked.
   */
  async verify(client: HttpClient): Promise<{ violations: string[]; checked: Record<string, number> }> {
    const violations: string[] = [];
    const checked = { requests: 0, events: 0, agents: 0, versions: 0, keys: 0, replays: 0, freshRetries: 0, unknownResolved: 0, unknownApplied: 0 };
    await this.fetchEvents(client);
    let byRid = this.eventsByRid();
    // 1. unknown outcomes: the event decides
    for (const s of this.log) {
      if (s.outcome !== 'unknown' || s.resolved) continue;
      const evs = byRid.get(s.rid) ?? [];
      if (evs.length > 1) violations.push(`${s.rid} (${s.op}, answer lost): ${evs.length} audit events`);
      const e = evs[0] ?? null;
      if (e && s.expect && s.expect.resourceId === null) s.expect.resourceId = e.resourceId;
      s.resolved = true;
      checked.unknownResolved++;
      if (e) checked.unknownApplied++;
      s.resolve?.(e);
    }
    // 2. idempotent POSTs again: the same answer, or (answer lost, nothing done) a fresh one
    const replays = this.replays.splice(0);
    for (const r of replays) {
      const rid = this.rid('replay');
      const fresh = !!r.fresh;
      const sent: Sent = {
        rid, op: !fresh ? 'replay' : r.kind === 'mint' ? 'mint' : 'create', status: null, outcome: 'unknown', sentAt: now(), ms: 0,
        expect: fresh ? { action: r.kind === 'mint' ? 'api_key.create' : 'agent.create', resourceId: null, before: null, after: r.kind === 'mint' ? null : 1 } : null,
      };
      this.log.push(sent);
      const a = await client.request('POST', r.path, { body: r.body, headers: { 'idempotency-key': r.idem, 'x-request-id': rid } });
      sent.status = a.status;
      sent.ms = a.ms;
      sent.resolved = true;
      const replayed = a.headers['idempotent-replayed'] === 'true';
      if (a.status !== 201) {
        violations.push(`retry of ${r.idem} (${r.kind}): ${a.status} ${JSON.stringify(a.json).slice(0, 200)}`);
        continue;
      }
      sent.outcome = 'ok';
      const d = a.json.data;
      if (fresh) {
        checked.freshRetries++;
        if (replayed) violations.push(`retry of ${r.idem}: replayed, but its answer was lost and no event says it happened`);
        sent.expect!.resourceId = d.id;
        const name = (r.body as { name: string }).name;
        if (r.kind === 'create') this.agents.set(d.id, { id: d.id, name, version: 1, greeting: null, versions: [], live: null, deleted: false, frozen: false });
        else this.keys.set(d.id, { id: d.id, name, secret: d.key, revoked: false, frozen: false });
        continue;
      }
      checked.replays++;
      if (!replayed) violations.push(`retry of acknowledged ${r.idem} (${r.kind}) was not replayed: a second effect`);
      if (r.data) {
        const want = r.kind === 'mint' ? { ...r.data, key: undefined } : r.data;
        const got = r.kind === 'mint' ? { ...d, key: undefined } : d;
        if (!isDeepStrictEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(want)))) {
          violations.push(`replay of ${r.idem} (${r.kind}) differs: ${JSON.stringify(got).slice(0, 200)} vs ${JSON.stringify(want).slice(0, 200)}`);
        }
        if (r.kind === 'mint' && 'key' in d) violations.push(`replay of ${r.idem} shows the secret again`);
      } else if (d.id !== r.id) violations.push(`replay of ${r.idem} answers ${d.id}, but its event created ${r.id}`);
    }
    // 3. the log against the audit trail: one event per acknowledged change, none for the rest
    await this.fetchEvents(client);
    byRid = this.eventsByRid();
    const rids = new Set<string>();
    for (const s of this.log) {
      rids.add(s.rid);
      checked.requests++;
      const evs = byRid.get(s.rid) ?? [];
      const what = `${s.rid} (${s.op}, ${s.outcome} ${s.status ?? 'no answer'})`;
      if (s.outcome === 'ok' && s.expect && evs.length !== 1) violations.push(`${what}: ${evs.length} audit events, expected 1`);
      else if ((s.outcome !== 'ok' || !s.expect) && evs.length > (s.outcome === 'unknown' && s.expect ? 1 : 0)) {
        violations.push(`${what}: ${evs.length} audit events, expected ${s.outcome === 'unknown' && s.expect ? 'at most 1' : 'none'}`);
      }
      for (const e of evs) {
        const x = s.expect;
        if (!x) continue;
        if (e.action !== x.action || (x.resourceId !== null && e.resourceId !== x.resourceId) || e.agentVersionBefore !== x.before || e.agentVersionAfter !== x.after) {
          violations.push(`${what}: event ${e.action} ${e.resourceId} ${e.agentVersionBefore}→${e.agentVersionAfter}, expected ${x.action} ${x.resourceId} ${x.before}→${x.after}`);
        }
      }
    }
    for (const e of this.events.values()) {
      checked.events++;
      if (!rids.has(e.requestId)) violations.push(`event ${e.id} (${e.action}) for request ${e.requestId}, never sent`);
    }
    // 4. the model against what the API serves
    const listed = new Set(
      (await client.all('/api/v1/agents')).filter((a) => String(a.name).startsWith(`${this.o.label}-`)).map((a) => a.id as string),
    );
    for (const a of this.agents.values()) {
      checked.agents++;
      if (a.deleted) {
        if (listed.has(a.id)) violations.push(`agent ${a.id}: deleted, still listed`);
        const g = await client.get(`/api/v1/agents/${a.id}`);
        if (g.status !== 404) violations.push(`agent ${a.id}: deleted, GET answers ${g.status}`);
        continue;
      }
      if (!listed.delete(a.id)) violations.push(`agent ${a.id}: not listed`);
      const g = await client.get(`/api/v1/agents/${a.id}`);
      if (g.status !== 200) {
        violations.push(`agent ${a.id}: GET answers ${g.status}`);
        continue;
      }
      const d = g.json.data;
      const versions = (await client.all(`/api/v1/agents/${a.id}/versions`)).reverse();
      checked.versions += versions.length;
      versions.forEach((v, i) => {
        const m = a.versions[i];
        if (m && m.id === null && typeof v.id === 'string') m.id = v.id; // a lost publish answer, read back
      });
      const liveId = a.live === null ? null : a.versions[a.live]!.id;
      const want = { version: a.version, greeting: a.greeting, publishedVersionId: liveId, hasUnpublishedChanges: dirty(a), status: a.live === null ? 'draft' : 'published' };
      const got = { version: d.version, greeting: d.greeting, publishedVersionId: d.publishedVersionId, hasUnpublishedChanges: d.hasUnpublishedChanges, status: d.status };
      if (!isDeepStrictEqual(got, want)) violations.push(`agent ${a.id}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      const gotV = versions.map((v) => ({ number: v.number, greeting: (v.config as { greeting: string | null }).greeting, id: v.id, isLive: v.isLive }));
      const wantV = a.versions.map((v, i) => ({ number: i + 1, greeting: v.greeting, id: v.id, isLive: i === a.live }));
      if (!isDeepStrictEqual(gotV, wantV)) violations.push(`agent ${a.id} versions: ${JSON.stringify(gotV).slice(0, 300)}, expected ${JSON.stringify(wantV).slice(0, 300)}`);
    }
    for (const id of listed) violations.push(`agent ${id}: listed, but no acknowledged or audited create made it`);
    const keys = new Map((await client.all('/api/v1/api-keys')).filter((k) => String(k.name).startsWith(`${this.o.label}-`)).map((k) => [k.id as string, k]));
    let probes = 0;
    for (const k of this.keys.values()) {
      checked.keys++;
      const got = keys.get(k.id);
      keys.delete(k.id);
      if (!got) {
        violations.push(`key ${k.id}: not listed`);
        continue;
      }
      if ((got.revokedAt !== null) !== k.revoked) violations.push(`key ${k.id}: revokedAt ${got.revokedAt}, expected ${k.revoked ? 'a time' : 'null'}`);
      // the key itself: refused once revoked, accepted until then (a sample per check)
      if (k.secret && probes < 12) {
        probes++;
        const me = await client.get('/api/v1/me', { key: k.secret });
        if (me.status !== (k.revoked ? 401 : 200)) violations.push(`key ${k.id} (revoked: ${k.revoked}) answers ${me.status} on /me`);
      }
    }
    for (const id of keys.keys()) violations.push(`key ${id}: listed, but no acknowledged or audited mint made it`);
    return { violations, checked };
  }

  /** Requests by operation and outcome, and the time the workers were running. */
  summary() {
    const byOp: Record<string, Record<string, number>> = {};
    let ok = 0;
    for (const s of this.log) {
      const o = (byOp[s.op] ??= {});
      o[s.outcome] = (o[s.outcome] ?? 0) + 1;
      if (s.outcome === 'ok' && s.expect) ok++;
    }
    return { requests: this.log.length, acknowledgedChanges: ok, byOp, activeSeconds: +(this.activeMs / 1000).toFixed(1) };
  }
}

/** What `storeViolations` reads: `query(sql, params)` returning rows (a `Db`, or a pg client wrapped). */
export type RowQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The rows of one organization, checked against each other (nothing half applied): per agent,
 * one `agent.create` (after = 1), then version steps whose before/after chain without a gap or a
 * repeat up to the agent's version, at most one `agent.delete` (last, at that version) exactly
 * when it is deleted; as many published versions as `agent.publish` events, numbered 1..n, each
 * from a publish's `before`; the live pointer on one of them, `status` agreeing. Keys: one
 * `api_key.create` each, one `api_key.revoke` exactly when revoked. Every event names an
 * existing row; every stored idempotent success names an existing agent, key or version.
 */
export async function storeViolations(query: RowQuery, orgId: string): Promise<{ violations: string[]; counts: Record<string, number> }> {
  const v: string[] = [];
  const agents = await query(
    `SELECT id, version, deleted_at IS NOT NULL AS deleted, status, published_version_id AS live FROM agents WHERE organization_id = $1`, [orgId]);
  const events = await query(
    `SELECT id, action, resource_type AS "type", resource_id AS rid, agent_version_before AS before, agent_version_after AS after
     FROM audit_events WHERE organization_id = $1`, [orgId]);
  const versions = await query(`SELECT id, agent_id AS "agentId", number, source_agent_version AS source FROM agent_versions WHERE organization_id = $1`, [orgId]);
  const keys = await query(`SELECT id, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE organization_id = $1`, [orgId]);
  const records = await query(`SELECT key, status_code AS status, body FROM idempotency_records WHERE organization_id = $1`, [orgId]);
  const evBy = new Map<string, Record<string, unknown>[]>();
  for (const e of events) {
    const l = evBy.get(e.rid as string);
    if (l) l.push(e);
    else evBy.set(e.rid as string, [e]);
  }
  const verBy = new Map<string, Record<string, unknown>[]>();
  for (const x of versions) {
    const l = verBy.get(x.agentId as string);
    if (l) l.push(x);
    else verBy.set(x.agentId as string, [x]);
  }
  const agentIds = new Set(agents.map((a) => a.id as string));
  const keyIds = new Set(keys.map((k) => k.id as string));
  const versionIds = new Set(versions.map((x) => x.id as string));
  for (const a of agents) {
    const id = a.id as string;
    const evs = (evBy.get(id) ?? []).filter((e) => e.type === 'agent');
    const count = (action: string) => evs.filter((e) => e.action === action).length;
    if (count('agent.create') !== 1) v.push(`agent ${id}: ${count('agent.create')} create events`);
    const steps = evs.filter((e) => ['agent.update', 'agent.publish', 'agent.rollback'].includes(e.action as string)).sort((x, y) => Number(x.before) - Number(y.before));
    let at = 1;
    for (const s of steps) {
      if (s.before !== at || s.after !== at + 1) v.push(`agent ${id}: ${s.action} ${s.before}→${s.after} where the chain is at ${at}`);
      at = Number(s.after);
    }
    if (a.version !== at) v.push(`agent ${id}: version ${a.version}, its events account for ${at}`);
    const deletes = evs.filter((e) => e.action === 'agent.delete');
    if (deletes.length !== (a.deleted ? 1 : 0)) v.push(`agent ${id}: deleted ${a.deleted}, ${deletes.length} delete events`);
    for (const d of deletes) if (d.before !== a.version || d.after !== null) v.push(`agent ${id}: delete event ${d.before}→${d.after} at version ${a.version}`);
    const vs = verBy.get(id) ?? [];
    const publishes = steps.filter((s) => s.action === 'agent.publish');
    if (vs.length !== publishes.length) v.push(`agent ${id}: ${vs.length} versions, ${publishes.length} publish events`);
    const numbers = vs.map((x) => Number(x.number)).sort((x, y) => x - y);
    if (numbers.some((n, i) => n !== i + 1)) v.push(`agent ${id}: version numbers ${numbers.join(',')}`);
    const sources = vs.map((x) => Number(x.source)).sort((x, y) => x - y).join(',');
    const publishedFrom = publishes.map((p) => Number(p.before)).sort((x, y) => x - y).join(',');
    if (sources !== publishedFrom) v.push(`agent ${id}: versions made from ${sources}, publish events from ${publishedFrom}`);
    if ((a.live === null) !== (vs.length === 0)) v.push(`agent ${id}: live ${a.live} with ${vs.length} versions`);
    if (a.live !== null && !vs.some((x) => x.id === a.live)) v.push(`agent ${id}: live pointer ${a.live} is not one of its versions`);
    if ((a.status === 'published') !== (a.live !== null)) v.push(`agent ${id}: status ${a.status}, live ${a.live}`);
  }
  for (const k of keys) {
    const evs = (evBy.get(k.id as string) ?? []).filter((e) => e.type === 'api_key');
    const creates = evs.filter((e) => e.action === 'api_key.create').length;
    const revokes = evs.filter((e) => e.action === 'api_key.revoke').length;
    if (creates !== 1) v.push(`key ${k.id}: ${creates} create events`);
    if (revokes !== (k.revoked ? 1 : 0)) v.push(`key ${k.id}: revoked ${k.revoked}, ${revokes} revoke events`);
  }
  for (const e of events) {
    const exists = e.type === 'agent' ? agentIds.has(e.rid as string) : e.type === 'api_key' ? keyIds.has(e.rid as string) : false;
    if (!exists) v.push(`event ${e.id} (${e.action}) names ${e.type} ${e.rid}, which does not exist`);
  }
  for (const r of records) {
    const status = Number(r.status);
    if (status < 200 || status > 299) continue;
    let id: unknown;
    try {
      id = (JSON.parse(r.body as string) as { data?: { id?: unknown } }).data?.id;
    } catch {
      v.push(`idempotency record ${r.key}: body is not JSON`);
      continue;
    }
    const s = String(id);
    const exists = s.startsWith('agt_') ? agentIds.has(s) : s.startsWith('key_') ? keyIds.has(s) : s.startsWith('agv_') ? versionIds.has(s) : false;
    if (!exists) v.push(`idempotency record ${r.key}: answered ${s}, which does not exist`);
  }
  return {
    violations: v,
    counts: { agents: agents.length, events: events.length, versions: versions.length, keys: keys.length, idempotencyRecords: records.length },
  };
}
