/**
 * The closed error catalog of api.md: every error the API can answer with has a code here,
 * and the code alone decides the HTTP status and title. Domain code throws ApiError; the one
 * error handler (src/http/error-handler.ts) turns it into the problem+json envelope.
 */
export const ERROR_CATALOG = {
  malformed_json: { status: 400, title: 'Malformed JSON' },
  validation_error: { status: 400, title: 'Validation failed' },
  invalid_cursor: { status: 400, title: 'Invalid cursor' },
  invalid_header: { status: 400, title: 'Invalid header' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  insufficient_scope: { status: 403, title: 'Insufficient scope' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  version_conflict: { status: 409, title: 'Version conflict' },
  duplicate_name: { status: 409, title: 'Duplicate name' },
  idempotency_in_progress: { status: 409, title: 'Idempotent request in progress' },
  nothing_to_publish: { status: 409, title: 'Nothing to publish' },
  no_published_version: { status: 409, title: 'No published version' },
  channel_disabled: { status: 409, title: 'Channel disabled' },
  agent_inactive: { status: 409, title: 'Agent inactive' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reuse: { status: 422, title: 'Idempotency key reused' },
  rate_limited: { status: 429, title: 'Rate limited' },
  internal_error: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** One invalid field: `field` is a dotted path with `[i]` for array items (api.md). */
export interface FieldError {
  field: string;
  message: string;
}

/** Extra members an error body may carry besides the envelope. */
export interface ApiErrorExtras {
  errors?: FieldError[];
  requiredScope?: string;
  missingScopes?: string[];
  currentVersion?: number;
  data?: unknown;
  allow?: string;
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extras: ApiErrorExtras;

  /**
   * `status` overrides the catalog's only for errors of the HTTP layer that have no code of their
   * own (416 of a static file's `Range`, 431 of Node's parser, …): the closest catalog code with
   * the status HTTP defines (see httpLayerError in src/http/error-handler.ts).
   */
  constructor(code: ErrorCode, detail?: string, extras: ApiErrorExtras = {}, status?: number) {
    super(detail ?? ERROR_CATALOG[code].title);
    this.name = 'ApiError';
    this.code = code;
    this.status = status ?? ERROR_CATALOG[code].status;
    this.extras = extras;
  }
}

/** Sorts field errors by `field` (string order, as api.md requires) and drops exact repeats. */
export function sortFieldErrors(errors: FieldError[]): FieldError[] {
  // already sorted, one entry per field (what the validator produces): nothing to do, in O(n)
  let ordered = true;
  for (let i = 1; i < errors.length && ordered; i++) ordered = errors[i - 1]!.field < errors[i]!.field;
  if (ordered) return errors.slice();
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    const k = `${e.field}\u0000${e.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** api.md "Envelope": `errors[]` holds at most this many entries, the first in `field` order. */
export const MAX_FIELD_ERRORS = 100;

/**
 * The one `validation_error`: every field error found, sorted by `field`, at most
 * MAX_FIELD_ERRORS of them; when more were found, `detail` gives the total.
 */
export function validationError(errors: FieldError[]): ApiError {
  const sorted = sortFieldErrors(errors);
  const n = new Set(sorted.map((e) => e.field)).size;
  const listed = sorted.length > MAX_FIELD_ERRORS ? sorted.slice(0, MAX_FIELD_ERRORS) : sorted;
  let detail: string;
  if (n === 1) detail = `${sorted[0]!.field || 'body'}: ${sorted[0]!.message}`;
  else if (listed.length < sorted.length) detail = `${sorted.length} errors were found; errors[] lists the first ${MAX_FIELD_ERRORS} by field`;
  else detail = `${n} fields are invalid`;
  return new ApiError('validation_error', detail, { errors: listed });
}
