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

/** Inserts, or replaces an expired record of the same key. */
export async function putIdempotencyRecord(tx: Tx, orgId: string, key: string, r: IdempotencyRecord): Promise<void> {
  await tx.query(
    `INSERT INTO idempotency_records (organization_id, key, fingerprint, status_code, headers, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (organization_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = EXCLUDED.status_code,
       headers = EXCLUDED.headers, body = EXCLUDED.body, created_at = EXCLUDED.created_at`,
    [orgId, key, r.fingerprint, r.statusCode, JSON.stringify(r.headers), r.body, r.createdAt],
  );
}

export async function deleteIdempotencyRecordsBefore(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM idempotency_records WHERE created_at < $1', [before]);
}
