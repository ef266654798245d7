import { Type } from '@sinclair/typebox';
import { InstantParam, ListQuery } from './common.js';
import { StringEnum } from './agent.js';

export const AUDIT_ACTIONS = ['agent.create', 'agent.update', 'agent.delete', 'agent.publish', 'agent.rollback', 'api_key.create', 'api_key.revoke'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEvent = Type.Object({
  id: Type.String({ examples: ['evt_01JD3ZK7X8V2Q5M1N9P4R6T0WA'] }),
  at: Type.String({ format: 'date-time' }),
  actorKeyId: Type.Union([Type.String(), Type.Null()], { description: 'null when the operator acted through the CLI' }),
  requestId: Type.String(),
  action: Type.String({ examples: ['agent.update'] }),
  resourceType: Type.String({ examples: ['agent'] }),
  resourceId: Type.String(),
  agentVersionBefore: Type.Union([Type.Integer(), Type.Null()]),
  agentVersionAfter: Type.Union([Type.Integer(), Type.Null()]),
  changedFields: Type.Array(Type.String()),
});

export const AuditQuery = Type.Object({
  ...ListQuery,
  resourceId: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(StringEnum(AUDIT_ACTIONS)),
  actorKeyId: Type.Optional(Type.String({ maxLength: 64 })),
  since: Type.Optional(InstantParam('RFC 3339 instant, inclusive')),
  until: Type.Optional(InstantParam('RFC 3339 instant, exclusive')),
});
