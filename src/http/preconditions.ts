import type { FastifyInstance } from 'fastify';
import { parseIdempotencyKey, parseIfMatch } from './headers.js';
import type { Precondition } from '../domain/agents/agents.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route honours If-Match (PATCH/DELETE of agents, publish, rollback) */
    ifMatch?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey: string | null;
    ifMatch: Precondition;
  }
}

/**
 * Step 3 of api.md's check order, after parsing (413/415/malformed_json) and before the
 * request-shape validation: `If-Match` and `Idempotency-Key` must be well-formed. Also reads a
 * POST without body and without Content-Type as `{}`.
 */
export function registerPreconditions(app: FastifyInstance) {
  app.decorateRequest('idempotencyKey', null);
  app.decorateRequest('ifMatch', null);
  // callback style: this runs on every request, and an async hook costs a promise each time
  app.addHook('preValidation', (req, _reply, done) => {
    const config = req.routeOptions.config;
    if (!config?.scope) return done();
    try {
      if (req.method === 'POST') {
        if (req.body === undefined && req.headers['content-type'] === undefined) req.body = {};
        req.idempotencyKey = parseIdempotencyKey(req.headers['idempotency-key']);
      }
      // only routes with optimistic concurrency read If-Match; elsewhere it is ignored
      if (config.ifMatch) req.ifMatch = parseIfMatch(req.headers['if-match']);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });
}
