import type { components } from './openapi-types.js';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

/** An API error (api.md envelope): branch on `status` + `code`; `errors` lists invalid fields. */
export class FlowyteError extends Error {
  readonly status: number;
  readonly code: Problem['code'] | 'network_error';
  readonly errors: FieldError[];
  readonly requestId: string | null;
  /** the whole problem body (on version_conflict: `currentVersion` and `data`, the current agent) */
  readonly body: Problem | null;

  constructor(status: number, body: Problem | null, fallback = 'Request failed') {
    super(body?.detail ?? fallback);
    this.name = 'FlowyteError';
    this.status = status;
    this.code = body?.code ?? 'network_error';
    this.errors = body?.errors ?? [];
    this.requestId = body?.requestId ?? null;
    this.body = body;
  }
}

/** Whether a value is a problem body (the server's errors always are). */
export function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && (v as { success?: unknown }).success === false && typeof (v as { code?: unknown }).code === 'string';
}
