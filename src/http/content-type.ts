import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';

export const BODY_LIMIT = 256 * 1024;

/**
 * JSON only (api.md "Base"): `application/json`, plus `application/merge-patch+json` on PATCH.
 * Any other media type is 415 (Fastify answers that for types without a parser). An empty body
 * declared as JSON is malformed_json. Keys such as `__proto__` are kept as own properties by
 * JSON.parse and reported by validation with their path, never silently dropped.
 */
export function registerJsonParser(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (req, body, done) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type === 'application/merge-patch+json' && req.method !== 'PATCH') {
        return done(new ApiError('unsupported_media_type', 'application/merge-patch+json is accepted on PATCH only'), undefined);
      }
      const text = body as string;
      if (text.trim() === '') return done(new ApiError('malformed_json', 'The body is empty but declared as JSON'), undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new ApiError('malformed_json', 'The body is not valid JSON'), undefined);
      }
    },
  );
}
