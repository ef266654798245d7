import type { IncomingMessage } from 'node:http';
import { newId } from '../ids.js';
import { containsKeyShaped } from '../auth/key-format.js';

const CLIENT_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Keeps a well-formed client `X-Request-Id`, else mints `req_…` (api.md "Base"). An id shaped
 * like a key is not kept: the request id is on every log line, and a key is never logged.
 */
export function genRequestId(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && CLIENT_ID_RE.test(h) && !containsKeyShaped(h) ? h : newId('req');
}
