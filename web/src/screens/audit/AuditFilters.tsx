import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AuditQuery } from 'flowyte/client';

export type AuditAction = NonNullable<AuditQuery['action']>;

/** Every action the trail records (src/contracts/audit-events.ts), checked against the SDK's type both ways. */
export const AUDIT_ACTIONS = [
  'agent.create',
  'agent.update',
  'agent.delete',
  'agent.publish',
  'agent.rollback',
  'api_key.create',
  'api_key.revoke',
] as const satisfies readonly AuditAction[];
type Missing = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
const exhaustive: [Missing] extends [never] ? true : Missing = true;
void exhaustive;

export function isAuditAction(v: string | null): v is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(v ?? '');
}

export interface AuditFilterValues {
  resourceId: string;
  action: AuditAction | '';
}

/**
 * The trail's filters: an agent (a select of the agents this key can list), any resource id
 * (typed; a key id or a deleted agent's id too) and an action. The select and the text field
 * edit the same filter.
 */
export function AuditFilters({
  value,
  onChange,
  agents,
}: {
  value: AuditFilterValues;
  onChange: (v: AuditFilterValues) => void;
  /** id and name of the agents to offer, or null when this key cannot list agents */
  agents: { id: string; name: string }[] | null;
}) {
  const id = useId();
  const [text, setText] = useState(value.resourceId);
  useEffect(() => setText(value.resourceId), [value.resourceId]);

  const inList = agents?.some((a) => a.id === value.resourceId) ?? false;

  function applyText(e: FormEvent) {
    e.preventDefault();
    onChange({ ...value, resourceId: text.trim() });
  }

  return (
    <form className="toolbar" role="search" aria-label="Filter the audit trail" onSubmit={applyText}>
      {agents && (
        <div className="field">
          <label htmlFor={`${id}-agent`}>Agent</label>
          <select id={`${id}-agent`} value={inList || value.resourceId === '' ? value.resourceId : '__other'} onChange={(e) => onChange({ ...value, resourceId: e.target.value })}>
            <option value="">All resources</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
            {!inList && value.resourceId !== '' && (
              <option value="__other" disabled>
                Other: {value.resourceId}
              </option>
            )}
          </select>
        </div>
      )}
      <div className="field" style={{ flex: '1 1 14rem' }}>
        <label htmlFor={`${id}-rid`}>Resource id</label>
        <div className="row" style={{ marginBottom: 0, flexWrap: 'nowrap' }}>
          <input
            id={`${id}-rid`}
            type="text"
            value={text}
            maxLength={64}
            spellCheck={false}
            autoComplete="off"
            placeholder="agt_… or key_…"
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="secondary">
            Apply
          </button>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-action`}>Action</label>
        <select id={`${id}-action`} value={value.action} onChange={(e) => onChange({ ...value, action: isAuditAction(e.target.value) ? e.target.value : '' })}>
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      {(value.resourceId !== '' || value.action !== '') && (
        <button type="button" className="secondary" onClick={() => onChange({ resourceId: '', action: '' })}>
          Clear filters
        </button>
      )}
    </form>
  );
}
