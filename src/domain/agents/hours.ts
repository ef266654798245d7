import type { Queryable } from '../../storage/db.js';
import { ApiError } from '../../errors.js';
import { getAgent } from '../../storage/repos/agents.js';
import { compileHours, evaluateHours, type BusinessHoursInput, type HoursStatus } from '../../engines/hours/index.js';
import type { AgentConfig } from './config.js';

/**
 * HoursStatus of an agent at an instant (lifecycle.md `GET /agents/{id}/hours`). The draft's
 * schedule with `draft`, else the live version's — which needs publishing, so until then the
 * live form answers 409 no_published_version. `isActive` is ignored.
 */
export async function agentHours(q: Queryable, orgId: string, id: string, atMs: number, draft: boolean): Promise<HoursStatus> {
  const row = await getAgent(q, orgId, id);
  if (!row) throw new ApiError('not_found', 'No such agent');
  if (!draft) {
    throw new ApiError('no_published_version', 'The agent has no published version; pass draft=true to evaluate the draft');
  }
  const bh = (row.config as unknown as AgentConfig).businessHours as BusinessHoursInput;
  return evaluateHours(compileHours(bh), atMs);
}
