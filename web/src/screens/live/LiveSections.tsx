import type { ReactNode } from 'react';
import type { LiveConfig } from 'flowyte/client';
import { fieldLabel } from '../../editor/field-labels.js';
import { formatInstantLong, isPlainObject } from '../versions/format.js';

type Hours = LiveConfig['hours'];
type Transfers = LiveConfig['transfers'];
type Resolved = LiveConfig['config'];
type AfterHoursMode = NonNullable<Hours['afterHours']>['mode'];

const AFTER_HOURS_MODE: Record<AfterHoursMode, string> = {
  answer: 'The agent answers and says the after-hours message',
  take_message: 'The agent takes a message',
  forward: 'Calls are forwarded',
};

/** Open or closed, the local time, and when that changes. */
export function HoursSummary({ hours }: { hours: Hours }) {
  const tz = hours.timezone;
  return (
    <div className="live-hours" data-testid="live-hours" data-open={hours.open}>
      <p>
        <span className={`badge ${hours.open ? 'open' : 'closed'}`}>{hours.open ? 'Open' : 'Closed'}</span>{' '}
        {!hours.configured
          ? 'No business hours are set, so the agent is always open.'
          : hours.reason === 'holiday' && hours.holiday
            ? `${hours.open ? 'Special hours' : 'Closed'} for ${hours.holiday.name}.`
            : hours.open
              ? 'Within the weekly hours.'
              : 'Outside the weekly hours.'}
      </p>
      {hours.configured && (
        <dl className="kv">
          {hours.localTimeSpoken && (
            <>
              <dt>Local time</dt>
              <dd>
                {hours.localTimeSpoken}
                {tz ? ` (${tz})` : ''}
              </dd>
            </>
          )}
          {hours.open && hours.currentRange && (
            <>
              <dt>Current range</dt>
              <dd>
                {hours.currentRange.start}–{hours.currentRange.end}
              </dd>
            </>
          )}
          {hours.open ? (
            <>
              <dt>Closes</dt>
              <dd>{hours.nextChangeAt ? formatInstantLong(hours.nextChangeAt, tz) : 'Not within the next year'}</dd>
            </>
          ) : (
            <>
              <dt>Next opening</dt>
              <dd data-testid="live-next-open">{hours.nextOpenAt ? formatInstantLong(hours.nextOpenAt, tz) : 'None within the next year'}</dd>
            </>
          )}
        </dl>
      )}
      {!hours.open && hours.afterHours && (
        <div className="live-after-hours">
          <h3>After hours</h3>
          <dl className="kv">
            <dt>What happens</dt>
            <dd>
              {AFTER_HOURS_MODE[hours.afterHours.mode] ?? hours.afterHours.mode}
              {hours.afterHours.mode === 'forward' && hours.afterHours.number ? ` to ${hours.afterHours.number}` : ''}
            </dd>
            <dt>Message</dt>
            <dd>{hours.afterHours.message ? <q>{hours.afterHours.message}</q> : <span className="muted">None</span>}</dd>
            <dt>Transfer to a person</dt>
            <dd>{hours.afterHours.allowHumanTransfer ? `Allowed${hours.afterHours.number ? ` (${hours.afterHours.number})` : ''}` : 'Not allowed'}</dd>
            {hours.afterHours.emergencyNumber && (
              <>
                <dt>Emergency number</dt>
                <dd>{hours.afterHours.emergencyNumber}</dd>
              </>
            )}
          </dl>
        </div>
      )}
    </div>
  );
}

