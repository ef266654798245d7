/**
 * The Flowyte SDK: one typed call per operation of the v1 API, on openapi-fetch and the types
 * generated from the committed OpenAPI document, plus `updateAgentWithRebase` (api.md
 * "Optimistic concurrency": on 409 the body carries the current agent, so a client rebases).
 */
import createFetchClient from 'openapi-fetch';
import type { components, paths } from './openapi-types.js';
import { FlowyteError, isProblem } from './errors.js';

export { FlowyteError } from './errors.js';
export type { FieldError, Problem } from './errors.js';
export type { components, paths } from './openapi-types.js';

type S = components['schemas'];
export type Agent = S['Agent'];
export type AgentCreate = S['AgentCreate'];
export type AgentPatch = S['AgentPatch'];
export type AgentVersion = S['AgentVersion'];
export type Diff = S['Diff'];
export type LiveConfig = S['LiveConfig'];
export type ApiKey = S['ApiKey'];
export type Me = S['Me'];
type Q<P extends keyof paths, M extends 'get'> = NonNullable<paths[P][M] extends { parameters: { query?: infer T } } ? T : never>;
type B<P extends keyof paths, M extends 'post'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;
export type ApiKeyCreate = B<'/api/v1/api-keys', 'post'>;
export type PublishBody = B<'/api/v1/agents/{id}/publish', 'post'>;
export type AgentListQuery = Q<'/api/v1/agents', 'get'>;
export type LiveQuery = Q<'/api/v1/agents/{id}/live', 'get'>;
export type HoursQuery = Q<'/api/v1/agents/{id}/hours', 'get'>;
export type AuditQuery = Q<'/api/v1/audit-events', 'get'>;
export type VersionListQuery = Q<'/api/v1/agents/{id}/versions', 'get'>;
export type ApiKeyListQuery = Q<'/api/v1/api-keys', 'get'>;

export interface ClientOptions {
  /** the server's origin, e.g. `http://127.0.0.1:8080` (the paths carry `/api/v1`) */
  baseUrl: string;
  apiKey: string;
  /** a fetch implementation (default: the global one) */
  fetch?: typeof globalThis.fetch;
}

export interface IfMatchOptions {
  /** the version the change was made against (`If-Match`); omitted = unconditional */
  ifMatch?: number;
}

/** POST options: `Idempotency-Key` is honoured on POST only (api.md). */
export interface WriteOptions extends IfMatchOptions {
  idempotencyKey?: string;
}

export interface RebaseResult {
  agent: Agent;
  /** how many 409s were rebased over */
  rebases: number;
  /** fields (dotted paths) this patch sets that an edit made elsewhere had changed to another value (this patch's value won) */
  overlapping: string[];
  /**
   * lists (dotted paths) both this patch and an edit made elsewhere changed, merged item by item:
   * their added items kept, their removed items dropped, this patch's additions and removals applied
   */
  mergedLists: string[];
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The success body's `data`, or a FlowyteError. */
function unwrap<T>(r: Answer<{ data: T }>): T {
  if (r.error !== undefined || !r.data) {
    throw new FlowyteError(r.response.status, isProblem(r.error) ? r.error : null, `HTTP ${r.response.status}`);
  }
  return r.data.data;
}

function headers(o: WriteOptions = {}): Record<string, string> {
  const h: Record<string, string> = {};
  if (o.ifMatch !== undefined) h['if-match'] = `"${o.ifMatch}"`;
  if (o.idempotencyKey !== undefined) h['idempotency-key'] = o.idempotencyKey;
  return h;
}

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The leaves of a merge patch that change something relative to `base` (objects merge member by
 * member, so they are walked; arrays and scalars are leaves). Members equal to `base` — the
 * read-only fields of a GET body sent back, or fields the user did not touch — are not pending:
 * re-sending them after a conflict would overwrite someone else's newer value.
 */
function pendingLeaves(base: unknown, patch: Record<string, unknown>, path: string[] = []): { path: string[]; value: unknown }[] {
  const out: { path: string[]; value: unknown }[] = [];
  const b = isObject(base) ? base : {};
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (isObject(v) && isObject(b[k])) out.push(...pendingLeaves(b[k], v, [...path, k]));
    else if (!isEqual(v, b[k])) out.push({ path: [...path, k], value: v });
  }
  return out;
}

