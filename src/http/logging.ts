import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { containsKeyShaped, redactKeyShaped } from '../auth/key-format.js';

/** Log paths that are censored whole: the Authorization header and any minted key. */
export const LOG_REDACT = ['req.headers.authorization', 'headers.authorization', 'authorization', 'key', '*.key'];

/**
 * Log paths whose text is scrubbed of anything shaped like a key (operations.md: a key in a query
 * string or any header is never logged): every header wherever headers are logged, and error
 * texts (a URL Fastify cannot decode is quoted in its message).
 */
const LOG_SCRUB = ['req.headers.*', 'headers.*', 'url', 'err.message', 'err.stack', 'err.url'];

/** Names under which a whole value is a credential. */
const CREDENTIAL_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'key']);

/** Censors a credential whole, and scrubs any other text of what is shaped like a key. */
function makeCensor(credentials: ReadonlySet<string>) {
  return (value: unknown, path: string[]): unknown => {
    const last = String(path[path.length - 1] ?? '').toLowerCase();
    if (credentials.has(last)) return '[redacted]';
    if (typeof value === 'string') return last === 'url' ? scrubUrl(value) : redactKeyShaped(value);
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? redactKeyShaped(v) : v));
    return value;
  };
}

/** A URL scrubbed of keys, also of one hidden by percent-encoding (then logged decoded). */
export function scrubUrl(url: string): string {
  const out = redactKeyShaped(url);
  if (!out.includes('%')) return out;
  try {
    const decoded = decodeURIComponent(out);
    return containsKeyShaped(decoded) ? redactKeyShaped(decoded) : out;
  } catch {
    return out; // not decodable: nothing hides behind it
  }
}

/** Fastify's request serializer, with the URL and the headers it quotes scrubbed of keys. */
function serializeReq(req: FastifyRequest) {
  const version = req.headers?.['accept-version'];
  return {
    method: req.method,
    url: typeof req.url === 'string' ? scrubUrl(req.url) : req.url,
    version: typeof version === 'string' ? redactKeyShaped(version) : version,
    host: typeof req.host === 'string' ? redactKeyShaped(req.host) : req.host,
    remoteAddress: req.ip,
    remotePort: req.socket ? req.socket.remotePort : undefined,
  };
}

type LoggerOption = FastifyServerOptions['logger'];

/**
 * The app's logger options with its secrets policy applied, whatever the caller passed: the
 * request serializer above and the redaction of LOG_REDACT (censored) and LOG_SCRUB (scrubbed),
 * plus any redact paths the caller listed. `false`/undefined: no logging.
 */
export function withLogHygiene(logger: LoggerOption): LoggerOption {
  if (!logger) return false;
  const base = (logger === true ? {} : logger) as Record<string, unknown> & { serializers?: Record<string, unknown>; redact?: unknown };
  const given = base.redact;
  const extra = Array.isArray(given) ? (given as string[]) : ((given as { paths?: string[] } | undefined)?.paths ?? []);
  return {
    ...base,
    serializers: { ...(base.serializers ?? {}), req: serializeReq },
    redact: {
      paths: [...new Set([...LOG_REDACT, ...LOG_SCRUB, ...extra])],
      // the caller's paths are censored whole, like LOG_REDACT's
      censor: makeCensor(new Set([...CREDENTIAL_NAMES, ...extra.map((p) => p.split('.').pop()!.toLowerCase())])),
    },
  } as LoggerOption;
}
