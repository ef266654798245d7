import type { Db, Queryable, Tx } from '../../storage/db.js';
import {
  getAgent, getAgentForUpdate, insertAgent, insertAgentAtOnce, isDuplicateName, listAgents, softDeleteAgent, updateAgent, updateAgentIfVersion,
  type AgentRow,
} from '../../storage/repos/agents.js';
import type { IdempotencyClaim } from '../../storage/repos/idempotency.js';
import { ApiError, validationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { isoMs } from '../../clock.js';
import type { ActorContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { CursorCodec, Page } from '../pagination.js';
import type { Static } from '@sinclair/typebox';
import { AGENT_FIELDS, type AgentListQuery as AgentListQuerySchema, type AgentView, type ReadOnlyField } from '../../contracts/agent.js';
import { hasOwn, jsonbOrdered } from './json.js';
import { LruCache } from '../lru.js';
import { draftDiffersFromLive, versionedConfigOf } from './versions.js';
import { changedFields, configsEqual, createAgentConfig, nameKey, patchAgentConfig, type AgentConfig } from './config.js';

/** `If-Match` as parsed by the HTTP layer: a version, `*` (any), or absent. */
export type Precondition = number | '*' | null;

type Bookkeeping = Pick<AgentView, ReadOnlyField>;

/** The agent as GET returns it, members in agent.md's table order (the schema's). */
export function toAgentView(row: AgentRow): AgentView {
  const c = row.config;
  const ro: Bookkeeping = {
    id: row.id,
    organizationId: row.organizationId,
    version: row.version,
    status: row.status,
    hasUnpublishedChanges: row.hasUnpublishedChanges,
    publishedVersionId: row.publishedVersionId,
    createdBy: row.createdBy,
    createdAt: isoMs(row.createdAt),
    updatedAt: isoMs(row.updatedAt),
  };
  const view: Record<string, unknown> = {};
  for (const f of AGENT_FIELDS) view[f] = hasOwn(ro, f) ? ro[f as ReadOnlyField] : f === 'isActive' ? row.isActive : c[f];
  return view as AgentView;
}

export function notFound(): ApiError {
  return new ApiError('not_found', 'No such agent');
}

function duplicateName(name: string): ApiError {
  return new ApiError('duplicate_name', `Another agent of this organization is already named "${name}"`);
}

async function nameTaken(q: Queryable, orgId: string, key: string, exceptId: string | null): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 FROM agents WHERE organization_id = $1 AND name_key = $2 AND deleted_at IS NULL AND ($3::text IS NULL OR id <> $3)',
    [orgId, key, exceptId],
  );
  return rows.length > 0;
}

/** Unique-index violations (a concurrent rename or create won the race) are duplicate_name too. */
async function guardName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateName(err)) throw duplicateName(name);
    throw err;
  }
}

