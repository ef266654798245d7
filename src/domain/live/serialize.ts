import fastJson from 'fast-json-stringify';
import { LiveResolvedConfig } from '../../contracts/live.js';
import { FORMATS } from '../../contracts/formats.js';

/**
 * The resolved config serialised through its response schema, so members come out in the
 * contract's order (JSONB does not keep the order they were written in). Compiled once; used
 * once per version and channel, never per request.
 */
export const stringifyResolvedConfig: (config: unknown) => string = fastJson(LiveResolvedConfig as object, {
  ajv: { formats: Object.fromEntries(Object.values(FORMATS).map((f) => [f, true])) },
});
