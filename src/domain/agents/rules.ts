/**
 * Normalisation and cross-field rules of a merged agent (everything but the language trio,
 * voiceMap and businessHours, which have their own files). Fields named per agent.md
 * "Which field an error names".
 */
import type { FieldError } from '../../errors.js';
import { codePointLength, NAME_MAX_CODE_POINTS } from '../../contracts/formats.js';
import { renderPath } from '../../contracts/validator.js';
import { CHANNELS } from '../../contracts/agent.js';
import type { CallControl, ChannelOverrides, ChannelPolicy, HandoffConfig } from './defaults.js';
import { MEMBER_ORDER } from './defaults.js';
import { normalizeDest } from './business-hours-rules.js';
import { isPlainObject, orderKeys } from './json.js';
import type { MergedFields } from './merge.js';

/** `name`: trimmed, then 1–120 code points; null is not a name. Returns the stored name. */
export function normalizeName(v: unknown, errors: FieldError[]): string {
  if (v === null) {
    errors.push({ field: 'name', message: 'cannot be null' });
    return '';
  }
  if (typeof v !== 'string') {
    errors.push({ field: 'name', message: v === undefined ? 'required' : 'must be a string' });
    return '';
  }
  const name = v.trim();
  const n = codePointLength(name);
  if (n < 1 || n > NAME_MAX_CODE_POINTS) {
    errors.push({ field: 'name', message: `must be 1–${NAME_MAX_CODE_POINTS} characters after trimming` });
  }
  return name;
}

function checkDuplicates(values: readonly unknown[], path: (string | number)[], what: string, errors: FieldError[]): void {
  const seen = new Map<unknown, number>();
  values.forEach((v, i) => {
    const first = seen.get(v);
    if (first !== undefined) {
      errors.push({ field: renderPath([...path, i]), message: `duplicate ${what} (same as ${renderPath([...path, first])})` });
    } else seen.set(v, i);
  });
}

function normalizeHandoff(h: HandoffConfig, errors: FieldError[]): HandoffConfig {
  const out: HandoffConfig = { ...h };
  if (out.transferDestination !== null) {
    out.transferDestination = normalizeDest(out.transferDestination, ['handoffConfig', 'transferDestination'], errors) as string;
  }
  out.transferRules = out.transferRules.map((r, i) => ({
    label: r.label,
    when: r.when,
    destination: normalizeDest(r.destination, ['handoffConfig', 'transferRules', i, 'destination'], errors) as string,
  }));
  const labels = out.transferRules.map((r) => r.label);
  const seen = new Map<string, number>();
  labels.forEach((l, i) => {
    const first = seen.get(l);
    if (first !== undefined) {
      errors.push({
        field: renderPath(['handoffConfig', 'transferRules', i, 'label']),
        message: `duplicate label (same as handoffConfig.transferRules[${first}].label)`,
      });
    } else seen.set(l, i);
  });
  return out;
}

function normalizeChannelOverrides(co: ChannelOverrides, errors: FieldError[]): ChannelOverrides {
  const raw = co as Record<string, unknown>;
  for (const k of Object.keys(raw)) {
    if (!(CHANNELS as readonly string[]).includes(k)) {
      errors.push({ field: renderPath(['channelOverrides', k]), message: 'must be one of: voice, chat' });
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) {
    const p = raw[k];
    out[k] = isPlainObject(p) ? orderKeys(p as ChannelPolicy & Record<string, unknown>, MEMBER_ORDER.channelPolicy) : p;
  }
  return orderKeys(out, MEMBER_ORDER.channelOverrides) as ChannelOverrides;
}

/** Normalises the merged fields and applies their cross-field rules. */
export function normalizeFields(f: MergedFields, errors: FieldError[]): MergedFields {
  checkDuplicates(f.enabledChannels, ['enabledChannels'], 'channel', errors);
  for (const [i, c] of f.enabledChannels.entries()) {
    if (!(CHANNELS as readonly string[]).includes(c)) {
      errors.push({ field: renderPath(['enabledChannels', i]), message: `must be one of: ${CHANNELS.join(', ')}` });
    }
  }
  if (f.endpointing.maxSilenceMs < f.endpointing.minSilenceMs) {
    errors.push({ field: 'endpointing.maxSilenceMs', message: 'must be at least minSilenceMs' });
  }
  const handoffConfig = normalizeHandoff(f.handoffConfig, errors);
  const callControl = orderKeys(f.callControl as CallControl & Record<string, unknown>, MEMBER_ORDER.callControl);
  if (callControl.onNoResponseAction === 'transfer' && handoffConfig.transferDestination === null) {
    errors.push({
      field: 'callControl.onNoResponseAction',
      message: 'transfer requires handoffConfig.transferDestination',
    });
  }
  return {
    ...f,
    handoffConfig,
    callControl,
    channelOverrides: normalizeChannelOverrides(f.channelOverrides, errors),
  };
}
