import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ApiKey as ApiKeySchema, ApiKeyCreateBody, ApiKeyCreated, ApiKeyRevoked } from '../contracts/api-keys.js';
import { named } from '../contracts/openapi-components.js';

const ApiKey = named('ApiKey', ApiKeySchema);
import { Envelope, ErrorsOf, IdParams, ListEnvelope, ListQuery } from '../contracts/common.js';
import { Type } from '@sinclair/typebox';
import { listKeys, mintApiKey, revokeKey } from '../domain/keys/api-keys.js';
import { ApiError } from '../errors.js';
import { isId } from '../ids.js';
import { sendWire } from '../http/wire.js';
import { DEFAULT_LIMIT } from '../domain/pagination.js';
import { actor, idempotentRequest, runOptions, type RouteDeps, ok, okPage } from './deps.js';

export function apiKeyRoutes(fastify: FastifyInstance, deps: RouteDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, cursors, idempotency } = deps;

  app.post('/api/v1/api-keys', {
    config: { scope: 'keys:write' },
    schema: {
      summary: 'Mint an API key (the secret is returned only here)', tags: ['api-keys'], security: [{ bearer: [] }], description: 'Requires the scope `keys:write`.',
      body: ApiKeyCreateBody,
      response: { 201: Envelope(ApiKeyCreated), ...ErrorsOf(400, 401, 403, 409, 413, 415, 422, 429) },
    },
  }, async (req, reply) => {
    const ctx = actor(req, clock);
    const body = req.body;
    const w = await idempotency.run(idempotentRequest(req), async (q) => {
      const key = await mintApiKey(q, ctx, body, req.principal!.scopes);
      return { status: 201, body: ok(key) };
    }, {
      ...runOptions(req, reply),
      // secrets are never stored: a replay answers without `key`
      redactForStore: (b) => {
        const env = b as { data?: Record<string, unknown> };
        if (!env.data || !('key' in env.data)) return b;
        const { key: _secret, ...data } = env.data;
        return { ...env, data };
      },
    });
    return sendWire(reply, w);
  });

  app.get('/api/v1/api-keys', {
    config: { scope: 'keys:read' },
    schema: {
      summary: 'List API keys, newest first (never secrets)', tags: ['api-keys'], security: [{ bearer: [] }], description: 'Requires the scope `keys:read`.',
      querystring: Type.Object(ListQuery),
      response: { 200: ListEnvelope(ApiKey), ...ErrorsOf(400, 401, 403, 429) },
    },
  }, async (req) => {
    const { limit = DEFAULT_LIMIT, cursor } = req.query;
    const page = await listKeys(db, req.principal!.organizationId, cursors, { limit, cursor });
    return okPage(page);
  });

  app.delete('/api/v1/api-keys/:id', {
    config: { scope: 'keys:write' },
    schema: {
      summary: 'Revoke an API key at once', tags: ['api-keys'], security: [{ bearer: [] }], description: 'Requires the scope `keys:write`.',
      params: IdParams,
      response: { 200: Envelope(ApiKeyRevoked), ...ErrorsOf(401, 403, 404, 429) },
    },
  }, async (req) => {
    const { id } = req.params;
    if (!isId('key', id)) throw new ApiError('not_found', 'No such API key');
    const ctx = actor(req, clock);
    const data = await db.tx((q) => revokeKey(q, ctx, id));
    return ok(data);
  });
}
