import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';

export const BODY_LIMIT = 256 * 1024;

/** `fatal`: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD; a BOM is kept (and is then not JSON). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The `charset` parameter of a Content-Type, lower-cased, or null when there is none. */
export function charsetOf(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? '').trim().toLowerCase() : null;
}

/**
 * JSON only (api.md "Base"): `application/json`, plus `application/merge-patch+json` on PATCH.
 * Any other media type is 415 (Fastify answers that for types without a parser). JSON is UTF-8
 * (RFC 8259): a declared charset other than UTF-8 is 415 too, and bytes that are not valid UTF-8
 * are malformed_json (never stored with U+FFFD in their place). An empty body declared as JSON is
 * malformed_json. Keys such as `__proto__` are kept as own properties by JSON.parse and reported
 * by validation with their path, never silently dropped.
 */
export function registerJsonParser(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
    (req, body, done) => {
      const header = String(req.headers['content-type'] ?? '');
      const type = header.split(';')[0]!.trim().toLowerCase();
      if (type === 'application/merge-patch+json' && req.method !== 'PATCH') {
        return done(new ApiError('unsupported_media_type', 'application/merge-patch+json is accepted on PATCH only'), undefined);
      }
      const charset = charsetOf(header);
      if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
        return done(new ApiError('unsupported_media_type', 'JSON bodies must be UTF-8 (charset=utf-8 or no charset)'), undefined);
      }
      let text: string;
      try {
        text = UTF8.decode(body as Buffer);
      } catch {
        return done(new ApiError('malformed_json', 'The body is not valid UTF-8'), undefined);
      }
      if (text.trim() === '') return done(new ApiError('malformed_json', 'The body is empty but declared as JSON'), undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new ApiError('malformed_json', 'The body is not valid JSON'), undefined);
      }
    },
  );
}
