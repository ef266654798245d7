import type { Queryable, Tx } from '../db.js';
import { andFilters } from './filters.js';

export interface AgentVersionRow {
  id: string;
  agentId: string;
  number: number;
  note: string | null;
  config: Record<string, unknown>;
  publishedAt: Date;
  publishedBy: string | null;
  sourceAgentVersion: number;
}

// user text comes back as jsonb: see src/storage/README.md ("A leading U+FEFF")
const COLS = `id, agent_id AS "agentId", number, to_jsonb(note) AS note, config, published_at AS "publishedAt", published_by AS "publishedBy",
  source_agent_version AS "sourceAgentVersion"`;

/** Inserts the next version of an agent; the caller holds the agent's row lock, so `number` is gapless. */
export async function insertNextVersion(
  tx: Tx,
  orgId: string,
  v: Omit<AgentVersionRow, 'number'>,
): Promise<AgentVersionRow> {
  const rows = await tx.query<AgentVersionRow>(
    `INSERT INTO agent_versions (id, organization_id, agent_id, number, note, config, published_at, published_by, source_agent_version)
     SELECT $1, $2, $3, COALESCE(max(number), 0) + 1, $4, $5, $6, $7, $8 FROM agent_versions WHERE organization_id = $2 AND agent_id = $3
     RETURNING ${COLS}`,
    [v.id, orgId, v.agentId, v.note, JSON.stringify(v.config), v.publishedAt, v.publishedBy, v.sourceAgentVersion],
  );
  return rows[0]!;
}

/** A version of this agent in this organization (the agent's own liveness is the caller's check). */
export async function getVersion(q: Queryable, orgId: string, agentId: string, id: string): Promise<AgentVersionRow | null> {
  const rows = await q.query<AgentVersionRow>(
    `SELECT ${COLS} FROM agent_versions WHERE organization_id = $1 AND agent_id = $2 AND id = $3`,
    [orgId, agentId, id],
  );
  return rows[0] ?? null;
}

/** Newest first, keyset on `number`. */
export async function listVersions(
  q: Queryable,
  orgId: string,
  agentId: string,
  f: { limit: number; beforeNumber?: number },
): Promise<AgentVersionRow[]> {
  const w = andFilters(3, [['number < ?', f.beforeNumber]]);
  return q.query<AgentVersionRow>(
    `SELECT ${COLS} FROM agent_versions WHERE organization_id = $1 AND agent_id = $2${w.sql} ORDER BY number DESC LIMIT $${w.params.length + 3}`,
    [orgId, agentId, ...w.params, f.limit],
  );
}
