import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ErrorCode } from '../errors.js';
import { instanceOf, problemBody } from './problem.js';
import { isApiUrl, NO_STORE } from './cache-control.js';

/**
 * The catalog code for an error of the HTTP layer (Fastify, a plugin such as @fastify/static,
 * Node's parser) that carries a 4xx status and no code of ours. A 4xx stays a 4xx, never a 500:
 *
 * - 401 → `unauthorized`, 405 → `method_not_allowed`, 413 → `payload_too_large`,
 *   415 → `unsupported_media_type`, 429 → `rate_limited`, each with its catalog status;
 * - 403, 404, 410, 414 → 404 `not_found`: a path a plugin refuses to serve (the static files'
 *   `FST_STATIC_FORBIDDEN_PATH` for `..`, NUL, `//` or an over-long name) is simply not there,
 *   as an unknown path is (api.md), and the answer tells nothing about the file system;
 * - a 400 about the body's JSON → `malformed_json`;
 * - any other 4xx (400, 408, 416, 431, …) keeps the status HTTP gives it, with the code
 *   `invalid_header`: the catalog has no code for these, and each is about the request's head
 *   (its request line, its headers, a `Range`) rather than its content.
 */
export function httpLayerError(status: number, message = ''): ApiError {
  const fixed: Partial<Record<number, ErrorCode>> = {
    401: 'unauthorized',
    403: 'not_found',
    404: 'not_found',
    405: 'method_not_allowed',
    410: 'not_found',
    413: 'payload_too_large',
    414: 'not_found',
    415: 'unsupported_media_type',
    429: 'rate_limited',
  };
  const code = fixed[status];
  if (code === 'not_found') return new ApiError('not_found', 'No such path');
  if (code === 'payload_too_large') return new ApiError(code, 'The request body is larger than 256 KiB');
  if (code === 'unsupported_media_type') return new ApiError(code, 'Request bodies must be application/json');
  if (code) return new ApiError(code);
  if (status === 400 && /JSON/i.test(message)) return new ApiError('malformed_json', 'The body is not valid JSON');
  const reason = STATUS_CODES[status] ?? 'Bad Request';
  return new ApiError('invalid_header', `The request cannot be processed: ${reason}`, {}, status);
}

/** Translates the errors Fastify itself (or a plugin) raises into the catalog. */
function fromFastify(err: FastifyError): ApiError {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'The request body is larger than 256 KiB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'Request bodies must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('malformed_json', 'The body does not match its Content-Length');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('malformed_json', 'The body is not valid JSON');
    default: {
      const status = clientStatusOf(err);
      if (status !== null) return httpLayerError(status, err.message);
      return new ApiError('internal_error', 'An internal error occurred');
    }
  }
}

/** The 4xx an error carries (`statusCode`, or `status` as http-errors also sets it), or null. */
function clientStatusOf(err: unknown): number | null {
  const e = err as { statusCode?: unknown; status?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : null;
  return status !== null && Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: ApiError) {
  const body = problemBody(err, req.id, instanceOf(req.url));
  reply.header('x-request-id', req.id); // also on answers that skipped the onRequest hooks
  if (isApiUrl(req.url)) reply.header('cache-control', NO_STORE); // likewise
  if (err.code === 'unauthorized') reply.header('www-authenticate', 'Bearer'); // RFC 6750
  if (err.code === 'idempotency_in_progress') reply.header('retry-after', '1');
  if (err.code === 'method_not_allowed' && err.extras.allow) reply.header('allow', err.extras.allow);
  if (err.code === 'rate_limited' && err.extras.retryAfterSeconds) reply.header('retry-after', String(err.extras.retryAfterSeconds));
  if (err.code === 'version_conflict' && err.extras.currentVersion !== undefined) reply.header('etag', `"${err.extras.currentVersion}"`);
  return reply.code(err.status).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * The database cannot be reached or did not answer in time (network, pool closed, PGlite closed,
 * a query stopped by the query timeout: 57014 or pg's "Query read timeout"): 503, not a bug.
 */
function isStorageUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'ETIMEDOUT', '57P01', '57P02', '57P03', '57014', '08000', '08003', '08006'].includes(e.code)) return true;
  // pg-pool's "timeout exceeded when trying to connect": no connection became free in time (every
  // one busy or hung); pg's "… is not queryable": a client whose connection already failed; pg's
  // "Query read timeout": no answer within the query timeout (a silent network partition)
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|^Query read timeout$|Cannot use a pool after calling end|PGlite is closed|database is closed/i.test(e.message ?? '');
}

/**
 * The client went away before its request was complete (closed or reset the connection while
 * sending the body; Node then fails the body stream with ECONNRESET "aborted"): its connection's
 * business, not an error of ours, and never a storage outage. Decided by the request's own
 * connection, not by the error's code: a database connection can be reset too.
 */
export function isClientAbort(req: FastifyRequest): boolean {
  const raw = req.raw as FastifyRequest['raw'] & { aborted?: boolean };
  return !raw.complete && (raw.aborted === true || raw.destroyed || raw.socket?.destroyed === true);
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | ApiError | Error, req, reply) => {
    let apiErr: ApiError;
    if (error instanceof ApiError) apiErr = error;
    else if (isClientAbort(req)) {
      req.log.info({ reason: (error as { code?: string }).code ?? error.message }, 'client closed the connection before the request was complete');
      // nobody is listening; answered for the access log only
      apiErr = new ApiError('malformed_json', 'The request body was not received completely');
    } else if (clientStatusOf(error) !== null) {
      // an error Fastify or a plugin raised with a 4xx status stays a 4xx (and is not a storage outage)
      apiErr = fromFastify(error as FastifyError);
      req.log.debug({ err: error }, 'request refused by the HTTP layer');
    } else if (isStorageUnavailable(error)) {
      req.log.error({ err: error }, 'storage unavailable');
      apiErr = new ApiError('unavailable', 'The service is temporarily unavailable');
    } else {
      apiErr = fromFastify(error as FastifyError);
      if (apiErr.code === 'internal_error') req.log.error({ err: error }, 'unhandled error');
    }
    return sendProblem(req, reply, apiErr);
  });
}