/** Whether the agent may hand over to a person now, where to, and by which rules. */
export function TransfersSummary({ transfers }: { transfers: Transfers }) {
  return (
    <div className="live-transfers" data-testid="live-transfers">
      <p>
        <span className={`badge ${transfers.humanTransferAllowed ? 'ok' : 'warn'}`}>{transfers.humanTransferAllowed ? 'Allowed now' : 'Not allowed now'}</span>
      </p>
      <dl className="kv">
        <dt>Destination</dt>
        <dd>{transfers.destination ?? <span className="muted">None</span>}</dd>
        <dt>Warm transfer</dt>
        <dd>{transfers.warm ? 'Yes: the agent first sums up the caller and the reason' : 'No'}</dd>
        <dt>Emergency number</dt>
        <dd>{transfers.emergencyNumber ?? <span className="muted">None</span>}</dd>
      </dl>
      {transfers.rules.length === 0 ? (
        <p className="muted small">No transfer rules in force now.</p>
      ) : (
        <>
          <h3>Rules in force</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">When</th>
                  <th scope="col">Destination</th>
                </tr>
              </thead>
              <tbody>
                {transfers.rules.map((r) => (
                  <tr key={r.label}>
                    <td>{r.label}</td>
                    <td>{r.when}</td>
                    <td className="nowrap">{r.destination}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** A resolved setting as text: units from the member's name, lists and maps inline. */
function settingText(path: string, v: unknown): ReactNode {
  if (v === null || v === undefined) return <span className="muted">Not set</span>;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number') {
    if (/Ms$/.test(path)) return `${v} ms`;
    if (/Seconds$/.test(path)) return `${v} s`;
    return String(v);
  }
  if (typeof v === 'string') {
    if (v === '') return <span className="muted">Empty</span>;
    if (path === 'callControl.onNoResponseAction') return v === 'end' ? 'End the call' : v === 'transfer' ? 'Transfer to a person' : v;
    if (path === 'sku') return v === 'single_language' ? 'One language' : v === 'code_switch' ? 'Switches between languages' : v;
    return v;
  }
  if (Array.isArray(v)) return v.length === 0 ? <span className="muted">None</span> : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (isPlainObject(v)) {
    const entries = Object.entries(v);
    if (entries.length === 0) return <span className="muted">None</span>;
    return entries.map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`).join(', ');
  }
  return JSON.stringify(v);
}

/** Rows of an object's members (`voiceSettings.*` …), labelled by their field labels. */
function members(prefix: string, obj: unknown): [string, unknown][] {
  return isPlainObject(obj) ? Object.entries(obj).map(([k, v]) => [`${prefix}.${k}`, v]) : [];
}

/** The resolved config in groups a person reads (the raw JSON is below it). */
export function SettingsSummary({ config }: { config: Resolved }) {
  const groups: { title: string; rows: [string, unknown][] }[] = [
    {
      title: 'Agent',
      rows: [
        ['name', config.name],
        ['tone', config.tone],
        ['enabledChannels', config.enabledChannels],
      ],
    },
    {
      title: 'Languages',
      rows: [
        ['primaryLanguage', config.primaryLanguage],
        ['languages', config.languages],
        ['sku', config.sku],
      ],
    },
    {
      title: 'Voice',
      rows: [['defaultVoiceId', config.defaultVoiceId], ['voiceMap', config.voiceMap], ...members('voiceSettings', config.voiceSettings)],
    },
    {
      title: 'Models',
      rows: [
        ['llmModel', config.llmModel],
        ['llmTemperature', config.llmTemperature],
        ['ttsModel', config.ttsModel],
        ['sttModel', config.sttModel],
      ],
    },
    { title: 'Turn-taking', rows: members('endpointing', config.endpointing) },
    { title: 'Call control', rows: members('callControl', config.callControl) },
    {
      title: 'Handoff',
      rows: [
        ['handoffConfig.escalationThreshold', config.handoffConfig.escalationThreshold],
        ['handoffConfig.contextSummaryUrl', config.handoffConfig.contextSummaryUrl],
      ],
    },
  ];
  return (
    <div className="live-settings">
      {groups.map((g) => (
        <div key={g.title} className="live-settings-group">
          <h3>{g.title}</h3>
          <dl className="kv">
            {g.rows.map(([path, v]) => (
              <div key={path} className={`kv-row ${typeof v === 'string' && v.length > 32 ? 'kv-wide' : ''}`} data-field={path}>
                <dt>{fieldLabel(path)}</dt>
                <dd>{settingText(path, v)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}

