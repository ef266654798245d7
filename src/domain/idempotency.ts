import { createHash } from 'node:crypto';
import type { Db, Tx } from '../storage/db.js';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';
import { deleteIdempotencyRecordsBefore, getIdempotencyRecord, putIdempotencyRecord, type IdempotencyClaim } from '../storage/repos/idempotency.js';
import { canonicalJson } from './canonical-json.js';

export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Expired records are dead weight: a background job (started by server.ts) purges them hourly. */
export function startIdempotencyPurge(db: Db, onError: (err: unknown) => void, retentionMs = DEFAULT_RETENTION_MS, everyMs = 60 * 60 * 1000): () => void {
  const timer = setInterval(() => {
    // unbounded: a large table may take longer than a request's query timeout
    db.tx((q) => deleteIdempotencyRecordsBefore(q, new Date(Date.now() - retentionMs)), { unbounded: true }).catch(onError);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** What an operation answers: status, envelope body, extra headers. */
export interface OpResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What goes on the wire: the body is already serialised so a replay is byte-for-byte equal. */
export interface WireResponse {
  status: number;
  bodyText: string;
  contentType: string;
  headers: Record<string, string>;
  replayed: boolean;
}

export interface IdempotentRequest {
  organizationId: string;
  key: string;
  method: string;
  route: string;
  params: Record<string, string>;
  body: unknown;
  /** When and on what connection it reached this process: see `IdempotencyService.slots`. */
  arrival?: Arrival;
}

export function fingerprint(r: Pick<IdempotentRequest, 'method' | 'route' | 'params' | 'body'>): string {
  return createHash('sha256').update(canonicalJson([r.method, r.route, r.params, r.body ?? null])).digest('hex');
}

export interface RunOptions {
  /** Renders an error the operation produced (404/409) into its problem body. */
  renderError: (err: ApiError) => unknown;
  /** Removes what must never be stored (the secret of a minted key). */
  redactForStore?: (body: unknown) => unknown;
  /** Serialises a success body (the route's response schema); errors use JSON.stringify. */
  serialize?: (status: number, body: unknown) => string;
}

/**
 * An operation that can also be done in one statement: its answer known before it is written,
 * and `write`, which writes the effect (and the claim, when given) at once, or says why not:
 * `busy` (another process holds the key), `exists` (the key has a record: replay, reuse or an
 * expired one), `failed` (a conflict the full path answers).
 */
export interface AtOnce {
  result: OpResult;
  write(claim: IdempotencyClaim | null): Promise<'done' | 'busy' | 'exists' | 'failed'>;
}

/** The single-statement form, or null when planning it found a 4xx: the full path answers those, in api.md's order. */
function planned(atOnce: (() => AtOnce) | undefined): AtOnce | null {
  if (!atOnce) return null;
  try {
    return atOnce();
  } catch (err) {
    if (err instanceof ApiError) return null;
    throw err;
  }
}

/** When a request reached this process (`performance.now()`), and on what connection. */
export interface Arrival {
  readonly at: number;
  /** the connection, numbered by the server; undefined for an injected request */
  readonly connectionId: number | undefined;
  /** when the server accepted that connection (`performance.now()`) */
  readonly connectionOpenedAt: number | undefined;
}

/** One key's request in this process: being worked on, or answered (and when). */
interface Slot {
  readonly arrival: Arrival | undefined;
  answeredAt?: number;
  /** the end of the poll phase after the answer on PGlite, the answer itself on PostgreSQL (see `IdempotencyService.slots`) */
  settledAt?: number;
}

/**
 * How long an answered slot is remembered: longer than any request can take to reach its handler
 * (the server's request timeout is 30 s), so every duplicate that arrived before the answer still
 * finds it.
 */
const SLOT_MEMORY_MS = 60_000;
const MAX_SLOTS = 100_000;

/** Whether a duplicate arrived while the first request held its slot: then it answers 409. */
export function arrivedWhileHeld(first: Slot, dup: Arrival | undefined): boolean {
  if (first.answeredAt === undefined) return true;
  if (!dup) return false;
  // it reached this process before the answer (its authentication may have waited since)
  if (dup.at < first.answeredAt) return true;
  // the next request on the first's own connection was sent after the answer (HTTP/1.1 order)
  if (dup.connectionId !== undefined && dup.connectionId === first.arrival?.connectionId) return false;
  // read after the answer, on a connection open before it, in the poll phase that followed:
  // it was waiting in its socket while the first worked
  return (first.settledAt === undefined || dup.at < first.settledAt) && dup.connectionOpenedAt !== undefined && dup.connectionOpenedAt < first.answeredAt;
}

/**
 * Runs a POST operation, honouring `Idempotency-Key` (api.md "Idempotency"): the record and the
 * work commit in one transaction; a concurrent duplicate is refused at once (in-process slots,
 * plus a non-blocking advisory lock on PostgreSQL for other processes); only 2xx and the
 * operation's own 404/409 are stored.
 *
 * Given `atOnce`, the common case takes one round trip: the work, its audit row and the record
 * (with the same advisory lock, taken inside the statement) commit as one statement; anything
 * else (a record exists, a conflict, a 4xx found while planning) takes the full path.
 */
export class IdempotencyService {
  /**
   * Keys being worked on in this process, and keys answered in the last minute, by organization
   * and key. api.md answers a duplicate that arrives while the first is in flight with
   * `idempotency_in_progress` at once, and replays once the first has answered. "Arrives" is when
   * the request reached this process, not when it got past authentication (which can wait for
   * the database) to this check: so an answered slot is remembered, with the time of its answer.
   *
   * On PGlite a duplicate can also wait unread in its socket when the first answers: every
   * statement runs on this thread, so while the first works no other socket is read at all, and
   * the loop reads the sockets that became readable meanwhile only in its next poll phase. A
   * duplicate read in that poll phase, on a connection that was open before the answer, also
   * answers 409; the first's own connection's next request, and one on a connection accepted
   * after the answer, replay. (The price: a retry sent on another open connection within that
   * turn of the loop gets 409 and `Retry-After: 1`, then replays. On PostgreSQL sockets are read
   * while the first waits for the database, and the window is not needed.)
   */
  private slots = new Map<string, Slot>();
  /** answered slots, oldest first, for forgetting them */
  private answered: { key: string; slot: Slot }[] = [];
  private answeredHead = 0;
  /** Stored answers sent again (read by /metrics). */
  replays = 0;

  constructor(private db: Db, private clock: Clock, private retentionMs: number = DEFAULT_RETENTION_MS) {}

  async run(req: IdempotentRequest | null, op: (tx: Tx) => Promise<OpResult>, opts: RunOptions, atOnce?: () => AtOnce): Promise<WireResponse> {
    if (!req) {
      const fast = planned(atOnce);
      if (fast && (await fast.write(null)) === 'done') return wire(fast.result, opts);
      const r = await this.db.tx(op);
      return wire(r, opts);
    }
    const slot = `${req.organizationId}\u0000${req.key}`;
    this.forgetAnswered();
    const held = this.slots.get(slot);
    if (held && arrivedWhileHeld(held, req.arrival)) throw inProgress();
    const mine: Slot = { arrival: req.arrival };
    this.slots.set(slot, mine);
    try {
      const fast = planned(atOnce);
      if (fast) {
        const answer = wire(fast.result, opts);
        // serialised once when nothing is redacted from what is stored
        const storedText = opts.redactForStore ? wire({ ...fast.result, body: opts.redactForStore(fast.result.body) }, opts).bodyText : answer.bodyText;
        const outcome = await fast.write({
          key: req.key,
          lock: this.db.kind === 'postgres',
          record: { fingerprint: fingerprint(req), statusCode: fast.result.status, headers: fast.result.headers ?? {}, body: storedText, createdAt: new Date(this.clock.now()) },
        });
        if (outcome === 'done') return answer;
        if (outcome === 'busy') throw inProgress();
      }
      return await this.db.tx(async (q) => {
        if (this.db.kind === 'postgres') {
          const [lock] = await q.query<{ ok: boolean }>(
            "SELECT pg_try_advisory_xact_lock(7301, hashtext($1 || ':' || $2)) AS ok",
            [req.organizationId, req.key],
          );
          if (!lock!.ok) throw inProgress();
        }
        const fp = fingerprint(req);
        const now = this.clock.now();
        const prev = await getIdempotencyRecord(q, req.organizationId, req.key);
        if (prev && prev.createdAt.getTime() > now - this.retentionMs) {
          if (prev.fingerprint !== fp) {
            throw new ApiError('idempotency_key_reuse', 'This Idempotency-Key was used with a different request');
          }
          this.replays++;
          return { status: prev.statusCode, bodyText: prev.body, contentType: contentTypeFor(prev.statusCode), headers: prev.headers, replayed: true };
        }
        const rollback = await q.savepoint();
        let result: OpResult;
        try {
          result = await op(q);
        } catch (err) {
          if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 409)) throw err;
          await rollback();
          result = { status: err.status, body: opts.renderError(err), headers: err.extras.currentVersion !== undefined ? { etag: `"${err.extras.currentVersion}"` } : {} };
        }
        const stored = opts.redactForStore ? { ...result, body: opts.redactForStore(result.body) } : result;
        await putIdempotencyRecord(q, req.organizationId, req.key, {
          fingerprint: fp,
          statusCode: result.status,
          headers: result.headers ?? {},
          body: wire(stored, opts).bodyText,
          createdAt: new Date(now),
        });
        return wire(result, opts);
      });
    } finally {
      mine.answeredAt = performance.now();
      this.answered.push({ key: slot, slot: mine });
      // PGlite: the sockets that became readable meanwhile are read in the next poll phase; the
      // second check phase comes after it. PostgreSQL: sockets were read while the first waited.
      if (this.db.kind === 'pglite') setImmediate(() => setImmediate(() => (mine.settledAt = performance.now())));
      else mine.settledAt = mine.answeredAt;
    }
  }

  /** Forgets the slots answered more than a minute ago (and the oldest beyond MAX_SLOTS). */
  private forgetAnswered(): void {
    const q = this.answered;
    const now = performance.now();
    while (this.answeredHead < q.length) {
      const { key, slot } = q[this.answeredHead]!;
      if (now - slot.answeredAt! < SLOT_MEMORY_MS && q.length - this.answeredHead <= MAX_SLOTS) break;
      if (this.slots.get(key) === slot) this.slots.delete(key);
      this.answeredHead++;
    }
    if (this.answeredHead > 1024 && this.answeredHead * 2 > q.length) {
      q.splice(0, this.answeredHead);
      this.answeredHead = 0;
    }
  }
}

function inProgress(): ApiError {
  return new ApiError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed');
}

function contentTypeFor(status: number): string {
  return status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8';
}

function wire(r: OpResult, opts: RunOptions): WireResponse {
  const bodyText = r.status < 300 && opts.serialize ? opts.serialize(r.status, r.body) : JSON.stringify(r.body);
  return { status: r.status, bodyText, contentType: contentTypeFor(r.status), headers: r.headers ?? {}, replayed: false };
}
