import type { Static } from '@sinclair/typebox';
import type { Queryable, Tx } from '../../storage/db.js';
import type { ApiKey, ApiKeyCreated } from '../../contracts/api-keys.js';
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../../storage/repos/api-keys.js';
import { mintSecret } from '../../auth/key-format.js';
import { effectiveScopes, type Scope } from '../../auth/scopes.js';
import { ApiError } from '../../errors.js';
import { newId } from '../../ids.js';
import { isoMs } from '../../clock.js';
import type { ActorContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { CursorCodec, Page } from '../pagination.js';

/** A key as listed (never its secret or hash). */
export type ApiKeyView = Static<typeof ApiKey>;
/** A key as minted: `key`, the secret, is absent from idempotent replays. */
export type MintedKey = Static<typeof ApiKeyCreated>;

export function toApiKeyView(r: ApiKeyRow): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    scopes: r.scopes,
    start: r.start,
    createdAt: isoMs(r.createdAt),
    lastUsedAt: r.lastUsedAt ? isoMs(r.lastUsedAt) : null,
    revokedAt: r.revokedAt ? isoMs(r.revokedAt) : null,
  };
}

/**
 * Mints a key. `callerScopes` null = the operator (CLI), who may grant anything; a key may
 * never mint a scope it lacks (implied scopes count).
 */
export async function mintApiKey(
  q: Tx,
  ctx: ActorContext,
  input: { name: string; scopes: Scope[] },
  callerScopes: string[] | null,
): Promise<MintedKey> {
  const scopes = [...new Set(input.scopes)];
  if (callerScopes) {
    const have = effectiveScopes(callerScopes);
    const missing = scopes.filter((s) => !have.has(s));
    if (missing.length > 0) {
      throw new ApiError('insufficient_scope', `The calling key lacks the scopes it tries to grant: ${missing.join(', ')}`, { missingScopes: missing });
    }
  }
  const secret = mintSecret();
  const id = newId('key', ctx.now.getTime());
  await insertApiKey(q, ctx.organizationId, { id, name: input.name, scopes, start: secret.start, hash: secret.hash, createdAt: ctx.now });
  await recordAudit(q, ctx, { action: 'api_key.create', resourceType: 'api_key', resourceId: id });
  return { id, name: input.name, scopes, start: secret.start, createdAt: isoMs(ctx.now), key: secret.key };
}

export async function listKeys(q: Queryable, orgId: string, cursors: CursorCodec, p: { limit: number; cursor?: string }): Promise<Page<ApiKeyView>> {
  const beforeId = p.cursor ? cursors.decode(p.cursor, orgId, 'api-keys', {}) : undefined;
  const rows = await listApiKeys(q, orgId, { limit: p.limit + 1, beforeId });
  return cursors.page(rows, p.limit, orgId, 'api-keys', {}, toApiKeyView);
}

/** Revokes an active key of the organization; 404 when unknown, foreign or already revoked. */
export async function revokeKey(q: Tx, ctx: ActorContext, keyId: string): Promise<{ id: string; revoked: true }> {
  const row = await revokeApiKey(q, ctx.organizationId, keyId, ctx.now);
  if (!row) throw new ApiError('not_found', 'No such API key');
  await recordAudit(q, ctx, { action: 'api_key.revoke', resourceType: 'api_key', resourceId: keyId });
  return { id: keyId, revoked: true };
}
