import { validationError, type FieldError } from '../errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../domain/pagination.js';
import { unstorableString } from '../contracts/validator.js';

/**
 * Query strings arrive as text (type coercion is off); these helpers turn them into typed
 * values, collecting every invalid parameter into one validation_error.
 */
export class QueryReader {
  readonly errors: FieldError[] = [];
  constructor(private q: Record<string, unknown>) {}

  private raw(name: string): string | undefined {
    const v = this.q[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      this.errors.push({ field: name, message: 'must be given once' });
      return undefined;
    }
    const why = unstorableString(v);
    if (why) {
      this.errors.push({ field: name, message: why });
      return undefined;
    }
    return v;
  }

  limit(): number {
    const v = this.raw('limit');
    if (v === undefined) return DEFAULT_LIMIT;
    if (!/^[0-9]{1,4}$/.test(v) || Number(v) < 1 || Number(v) > MAX_LIMIT) {
      this.errors.push({ field: 'limit', message: `must be an integer 1–${MAX_LIMIT}` });
      return DEFAULT_LIMIT;
    }
    return Number(v);
  }

  string(name: string, max = 200): string | undefined {
    const v = this.raw(name);
    if (v !== undefined && [...v].length > max) {
      this.errors.push({ field: name, message: `must be at most ${max} characters` });
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      this.errors.push({ field: name, message: `must be one of: ${values.join(', ')}` });
      return undefined;
    }
    return v as T;
  }

  /** A required parameter with a closed set of values. */
  requiredOneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    if (this.q[name] === undefined) {
      this.errors.push({ field: name, message: `required: one of ${values.join(', ')}` });
      return undefined;
    }
    return this.oneOf(name, values);
  }

  boolean(name: string): boolean | undefined {
    const v = this.oneOf(name, ['true', 'false'] as const);
    return v === undefined ? undefined : v === 'true';
  }

  /** An RFC 3339 instant as a Date (the same parsing as `rfc3339`). */
  instant(name: string): Date | undefined {
    const ms = this.rfc3339(name);
    return ms === undefined ? undefined : new Date(ms);
  }

  /**
   * An RFC 3339 instant with `Z` or an offset and optional fractional seconds (truncated to
   * milliseconds); a space where an unencoded offset's `+` was is read as `+`.
   */
  rfc3339(name: string): number | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    const v = raw.replace(/ (\d{2}:\d{2})$/, '+$1');
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(v);
    const bad = () => {
      this.errors.push({ field: name, message: 'must be an RFC 3339 instant with Z or an offset, e.g. 2026-12-24T22:00:00Z' });
      return undefined;
    };
    if (!m) return bad();
    const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
    // years 1–9998: the engine answers up to a year ahead, and instants stay within ISO's 4 digits
    if (+y! < 1 || +y! > 9998) {
      this.errors.push({ field: name, message: 'must be between years 0001 and 9998' });
      return undefined;
    }
    const day = new Date(0);
    day.setUTCFullYear(+y!, +mo! - 1, +d!); // not Date.UTC, which reads years 0–99 as 1900–1999
    if (day.getUTCFullYear() !== +y! || day.getUTCMonth() !== +mo! - 1 || day.getUTCDate() !== +d!) return bad();
    // a leap second (:60, RFC 3339) is read as the first instant after it
    if (+h! > 23 || +mi! > 59 || +s! > 60 || (+s! === 60 && +mi! !== 59)) return bad();
    if (sign && (+oh! > 23 || +om! > 59)) return bad();
    const ms = day.getTime() + ((+h! * 60 + +mi!) * 60 + +s!) * 1000 + (frac && +s! < 60 ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
    const offset = sign ? (sign === '+' ? 1 : -1) * (+oh! * 60 + +om!) * 60_000 : 0;
    return ms - offset;
  }

  /** Throws one validation_error listing every invalid parameter. */
  done(): void {
    if (this.errors.length > 0) throw validationError(this.errors);
  }
}
