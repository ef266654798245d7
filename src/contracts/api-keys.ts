import { Type } from '@sinclair/typebox';
import { SCOPES } from '../auth/scopes.js';

export const ScopeSchema = Type.Unsafe<(typeof SCOPES)[number]>({ type: 'string', enum: [...SCOPES], description: 'a scope name of api.md' });

export const ApiKeyCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, examples: ['CI deploy key'] }),
    scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 20, examples: [['agents:read', 'agents:draft']] }),
  },
  { additionalProperties: false },
);

export const ApiKeyCreated = Type.Object({
  id: Type.String({ examples: ['key_01JD3ZK7X8V2Q5M1N9P4R6T0WA'] }),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  start: Type.String({ examples: ['flowyte_sk_live_3xQ'] }),
  createdAt: Type.String({ format: 'date-time' }),
  key: Type.Optional(Type.String({ description: 'the secret, shown only in the first answer (absent from idempotent replays)' })),
});

export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  start: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ApiKeyRevoked = Type.Object({ id: Type.String(), revoked: Type.Literal(true) });