/** A validated new agent: its row, as it will be stored (config in jsonb's member order). */
function planCreate(ctx: ActorContext, body: Record<string, unknown>): Omit<AgentRow, 'organizationId'> & { nameKey: string } {
  const r = createAgentConfig(body);
  if (!r.ok) throw validationError(r.errors);
  const config = r.config;
  return {
    id: newId('agt', ctx.now.getTime()),
    nameKey: nameKey(config.name),
    version: 1,
    status: 'draft',
    hasUnpublishedChanges: true,
    publishedVersionId: null,
    isActive: config.isActive,
    config: jsonbOrdered(config as unknown as Record<string, unknown>),
    createdBy: ctx.keyId ?? 'cli',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

export async function createAgent(q: Tx, ctx: ActorContext, body: Record<string, unknown>): Promise<AgentView> {
  const planned = planCreate(ctx, body);
  const name = planned.config.name as string;
  if (await nameTaken(q, ctx.organizationId, planned.nameKey, null)) throw duplicateName(name);
  const row = await guardName(name, () => insertAgent(q, ctx.organizationId, planned));
  await recordAudit(q, ctx, { action: 'agent.create', resourceType: 'agent', resourceId: row.id, before: null, after: 1, changedFields: [] });
  return toAgentView(row);
}

/**
 * The same create as one statement (agent, audit row and, given a claim, the idempotency record;
 * one round trip): the agent it will answer, and `write`, which reports `failed` when the full
 * path must answer instead (a taken name: it answers duplicate_name and records it). Throws what
 * `createAgent` would before any lookup (validation).
 */
export function createAgentAtOnce(db: Db, ctx: ActorContext, body: Record<string, unknown>) {
  const planned = planCreate(ctx, body);
  const audit = { id: newId('evt', ctx.now.getTime()), actorKeyId: ctx.keyId, requestId: ctx.requestId, action: 'agent.create', changedFields: [] };
  return {
    agent: toAgentView({ ...planned, organizationId: ctx.organizationId }),
    async write(claim: IdempotencyClaim | null): Promise<'done' | 'busy' | 'exists' | 'failed'> {
      try {
        return await insertAgentAtOnce(db, ctx.organizationId, planned, audit, claim);
      } catch (err) {
        if (isDuplicateName(err)) return 'failed';
        throw err;
      }
    },
  };
}

export async function getAgentView(q: Queryable, orgId: string, id: string): Promise<AgentView> {
  const row = await getAgent(q, orgId, id);
  if (!row) throw notFound();
  return toAgentView(row);
}

/** The list query as the route validated it, with the page size settled. */
export type AgentListQuery = Static<typeof AgentListQuerySchema> & { limit: number };

export async function listAgentViews(q: Queryable, orgId: string, cursors: CursorCodec, f: AgentListQuery): Promise<Page<AgentView>> {
  const trimmed = f.q?.trim();
  const filters = { status: f.status ?? null, isActive: f.isActive ?? null, q: trimmed ? nameKey(trimmed) : null };
  const beforeId = f.cursor ? cursors.decode(f.cursor, orgId, 'agents', filters) : undefined;
  const rows = await listAgents(q, orgId, {
    limit: f.limit + 1,
    beforeId,
    status: f.status,
    isActive: f.isActive,
    nameContains: filters.q ?? undefined,
  });
  return cursors.page(rows, f.limit, orgId, 'agents', filters, toAgentView);
}

export function checkPrecondition(row: AgentRow, ifMatch: Precondition): void {
  if (ifMatch === null || ifMatch === '*' || ifMatch === row.version) return;
  throw conflict(row);
}

function conflict(row: AgentRow): ApiError {
  return new ApiError('version_conflict', `The agent is at version ${row.version}`, { currentVersion: row.version, data: toAgentView(row) });
}

/** What a merge patch does to a row: nothing (an unchanged config), or this next config. */
type PatchPlan =
  | { kind: 'unchanged'; view: AgentView }
  | { kind: 'write'; config: AgentConfig; key: string; changedFields: string[] };

/** Applies the patch to the row's draft and validates the result (pure; throws 400 / 409). */
function planPatch(row: AgentRow, patch: Record<string, unknown>, ifMatch: Precondition): PatchPlan {
  checkPrecondition(row, ifMatch);
  const current = toAgentView(row);
  const r = patchAgentConfig(current, patch);
  if (!r.ok) {
    if ('versionConflict' in r) throw conflict(row);
    throw validationError(r.errors);
  }
  const before = row.config as unknown as AgentConfig;
  if (configsEqual(r.config, before)) return { kind: 'unchanged', view: current };
  return { kind: 'write', config: r.config, key: nameKey(r.config.name), changedFields: changedFields(before, r.config) };
}

/** Lost races an unconditional PATCH retries optimistically before it takes the row lock. */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Agents as this process last wrote them, by organization and id (a small LRU): an editor saving
 * the same draft again and again (autosave) is patched without reading it first. Never trusted
 * on its own: the write is conditional on the version, so a row another process changed simply
 * fails it and is read afresh. Another tenant's entry is unreachable (the key has the
 * organization).
 */
export class RecentAgents {
  private rows: LruCache<string, AgentRow>;
  constructor(max = 256) {
    this.rows = new LruCache(max);
  }

  get(orgId: string, id: string): AgentRow | undefined {
    return this.rows.get(`${orgId}\u0000${id}`);
  }

  set(row: AgentRow): void {
    this.rows.set(`${row.organizationId}\u0000${row.id}`, row);
  }

  forget(orgId: string, id: string): void {
    this.rows.delete(`${orgId}\u0000${id}`);
  }
}

/**
 * JSON Merge Patch of the draft; a patch that changes nothing keeps the version and writes nothing.
 *
 * Optimistic: the row is read without a lock (or taken from `recent`, when it is at the version
 * an If-Match names), the patch applied and validated, and the new state written with its audit
 * row in one statement that only succeeds if the agent is still at that version (two round
 * trips, one when the row was recent; no explicit transaction). If it lost a race, an `If-Match`
 * request answers 409 with the agent as it now is (its precondition no longer holds); one
 * without retries on the new state, and after OPTIMISTIC_ATTEMPTS takes the row lock. A rename
 * onto a taken name fails on the unique index (duplicate_name).
 */
export async function patchAgent(
  db: Db, ctx: ActorContext, id: string, patch: Record<string, unknown>, ifMatch: Precondition, recent: RecentAgents | null = null,
): Promise<AgentView> {
  const org = ctx.organizationId;
  for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
    const cached = attempt === 0 ? recent?.get(org, id) : undefined;
    let row = cached && (typeof ifMatch !== 'number' || cached.version === ifMatch) ? cached : undefined;
    let plan: PatchPlan | undefined;
    if (row) {
      // only a write is planned from memory: an error, or "nothing changed" (which answers the
      // agent as it is), is decided on the row as it is in the database
      try {
        plan = planPatch(row, patch, ifMatch);
      } catch {
        plan = undefined;
      }
      if (plan?.kind === 'unchanged') plan = undefined;
    }
    if (!plan) {
      row = (await getAgent(db, org, id)) ?? undefined;
      if (!row) throw notFound();
      plan = planPatch(row, patch, ifMatch);
    }
    if (plan.kind === 'unchanged') return plan.view;
    const base = row!;
    const { config, key } = plan;
    const written = await guardName(config.name, () =>
      updateAgentIfVersion(db, org, id, base.version, {
        nameKey: key,
        isActive: config.isActive,
        config: config as unknown as Record<string, unknown>,
        versioned: versionedConfigOf(config as unknown as Record<string, unknown>) as unknown as Record<string, unknown>,
        updatedAt: ctx.now,
      }, { id: newId('evt', ctx.now.getTime()), actorKeyId: ctx.keyId, requestId: ctx.requestId, action: 'agent.update', changedFields: plan.changedFields }),
    );
    if (written) {
      // the config as a read would give it back (jsonb's member order)
      const next: AgentRow = { ...written, config: jsonbOrdered(config as unknown as Record<string, unknown>) };
      recent?.set(next);
      return toAgentView(next);
    }
    recent?.forget(org, id);
    if (typeof ifMatch === 'number') {
      // the version the client named was current when read and is not any more
      const now = await getAgent(db, org, id);
      if (!now) throw notFound();
      throw conflict(now);
    }
  }
  return db.tx((tx) => patchAgentLocked(tx, ctx, id, patch, ifMatch));
}

