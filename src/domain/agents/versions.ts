/**
 * Publish, rollback, versions and diffs (lifecycle.md). Every write takes the agent's row lock
 * first, so version numbers are gapless and two concurrent publishes make one version.
 */
import type { Queryable, Tx } from '../../storage/db.js';
import { getAgent, getAgentForUpdate, setLiveVersion, type AgentRow } from '../../storage/repos/agents.js';
import { getVersion, insertNextVersion, listVersions, type AgentVersionRow } from '../../storage/repos/agent-versions.js';
import { READ_ONLY_FIELDS, VERSIONED_FIELDS, type VersionedConfig } from '../../contracts/agent.js';
import type { AgentVersionView, DiffView } from '../../contracts/versions.js';
import { ApiError } from '../../errors.js';
import { newId } from '../../ids.js';
import { isoMs } from '../../clock.js';
import { diffJson } from '../../engines/diff/index.js';
import type { ActorContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { CursorCodec, Page } from '../pagination.js';
import { checkPrecondition, notFound, toAgentView, type Precondition } from './agents.js';
import { deepEqual } from './json.js';

/** The part of a draft that a version freezes (lifecycle.md: all but the operational fields). */
export function versionedConfigOf(config: Record<string, unknown>): VersionedConfig {
  const out: Record<string, unknown> = {};
  for (const f of VERSIONED_FIELDS) out[f] = config[f];
  return out as VersionedConfig;
}

/** `hasUnpublishedChanges` of a draft: true before the first publish, else draft ≠ live version. */
export async function draftDiffersFromLive(q: Queryable, orgId: string, row: AgentRow, draft: object): Promise<boolean> {
  if (!row.publishedVersionId) return true;
  const live = await getVersion(q, orgId, row.id, row.publishedVersionId);
  return !live || !deepEqual(live.config, versionedConfigOf(draft as Record<string, unknown>));
}

export function toVersionView(v: AgentVersionRow, liveVersionId: string | null): AgentVersionView {
  return {
    id: v.id,
    agentId: v.agentId,
    number: v.number,
    note: v.note,
    config: v.config as VersionedConfig,
    publishedAt: isoMs(v.publishedAt),
    publishedBy: v.publishedBy,
    sourceAgentVersion: v.sourceAgentVersion,
    isLive: v.id === liveVersionId,
  };
}

function versionNotFound(): ApiError {
  return new ApiError('not_found', 'No such version of this agent');
}

/** The agent's read-only fields a lifecycle step changed (its audit `changedFields`). */
function changedBookkeeping(before: AgentRow, after: AgentRow): string[] {
  const a = toAgentView(before) as Record<string, unknown>;
  const b = toAgentView(after) as Record<string, unknown>;
  return READ_ONLY_FIELDS.filter((f) => f !== 'version' && f !== 'updatedAt' && !deepEqual(a[f], b[f])).sort();
}

/** Points the locked agent at a live version (its version + 1) and records the audit event. */
async function goLive(
  tx: Tx,
  ctx: ActorContext,
  action: 'agent.publish' | 'agent.rollback',
  row: AgentRow,
  versionId: string,
  hasUnpublishedChanges: boolean,
): Promise<void> {
  const next = await setLiveVersion(tx, ctx.organizationId, row.id, {
    version: row.version + 1,
    publishedVersionId: versionId,
    hasUnpublishedChanges,
    updatedAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action,
    resourceType: 'agent',
    resourceId: row.id,
    before: row.version,
    after: next.version,
    changedFields: changedBookkeeping(row, next),
  });
}

/** Freezes the draft into the next version and makes it live. */
export async function publishAgent(tx: Tx, ctx: ActorContext, agentId: string, note: string | null, ifMatch: Precondition): Promise<AgentVersionView> {
  const org = ctx.organizationId;
  const row = await getAgentForUpdate(tx, org, agentId);
  if (!row) throw notFound();
  checkPrecondition(row, ifMatch);
  const draft = versionedConfigOf(row.config);
  if (row.publishedVersionId) {
    const live = await getVersion(tx, org, agentId, row.publishedVersionId);
    if (live && deepEqual(live.config, draft)) {
      throw new ApiError('nothing_to_publish', `The draft equals the live version (number ${live.number})`);
    }
  }
  const v = await insertNextVersion(tx, org, {
    id: newId('agv', ctx.now.getTime()),
    agentId,
    note,
    config: draft as Record<string, unknown>,
    publishedAt: ctx.now,
    publishedBy: ctx.keyId,
    sourceAgentVersion: row.version,
  });
  await goLive(tx, ctx, 'agent.publish', row, v.id, false);
  return toVersionView(v, v.id);
}

/**
 * Points live traffic at any version of the agent; the draft is untouched. Rolling back to the
 * live version is a no-op that keeps the agent's version and records nothing.
 */
export async function rollbackAgent(tx: Tx, ctx: ActorContext, agentId: string, versionId: string, ifMatch: Precondition): Promise<AgentVersionView> {
  const org = ctx.organizationId;
  const row = await getAgentForUpdate(tx, org, agentId);
  if (!row) throw notFound();
  const v = await getVersion(tx, org, agentId, versionId);
  if (!v) throw versionNotFound();
  checkPrecondition(row, ifMatch);
  if (row.publishedVersionId === v.id) return toVersionView(v, v.id);
  await goLive(tx, ctx, 'agent.rollback', row, v.id, !deepEqual(v.config, versionedConfigOf(row.config)));
  return toVersionView(v, v.id);
}

async function liveAgent(q: Queryable, orgId: string, agentId: string): Promise<AgentRow> {
  const row = await getAgent(q, orgId, agentId);
  if (!row) throw notFound();
  return row;
}

export async function listAgentVersions(
  q: Queryable,
  orgId: string,
  cursors: CursorCodec,
  agentId: string,
  p: { limit: number; cursor?: string },
): Promise<Page<AgentVersionView>> {
  const agent = await liveAgent(q, orgId, agentId);
  const filters = { agentId };
  let beforeNumber: number | undefined;
  if (p.cursor) {
    const k = cursors.decode(p.cursor, orgId, 'versions', filters);
    if (!/^[1-9][0-9]{0,9}$/.test(k)) throw new ApiError('invalid_cursor', 'The cursor is not valid for this list');
    beforeNumber = Number(k);
  }
  const rows = await listVersions(q, orgId, agentId, { limit: p.limit + 1, beforeNumber });
  const hasMore = rows.length > p.limit;
  const items = rows.slice(0, p.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((v) => toVersionView(v, agent.publishedVersionId)),
    pagination: {
      limit: p.limit,
      nextCursor: hasMore && last ? cursors.encode(orgId, 'versions', filters, String(last.number)) : null,
      hasMore,
    },
  };
}

export async function getAgentVersion(q: Queryable, orgId: string, agentId: string, versionId: string): Promise<AgentVersionView> {
  const agent = await liveAgent(q, orgId, agentId);
  const v = await getVersion(q, orgId, agentId, versionId);
  if (!v) throw versionNotFound();
  return toVersionView(v, agent.publishedVersionId);
}

/** A version → the draft, or → another version of the same agent (`against`). */
export async function diffAgentVersion(q: Queryable, orgId: string, agentId: string, versionId: string, against: string | null): Promise<DiffView> {
  const agent = await liveAgent(q, orgId, agentId);
  const from = await getVersion(q, orgId, agentId, versionId);
  if (!from) throw versionNotFound();
  let to: { id: string; config: unknown };
  if (against === null) to = { id: 'draft', config: versionedConfigOf(agent.config) };
  else {
    const other = await getVersion(q, orgId, agentId, against);
    if (!other) throw versionNotFound();
    to = other;
  }
  return { from: from.id, to: to.id, changes: diffJson(from.config, to.config) };
}
