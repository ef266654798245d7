import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../storage/db.js';
import type { Clock } from '../clock.js';
import type { CursorCodec } from '../domain/pagination.js';
import type { IdempotencyService, IdempotentRequest, RunOptions } from '../domain/idempotency.js';
import { arrivalOf } from '../http/connections.js';
import type { LiveConfigService } from '../domain/live/live-config.js';
import type { RecentAgents } from '../domain/agents/agents.js';
import type { ActorContext } from '../domain/context.js';
import { principalOf } from '../http/auth-hook.js';
import { instanceOf, problemBody } from '../http/problem.js';

/** What route plugins are given by buildApp. */
export interface RouteDeps {
  db: Db;
  clock: Clock;
  cursors: CursorCodec;
  idempotency: IdempotencyService;
  live: LiveConfigService;
  /** agents as this process last wrote them: PATCH plans from them, its conditional write checks them */
  recentAgents: RecentAgents;
}

export function actor(req: FastifyRequest, clock: Clock): ActorContext {
  const p = principalOf(req);
  return { organizationId: p.organizationId, keyId: p.keyId, requestId: req.id, now: new Date(clock.now()) };
}

/** The idempotency request of a POST, or null when it carries no Idempotency-Key. */
export function idempotentRequest(req: FastifyRequest): IdempotentRequest | null {
  if (!req.idempotencyKey) return null;
  return {
    organizationId: principalOf(req).organizationId,
    key: req.idempotencyKey,
    method: req.method,
    route: req.routeOptions.url ?? req.url,
    params: (req.params ?? {}) as Record<string, string>,
    body: req.body,
    arrival: arrivalOf(req),
  };
}

export function runOptions(req: FastifyRequest, reply: FastifyReply): RunOptions {
  return {
    renderError: (err) => problemBody(err, req.id, instanceOf(req.url)),
    // the route's response schema serialises success bodies, so POST and GET agree byte for byte
    serialize: (status, body) => String(reply.code(status).serialize(body)),
  };
}

/** The success envelope (api.md): `{ success: true, data }`. */
export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

/** The success envelope of a list page. */
export function okPage<T>(page: { items: T[]; pagination: { limit: number; nextCursor: string | null; hasMore: boolean } }) {
  return { success: true as const, data: page.items, pagination: page.pagination };
}
