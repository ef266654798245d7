import { Link } from 'react-router';
import type { components } from 'flowyte/client';
import { LocalTime } from '../list/LocalTime.js';
import { fieldLabel } from '../../editor/field-labels.js';
import './audit.css';

export type AuditEvent = components['schemas']['AuditEvent'];

/** The events of one page, newest first: time, action, resource, actor, request id, details. */
export function AuditTable({
  events,
  agentNames,
  keyNames,
  myKeyId,
  caption,
}: {
  events: AuditEvent[];
  agentNames: ReadonlyMap<string, string>;
  keyNames: ReadonlyMap<string, string>;
  myKeyId: string;
  caption: string;
}) {
  return (
    <table className="audit-table" data-testid="audit-table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Action</th>
          <th scope="col">Resource</th>
          <th scope="col">Actor key</th>
          <th scope="col">Request id</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-event-id={e.id}>
            <td style={{ whiteSpace: 'nowrap' }}>
              <LocalTime iso={e.at} seconds />
            </td>
            <td style={{ whiteSpace: 'nowrap' }}>
              <span className={`badge ${badgeOf(e.action)}`}>{e.action}</span>
            </td>
            <td className="id-cell">
              <Resource event={e} agentNames={agentNames} keyNames={keyNames} />
            </td>
            <td className="id-cell">
              {e.actorKeyId === null ? (
                <span className="muted">Operator (CLI)</span>
              ) : (
                <>
                  {keyNames.has(e.actorKeyId) && <div>{keyNames.get(e.actorKeyId)}</div>}
                  <code>{e.actorKeyId}</code>
                  {e.actorKeyId === myKeyId && <span className="muted small"> (this key)</span>}
                </>
              )}
            </td>
            <td className="id-cell">
              <code>{e.requestId}</code>
            </td>
            <td>
              <Details event={e} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function badgeOf(action: string): string {
  if (action.endsWith('.delete') || action.endsWith('.revoke')) return 'danger';
  if (action.endsWith('.publish') || action.endsWith('.create')) return 'ok';
  if (action.endsWith('.rollback')) return 'warn';
  return 'draft';
}

function Resource({ event: e, agentNames, keyNames }: { event: AuditEvent; agentNames: ReadonlyMap<string, string>; keyNames: ReadonlyMap<string, string> }) {
  const agentName = e.resourceType === 'agent' ? agentNames.get(e.resourceId) : undefined;
  const keyName = e.resourceType === 'api_key' ? keyNames.get(e.resourceId) : undefined;
  return (
    <>
      <div>
        <span className="muted small">{e.resourceType === 'api_key' ? 'API key' : e.resourceType}</span>{' '}
        {agentName !== undefined ? <Link to={`/agents/${e.resourceId}`}>{agentName}</Link> : keyName}
      </div>
      <code>{e.resourceId}</code>
    </>
  );
}

/** The version change and the changed fields, folded (native details: keyboard and screen-reader friendly). */
function Details({ event: e }: { event: AuditEvent }) {
  const versions =
    e.agentVersionBefore !== null || e.agentVersionAfter !== null
      ? `version ${e.agentVersionBefore ?? '–'} → ${e.agentVersionAfter ?? '–'}`
      : null;
  if (e.changedFields.length === 0) return versions ? <span className="small">{versions}</span> : <span className="muted">—</span>;
  const n = e.changedFields.length;
  return (
    <details>
      <summary>
        {n} {n === 1 ? 'field' : 'fields'} changed
        {versions && <span className="muted small"> ({versions})</span>}
      </summary>
      <ul className="small">
        {e.changedFields.map((f) => (
          <li key={f}>
            {fieldLabel(f) !== f && <>{fieldLabel(f)} </>}
            <code className="muted">{f}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
