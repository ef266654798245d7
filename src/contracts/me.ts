import { Type, type Static } from '@sinclair/typebox';
import { ScopeSchema } from './api-keys.js';

/** `GET /api/v1/me`: who the presented key is (an extension of api.md; see the README). */
export const Me = Type.Object({
  organizationId: Type.String({ examples: ['org_01JD3ZK7X8V2Q5M1N9P4R6T0WA'] }),
  keyId: Type.String({ examples: ['key_01JD3ZK7X8V2Q5M1N9P4R6T0WA'] }),
  scopes: Type.Array(ScopeSchema, { description: 'the scopes the key was minted with' }),
  effectiveScopes: Type.Array(ScopeSchema, { description: 'those scopes plus every scope they imply (what the server checks)' }),
});
export type Me = Static<typeof Me>;
