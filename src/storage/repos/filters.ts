/**
 * Optional filters as SQL with only the conditions present (`AND id < $2 AND status = $3`), not
 * `($2 IS NULL OR id < $2)`: every combination is its own statement text, so a prepared
 * statement's plan (PostgreSQL goes generic after five runs) always fits its filters — a keyset
 * cursor stays an index range scan, however deep the page.
 */
export function andFilters(firstParam: number, conds: [sql: string, value: unknown][]): { sql: string; params: unknown[] } {
  let sql = '';
  const params: unknown[] = [];
  for (const [cond, value] of conds) {
    if (value === undefined || value === null) continue;
    params.push(value);
    sql += ` AND ${cond.replace('?', `$${firstParam + params.length - 1}`)}`;
  }
  return { sql, params };
}
