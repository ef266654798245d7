export const OPENAPI_INFO = {
  title: 'Flowyte Agents API',
  version: '1.0.0',
  description: [
    'Control-plane API for AI voice and chat agents. Every resource lives under `/api/v1`.',
    '',
    'Authenticate with `Authorization: Bearer flowyte_sk_live_…`; each operation names the scope it needs.',
    'Errors are `application/problem+json` and also carry the envelope fields (`success: false`, `code`, `requestId`).',
    'Agents support `ETag` / `If-Match` (409 `version_conflict` with the current agent), `If-None-Match` (304),',
    'and every POST honours `Idempotency-Key`.',
  ].join('\n'),
};
