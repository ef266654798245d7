import type { components } from './openapi-types.js';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

/**
 * An API error (api.md envelope): branch on `status` + `code`; `errors` lists invalid fields.
 * Two codes are the SDK's own: `network_error` (status 0: no answer at all, e.g. offline) and
 * `http_error` (an answer that is not the API's problem body, e.g. a proxy's 502 page).
 */
export class FlowyteError extends Error {
  readonly status: number;
  readonly code: Problem['code'] | 'network_error' | 'http_error';
  readonly errors: FieldError[];
  readonly requestId: string | null;
  /** the whole problem body (on version_conflict: `currentVersion` and `data`, the current agent) */
  readonly body: Problem | null;

  constructor(status: number, body: Problem | null, fallback = 'Request failed') {
    super(body?.detail ?? fallback);
    this.name = 'FlowyteError';
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'network_error' : 'http_error');
    this.errors = body?.errors ?? [];
    this.requestId = body?.requestId ?? null;
    this.body = body;
  }
}

/** Whether a value is a problem body (the server's errors always are). */
export function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && (v as { success?: unknown }).success === false && typeof (v as { code?: unknown }).code === 'string';
}
