import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export interface Page<T> {
  items: T[];
  pagination: { limit: number; nextCursor: string | null; hasMore: boolean };
}

/**
 * Opaque keyset cursors: `<payload>.<hmac>`, signed with a secret kept in the database (the
 * same for every process) and bound to the organization, the list and its filters.
 */
export class CursorCodec {
  constructor(private secret: string) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  encode(orgId: string, list: string, filters: object, lastId: string): string {
    const payload = Buffer.from(JSON.stringify({ o: orgId, l: list, f: canonicalJson(filters), k: lastId })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The id the next page starts after; 400 invalid_cursor for anything this server did not issue for this list. */
  decode(cursor: string, orgId: string, list: string, filters: object): string {
    const bad = new ApiError('invalid_cursor', 'The cursor is not valid for this list');
    const [payload, mac, extra] = cursor.split('.');
    if (!payload || !mac || extra !== undefined) throw bad;
    const want = Buffer.from(this.sign(payload));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw bad;
    let p: { o?: unknown; l?: unknown; f?: unknown; k?: unknown };
    try {
      p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw bad;
    }
    if (p.o !== orgId || p.l !== list || p.f !== canonicalJson(filters) || typeof p.k !== 'string') throw bad;
    return p.k;
  }

  /** Builds the page from `limit + 1` fetched rows. */
  page<T extends { id: string }, V>(rows: T[], limit: number, orgId: string, list: string, filters: object, view: (r: T) => V): Page<V> {
    const hasMore = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(view),
      pagination: { limit, nextCursor: hasMore && last ? this.encode(orgId, list, filters, last.id) : null, hasMore },
    };
  }
}
