import { Type, type TSchema } from '@sinclair/typebox';
import { ERROR_CATALOG } from '../errors.js';
import { named } from './openapi-components.js';
import { FORMATS } from './formats.js';

/** `{ success: true, data }` */
export const Envelope = <T extends TSchema>(data: T) =>
  Type.Object({ success: Type.Literal(true), data }, { additionalProperties: false });

export const Pagination = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100 }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` to get the next page; null on the last page' }),
  hasMore: Type.Boolean(),
});

export const ListEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({ success: Type.Literal(true), data: Type.Array(item), pagination: Pagination }, { additionalProperties: false });

export const FieldErrorSchema = Type.Object({ field: Type.String(), message: Type.String() });

/** The problem+json error body; every member an error may carry is declared. */
export const ProblemSchema = Type.Object(
  {
    success: Type.Literal(false),
    type: Type.String({ examples: ['https://flowyte.dev/errors/validation_error'] }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.Union(Object.keys(ERROR_CATALOG).map((c) => Type.Literal(c))),
    detail: Type.String(),
    message: Type.String(),
    instance: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
    requiredScope: Type.Optional(Type.String()),
    missingScopes: Type.Optional(Type.Array(Type.String())),
    currentVersion: Type.Optional(Type.Integer({ description: 'on version_conflict: the current version' })),
    data: Type.Optional(Type.Unknown({ description: 'on version_conflict: the current resource' })),
  },
  { description: 'RFC 9457 problem details, also carrying the envelope fields' },
);

/** Query parameters of every list (api.md "Pagination"); typed, validated by the compiled validator. */
export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'page size 1–100 (default 20)' })),
  cursor: Type.Optional(Type.String({ maxLength: 2048, description: 'opaque, from pagination.nextCursor' })),
};

/** An RFC 3339 instant as a query parameter (src/contracts/instant.ts). */
export const InstantParam = (description: string) =>
  Type.String({ maxLength: 64, format: FORMATS.instant, description, examples: ['2026-12-24T22:00:00Z'] });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'validation_error, malformed_json, invalid_header or invalid_cursor',
  401: 'unauthorized: missing, malformed, unknown or revoked key',
  403: 'insufficient_scope: the key lacks the scope (requiredScope) or, minting a key, scopes it tries to grant (missingScopes)',
  404: 'not_found',
  409: 'version_conflict (with currentVersion and data), duplicate_name, idempotency_in_progress, nothing_to_publish, no_published_version, channel_disabled, agent_inactive',
  413: 'payload_too_large: body over 256 KiB',
  415: 'unsupported_media_type: not JSON',
  422: 'idempotency_key_reuse: the Idempotency-Key was used with a different request',
  429: 'rate_limited; see Retry-After',
};

/** Error responses of a route, for the OpenAPI document. */
export function ErrorsOf(...statuses: number[]) {
  const out: Record<number, unknown> = {};
  for (const s of statuses) out[s] = { ...named('Problem', ProblemSchema), description: ERROR_DESCRIPTIONS[s] ?? 'error' };
  return out;
}
