import type { Queryable, Tx } from '../db.js';

export interface IdempotencyRecord {
  fingerprint: string;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  createdAt: Date;
}

export async function getIdempotencyRecord(q: Queryable, orgId: string, key: string): Promise<IdempotencyRecord | null> {
  const rows = await q.query<IdempotencyRecord>(
    `SELECT fingerprint, status_code AS "statusCode", headers, body, created_at AS "createdAt"
     FROM idempotency_records WHERE organization_id = $1 AND key = $2`,
    [orgId, key],
  );
  return rows[0] ?? null;
}

/** The columns a record is inserted with, in `putIdempotencyRecord`'s and `claimCtes`'s order. */
const RECORD_COLUMNS = 'organization_id, key, fingerprint, status_code, headers, body, created_at';

/** A record to insert with the work it answers for, in the same statement (a single-statement write). */
export interface IdempotencyClaim {
  key: string;
  record: IdempotencyRecord;
  /** take the cross-process advisory lock `IdempotencyService` takes (PostgreSQL) */
  lock: boolean;
}

/**
 * The CTEs that claim a key inside a single-statement write (`lock`, then `claim`, which
 * returns a row only if the key was free), with their parameters from `$first` on; `$org` is
 * the organization's parameter. The advisory lock is the one `IdempotencyService.run` takes.
 */
export function claimCtes(c: IdempotencyClaim, org: string, first: number): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${first + i}`;
  const lock = c.lock ? `lock AS (SELECT pg_try_advisory_xact_lock(7301, hashtext(${org} || ':' || ${p(0)})) AS ok),` : '';
  return {
    sql: `${lock}
     claim AS (
       INSERT INTO idempotency_records (${RECORD_COLUMNS})
       SELECT ${org}, ${p(0)}, ${p(1)}, ${p(2)}::int, ${p(3)}::jsonb, ${p(4)}, ${p(5)}::timestamptz ${c.lock ? 'FROM lock WHERE lock.ok' : ''}
       ON CONFLICT (organization_id, key) DO NOTHING RETURNING 1
     ),`,
    params: [c.key, c.record.fingerprint, c.record.statusCode, JSON.stringify(c.record.headers), c.record.body, c.record.createdAt],
  };
}

/** Inserts, or replaces an expired record of the same key. */
export async function putIdempotencyRecord(tx: Tx, orgId: string, key: string, r: IdempotencyRecord): Promise<void> {
  await tx.query(
    `INSERT INTO idempotency_records (${RECORD_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (organization_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = EXCLUDED.status_code,
       headers = EXCLUDED.headers, body = EXCLUDED.body, created_at = EXCLUDED.created_at`,
    [orgId, key, r.fingerprint, r.statusCode, JSON.stringify(r.headers), r.body, r.createdAt],
  );
}

export async function deleteIdempotencyRecordsBefore(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM idempotency_records WHERE created_at < $1', [before]);
}
