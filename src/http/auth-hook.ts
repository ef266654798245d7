import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { Scope } from '../auth/scopes.js';
import type { KeyVerifier, Principal } from '../auth/verifier.js';
import type { RateLimiter } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one (and without `authenticated`) are public. */
    scope?: Scope;
    /** The route needs a valid key but no particular scope (`GET /api/v1/me`). */
    authenticated?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const UNAUTHORIZED = 'A valid API key is required: Authorization: Bearer flowyte_sk_live_…';

/** Step 2 of api.md's check order: 401, then 403 naming the scope, then 429. */
export function registerAuth(app: FastifyInstance, verifier: KeyVerifier, limiter: RateLimiter) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    const scope = req.routeOptions.config?.scope;
    if (!scope && !req.routeOptions.config?.authenticated) return;
    const p = await verifier.verify(req.headers.authorization);
    if (!p) throw new ApiError('unauthorized', UNAUTHORIZED);
    const permitted = scope ? p.effective.has(scope) : true;
    // a 403 consumes nothing, but, being authenticated, still shows the bucket
    let d = limiter.enabled ? (permitted ? limiter.take(p.organizationId) : limiter.peek(p.organizationId)) : null;
    // only a request past its process's allowance while the shared bucket's sync is in flight waits
    if (d instanceof Promise) d = await d;
    if (d) {
      reply.header('ratelimit-limit', String(d.limit));
      reply.header('ratelimit-remaining', String(d.remaining));
      reply.header('ratelimit-reset', String(d.resetSeconds));
    }
    if (!permitted) {
      throw new ApiError('insufficient_scope', `This operation requires the scope ${scope}`, { requiredScope: scope });
    }
    req.principal = p;
    if (d && !d.allowed) {
      throw new ApiError('rate_limited', `Rate limit exceeded; retry in ${d.retryAfterSeconds} s`, { retryAfterSeconds: d.retryAfterSeconds });
    }
  });
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('route without a scope asked for the principal');
  return req.principal;
}