/**
 * Three-way merge of a list both sides changed since `base`: starts from `mine` (order kept),
 * drops the items the other side removed (that this side kept as they were), and appends the
 * items the other side added. Items are compared whole (a changed item is a removal plus an
 * addition), so a list never loses an item either side added.
 */
export function mergeLists(base: unknown[], mine: unknown[], theirs: unknown[]): unknown[] {
  const has = (list: unknown[], x: unknown) => list.some((y) => isEqual(x, y));
  const out = mine.filter((x) => !(has(base, x) && !has(theirs, x)));
  for (const t of theirs) if (!has(base, t) && !has(out, t)) out.push(t);
  return out;
}

function at(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

function patchOf(leaves: { path: string[]; value: unknown }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (o: Record<string, unknown>, k: string, v: unknown) =>
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true }); // any key name is data
  for (const { path, value } of leaves) {
    let o = out;
    for (const k of path.slice(0, -1)) {
      if (!isObject(o[k]) || !Object.prototype.hasOwnProperty.call(o, k)) set(o, k, {});
      o = o[k] as Record<string, unknown>;
    }
    set(o, path[path.length - 1]!, value);
  }
  return out;
}

/** A fetch whose failures (no answer at all) are FlowyteErrors too. */
function typedFetch(f: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    try {
      return await f(input, init);
    } catch (err) {
      throw new FlowyteError(0, null, `No answer from the server: ${(err as Error).message}`);
    }
  };
}

