import type { Queryable } from '../db.js';

/**
 * Adds each organization's requests allowed since a process's last sync to its shared bucket
 * (`rate_limit_buckets`, a GCRA theoretical arrival time in ms) and returns every given
 * organization's bucket as it now stands: one statement for all of them.
 *
 * For each organization: `tat = greatest(tat, now) + allowed * emissionMs` (an idle bucket
 * refills up to full, then the new requests are charged); a new organization starts full.
 * `organizationIds` holds no duplicates; the statement locks the rows in its own order (ORDER
 * BY), so two processes' batches never deadlock. `allowed` is parallel to it (0 for an
 * organization that was only asked about). `now` is the caller's clock, ms since the epoch.
 */
export async function syncRateBuckets(
  q: Queryable,
  organizationIds: readonly string[],
  allowed: readonly number[],
  now: number,
  emissionMs: number,
): Promise<{ organizationId: string; tat: number }[]> {
  if (organizationIds.length === 0) return [];
  return q.query<{ organizationId: string; tat: number }>(
    `INSERT INTO rate_limit_buckets AS b (organization_id, tat, updated_at)
     SELECT u.org, $3::float8 + u.n * $4::float8, now()
       FROM unnest($1::text[], $2::int[]) AS u(org, n)
      ORDER BY u.org
     ON CONFLICT (organization_id) DO UPDATE
        SET tat = greatest(b.tat, $3::float8) + (excluded.tat - $3::float8), updated_at = excluded.updated_at
     RETURNING organization_id AS "organizationId", tat`,
    [organizationIds, allowed, now, emissionMs],
  );
}
