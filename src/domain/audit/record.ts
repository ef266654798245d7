import type { Queryable } from '../../storage/db.js';
import { insertAuditEvent } from '../../storage/repos/audit-events.js';
import { newId } from '../../ids.js';
import type { ActorContext } from '../context.js';

export type AuditAction = 'agent.create' | 'agent.update' | 'agent.delete' | 'agent.publish' | 'agent.rollback' | 'api_key.create' | 'api_key.revoke';
export const AUDIT_ACTIONS: AuditAction[] = ['agent.create', 'agent.update', 'agent.delete', 'agent.publish', 'agent.rollback', 'api_key.create', 'api_key.revoke'];

/** Appends one audit event; always called inside the transaction of the change it records. */
export async function recordAudit(
  q: Queryable,
  ctx: ActorContext,
  e: { action: AuditAction; resourceType: 'agent' | 'api_key'; resourceId: string; before?: number | null; after?: number | null; changedFields?: string[] },
): Promise<void> {
  await insertAuditEvent(q, ctx.organizationId, {
    id: newId('evt', ctx.now.getTime()),
    at: ctx.now,
    actorKeyId: ctx.keyId,
    requestId: ctx.requestId,
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    agentVersionBefore: e.before ?? null,
    agentVersionAfter: e.after ?? null,
    changedFields: e.changedFields ?? [],
  });
}
