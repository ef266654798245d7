import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { instanceOf, problemBody } from './problem.js';

/** Translates the errors Fastify itself raises into the catalog. */
function fromFastify(err: FastifyError): ApiError {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'The request body is larger than 256 KiB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? new ApiError('unsupported_media_type', 'Request bodies must be application/json')
        : new ApiError('malformed_json', 'The body does not match its Content-Length');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('malformed_json', 'The body is not valid JSON');
    default:
      if (err.statusCode === 413) return new ApiError('payload_too_large', 'The request body is larger than 256 KiB');
      if (err.statusCode === 415) return new ApiError('unsupported_media_type', 'Request bodies must be application/json');
      if (err.statusCode === 400 && /JSON/i.test(err.message)) return new ApiError('malformed_json', 'The body is not valid JSON');
      return new ApiError('internal_error', 'An internal error occurred');
  }
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: ApiError) {
  const body = problemBody(err, req.id, instanceOf(req.url));
  reply.header('x-request-id', req.id); // also on answers that skipped the onRequest hooks
  if (err.code === 'unauthorized') reply.header('www-authenticate', 'Bearer'); // RFC 6750
  if (err.code === 'idempotency_in_progress') reply.header('retry-after', '1');
  if (err.code === 'method_not_allowed' && err.extras.allow) reply.header('allow', err.extras.allow);
  if (err.code === 'rate_limited' && err.extras.retryAfterSeconds) reply.header('retry-after', String(err.extras.retryAfterSeconds));
  if (err.code === 'version_conflict' && err.extras.currentVersion !== undefined) reply.header('etag', `"${err.extras.currentVersion}"`);
  return reply.code(err.status).type('application/problem+json').send(JSON.stringify(body));
}

/** The database cannot be reached (network, pool closed, PGlite closed): 503, not a bug. */
function isStorageUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(e.code)) return true;
  return /Connection terminated|connection timeout|Cannot use a pool after calling end|PGlite is closed|database is closed/i.test(e.message ?? '');
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | ApiError | Error, req, reply) => {
    let apiErr: ApiError;
    if (error instanceof ApiError) apiErr = error;
    else if (isStorageUnavailable(error)) {
      req.log.error({ err: error }, 'storage unavailable');
      apiErr = new ApiError('unavailable', 'The service is temporarily unavailable');
    } else {
      apiErr = fromFastify(error as FastifyError);
      if (apiErr.code === 'internal_error') req.log.error({ err: error }, 'unhandled error');
    }
    return sendProblem(req, reply, apiErr);
  });
}
