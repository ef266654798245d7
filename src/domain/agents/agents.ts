import type { Queryable, Tx } from '../../storage/db.js';
import {
  getAgent, getAgentForUpdate, insertAgent, isDuplicateName, listAgents, softDeleteAgent, updateAgent, type AgentRow,
} from '../../storage/repos/agents.js';
import { ApiError, validationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { isoMs } from '../../clock.js';
import type { ActorContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { CursorCodec, Page } from '../pagination.js';
import type { Static } from '@sinclair/typebox';
import { AGENT_FIELDS, type AgentListQuery as AgentListQuerySchema, type AgentView, type ReadOnlyField } from '../../contracts/agent.js';
import { hasOwn } from './json.js';
import { draftDiffersFromLive } from './versions.js';
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

export async function createAgent(q: Tx, ctx: ActorContext, body: Record<string, unknown>): Promise<AgentView> {
  const r = createAgentConfig(body);
  if (!r.ok) throw validationError(r.errors);
  const config = r.config;
  const key = nameKey(config.name);
  if (await nameTaken(q, ctx.organizationId, key, null)) throw duplicateName(config.name);
  const id = newId('agt', ctx.now.getTime());
  const row = await guardName(config.name, () =>
    insertAgent(q, ctx.organizationId, {
      id,
      nameKey: key,
      version: 1,
      status: 'draft',
      hasUnpublishedChanges: true,
      publishedVersionId: null,
      isActive: config.isActive,
      config: config as unknown as Record<string, unknown>,
      createdBy: ctx.keyId ?? 'cli',
      createdAt: ctx.now,
      updatedAt: ctx.now,
    }),
  );
  await recordAudit(q, ctx, { action: 'agent.create', resourceType: 'agent', resourceId: id, before: null, after: 1, changedFields: [] });
  return toAgentView(row);
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

/** JSON Merge Patch of the draft; a patch that changes nothing keeps the version and writes nothing. */
export async function patchAgent(q: Tx, ctx: ActorContext, id: string, patch: Record<string, unknown>, ifMatch: Precondition): Promise<AgentView> {
  const row = await getAgentForUpdate(q, ctx.organizationId, id);
  if (!row) throw notFound();
  checkPrecondition(row, ifMatch);
  const current = toAgentView(row);
  const r = patchAgentConfig(current, patch);
  if (!r.ok) {
    if ('versionConflict' in r) throw conflict(row);
    throw validationError(r.errors);
  }
  const before = row.config as unknown as AgentConfig;
  if (configsEqual(r.config, before)) return current;
  const key = nameKey(r.config.name);
  if (key !== nameKey(before.name) && (await nameTaken(q, ctx.organizationId, key, id))) throw duplicateName(r.config.name);
  const hasUnpublishedChanges = await draftDiffersFromLive(q, ctx.organizationId, row, r.config);
  const next = await guardName(r.config.name, () =>
    updateAgent(q, ctx.organizationId, id, {
      version: row.version + 1,
      nameKey: key,
      isActive: r.config.isActive,
      hasUnpublishedChanges,
      config: r.config as unknown as Record<string, unknown>,
      updatedAt: ctx.now,
    }),
  );
  await recordAudit(q, ctx, {
    action: 'agent.update',
    resourceType: 'agent',
    resourceId: id,
    before: row.version,
    after: next.version,
    changedFields: changedFields(before, r.config),
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