/** The same under the row lock, in one transaction: what a much-contended PATCH falls back to. */
async function patchAgentLocked(q: Tx, ctx: ActorContext, id: string, patch: Record<string, unknown>, ifMatch: Precondition): Promise<AgentView> {
  const row = await getAgentForUpdate(q, ctx.organizationId, id);
  if (!row) throw notFound();
  const plan = planPatch(row, patch, ifMatch);
  if (plan.kind === 'unchanged') return plan.view;
  const before = row.config as unknown as AgentConfig;
  if (plan.key !== nameKey(before.name) && (await nameTaken(q, ctx.organizationId, plan.key, id))) throw duplicateName(plan.config.name);
  const hasUnpublishedChanges = await draftDiffersFromLive(q, ctx.organizationId, row, plan.config);
  const next = await guardName(plan.config.name, () =>
    updateAgent(q, ctx.organizationId, id, {
      version: row.version + 1,
      nameKey: plan.key,
      isActive: plan.config.isActive,
      hasUnpublishedChanges,
      config: plan.config as unknown as Record<string, unknown>,
      updatedAt: ctx.now,
    }),
  );
  await recordAudit(q, ctx, {
    action: 'agent.update',
    resourceType: 'agent',
    resourceId: id,
    before: row.version,
    after: next.version,
    changedFields: plan.changedFields,
  });
  return toAgentView(next);
}

export async function deleteAgent(q: Tx, ctx: ActorContext, id: string, ifMatch: Precondition): Promise<{ id: string; deleted: true }> {
  const row = await getAgentForUpdate(q, ctx.organizationId, id);
  if (!row) throw notFound();
  checkPrecondition(row, ifMatch);
  await softDeleteAgent(q, ctx.organizationId, id, ctx.now);
  await recordAudit(q, ctx, { action: 'agent.delete', resourceType: 'agent', resourceId: id, before: row.version, after: null, changedFields: [] });
  return { id, deleted: true };
}
