import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Envelope, ErrorsOf } from '../contracts/common.js';
import { Me } from '../contracts/me.js';
import { named } from '../contracts/openapi-components.js';
import { effectiveScopes, isScope, SCOPES } from '../auth/scopes.js';
import { principalOf } from '../http/auth-hook.js';
import { ok } from './deps.js';

/** Key introspection: any valid key may ask what it is allowed to do (the dashboard adapts to it). */
export function meRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/me', {
    config: { authenticated: true },
    schema: {
      summary: 'The presented API key: its organization and scopes', tags: ['api-keys'], security: [{ bearer: [] }],
      description: 'Any valid key may call it; no scope is needed. An extension of api.md.',
      response: { 200: Envelope(named('Me', Me)), ...ErrorsOf(401, 429) },
    },
  }, async (req) => {
    const p = principalOf(req);
    const effective = effectiveScopes(p.scopes);
    return ok({
      organizationId: p.organizationId,
      keyId: p.keyId,
      scopes: p.scopes.filter(isScope),
      effectiveScopes: SCOPES.filter((s) => effective.has(s)),
    });
  });
}