export function createClient(opts: ClientOptions) {
  const raw = createFetchClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${opts.apiKey}` },
    fetch: typedFetch(opts.fetch),
  });
  const id = (v: string) => ({ path: { id: v } });
  const ver = (agentId: string, versionId: string) => ({ path: { id: agentId, versionId } });

  const client = {
    /** openapi-fetch itself, for anything not wrapped here */
    raw,

    // agents (agent.md)
    listAgents: async (query: AgentListQuery = {}) => {
      const r = await raw.GET('/api/v1/agents', { params: { query } });
      return { items: unwrap(r), pagination: r.data!.pagination };
    },
    createAgent: async (body: AgentCreate, o: WriteOptions = {}) =>
      unwrap(await raw.POST('/api/v1/agents', { body, headers: headers(o) })),
    getAgent: async (agentId: string) => unwrap(await raw.GET('/api/v1/agents/{id}', { params: id(agentId) })),
    updateAgent: async (agentId: string, patch: AgentPatch, o: IfMatchOptions = {}) =>
      unwrap(await raw.PATCH('/api/v1/agents/{id}', { params: id(agentId), body: patch, headers: headers(o) })),
    deleteAgent: async (agentId: string, o: IfMatchOptions = {}) =>
      unwrap(await raw.DELETE('/api/v1/agents/{id}', { params: id(agentId), headers: headers(o) })),

    // publishing (lifecycle.md)
    publishAgent: async (agentId: string, body: PublishBody = {}, o: WriteOptions = {}) =>
      unwrap(await raw.POST('/api/v1/agents/{id}/publish', { params: id(agentId), body, headers: headers(o) })),
    rollbackAgent: async (agentId: string, versionId: string, o: WriteOptions = {}) =>
      unwrap(await raw.POST('/api/v1/agents/{id}/rollback', { params: id(agentId), body: { versionId }, headers: headers(o) })),
    listVersions: async (agentId: string, query: VersionListQuery = {}) => {
      const r = await raw.GET('/api/v1/agents/{id}/versions', { params: { ...id(agentId), query } });
      return { items: unwrap(r), pagination: r.data!.pagination };
    },
    getVersion: async (agentId: string, versionId: string) =>
      unwrap(await raw.GET('/api/v1/agents/{id}/versions/{versionId}', { params: ver(agentId, versionId) })),
    diffVersion: async (agentId: string, versionId: string, against?: string) =>
      unwrap(await raw.GET('/api/v1/agents/{id}/versions/{versionId}/diff', { params: { ...ver(agentId, versionId), query: against ? { against } : {} } })),
    getLiveConfig: async (agentId: string, query: LiveQuery) =>
      unwrap(await raw.GET('/api/v1/agents/{id}/live', { params: { ...id(agentId), query } })),
    getHours: async (agentId: string, query: HoursQuery = {}) =>
      unwrap(await raw.GET('/api/v1/agents/{id}/hours', { params: { ...id(agentId), query } })),

    /** The presented key: its organization and scopes (any valid key may ask). */
    me: async () => unwrap(await raw.GET('/api/v1/me')),

    // keys and audit (api.md)
    listApiKeys: async (query: ApiKeyListQuery = {}) => {
      const r = await raw.GET('/api/v1/api-keys', { params: { query } });
      return { items: unwrap(r), pagination: r.data!.pagination };
    },
    createApiKey: async (body: ApiKeyCreate, o: WriteOptions = {}) =>
      unwrap(await raw.POST('/api/v1/api-keys', { body, headers: headers(o) })),
    revokeApiKey: async (keyId: string) => unwrap(await raw.DELETE('/api/v1/api-keys/{id}', { params: id(keyId) })),
    listAuditEvents: async (query: AuditQuery = {}) => {
      const r = await raw.GET('/api/v1/audit-events', { params: { query } });
      return { items: unwrap(r), pagination: r.data!.pagination };
    },

    /**
     * A merge patch made against `base` (the agent as the user last saw it), sent with
     * `If-Match: base.version`. Only its pending leaves are sent: members equal to `base` (say,
     * the read-only fields of a GET body sent back) are left out. On 409 `version_conflict` the
     * error body carries the current agent: the pending leaves are sent again on top of it with
     * its version, up to `maxAttempts` sends in all (1–10, default 3); then the FlowyteError (409)
     * is thrown. An edit made elsewhere survives unless it changed a leaf this patch sets too;
     * those leaves are reported in `overlapping` (dotted paths; this patch's value won), except
     * lists both sides changed, which are merged item by item (`mergeLists`, `mergedLists`).
     */
    async updateAgentWithRebase(base: Agent, patch: AgentPatch | Partial<Agent>, o: { maxAttempts?: number } = {}): Promise<RebaseResult> {
      const requested = Number.isFinite(o.maxAttempts) ? Math.floor(o.maxAttempts!) : 3;
      const maxAttempts = Math.min(10, Math.max(1, requested));
      const leaves = pendingLeaves(base, patch as Record<string, unknown>);
      let pending = patchOf(leaves) as AgentPatch;
      let current: Agent = base;
      const overlapping = new Set<string>();
      const mergedLists = new Set<string>();
      for (let attempt = 1; ; attempt++) {
        try {
          const agent = await client.updateAgent(base.id, pending, { ifMatch: current.version });
          return { agent, rebases: attempt - 1, overlapping: [...overlapping].sort(), mergedLists: [...mergedLists].sort() };
        } catch (err) {
          const conflict = err instanceof FlowyteError && err.code === 'version_conflict' && err.body?.data;
          if (!conflict || attempt >= maxAttempts) throw err;
          const latest = err.body!.data as Agent;
          const sent: typeof leaves = [];
          for (const leaf of leaves) {
            const mine = at(base, leaf.path);
            const theirs = at(latest, leaf.path);
            const key = leaf.path.join('.');
            if (isEqual(mine, theirs) || isEqual(theirs, leaf.value)) {
              sent.push(leaf);
            } else if (Array.isArray(mine) && Array.isArray(theirs) && Array.isArray(leaf.value)) {
              // a list both sides changed: keep both sides' items
              sent.push({ path: leaf.path, value: mergeLists(mine, leaf.value, theirs) });
              mergedLists.add(key);
            } else {
              sent.push(leaf);
              overlapping.add(key);
            }
          }
          pending = patchOf(sent) as AgentPatch;
          current = latest;
        }
      }
    },
  };
  return client;
}

export type FlowyteClient = ReturnType<typeof createClient>;
