import { Type } from '@sinclair/typebox';
import { ListQuery } from './common.js';

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
  action: Type.Optional(Type.String({ maxLength: 64, description: 'agent.create, agent.update, agent.delete, agent.publish, agent.rollback, api_key.create, api_key.revoke' })),
  actorKeyId: Type.Optional(Type.String({ maxLength: 64 })),
  since: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601 instant, inclusive' })),
  until: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601 instant, exclusive' })),
});
