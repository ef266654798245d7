import { STATUS_CODES } from 'node:http';
import type { Static } from '@sinclair/typebox';
import { ApiError, ERROR_CATALOG } from '../errors.js';
import type { ProblemSchema } from '../contracts/common.js';

/** The problem+json body of api.md, which also carries the envelope's `success: false`. */
export type ProblemBody = Static<typeof ProblemSchema>;

export function problemBody(err: ApiError, requestId: string, instance: string): ProblemBody {
  const entry = ERROR_CATALOG[err.code];
  const status = err.status;
  // an HTTP-layer status without a code of its own (431, 416, …) is titled as HTTP names it
  const title = status === entry.status ? entry.title : (STATUS_CODES[status] ?? entry.title);
  const body: ProblemBody = {
    success: false,
    type: `https://flowyte.dev/errors/${err.code}`,
    title,
    status,
    code: err.code,
    detail: err.message,
    message: err.message,
    instance,
    requestId,
  };
  const x = err.extras;
  if (x.errors) body.errors = x.errors;
  if (x.requiredScope) body.requiredScope = x.requiredScope;
  if (x.missingScopes) body.missingScopes = x.missingScopes;
  if (x.currentVersion !== undefined) body.currentVersion = x.currentVersion;
  if (x.data !== undefined) body.data = x.data;
  return body;
}

/** Path part of a request URL: the problem's `instance`. */
export function instanceOf(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}
