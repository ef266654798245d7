/**
 * The resolved config of one channel: the channel's policy overlaid on the shared config,
 * `callControl` / `voiceSettings` / `endpointing` with every default filled in, members in the
 * contract's order, and a deep copy (no reference shared with the input).
 */
import type { Static } from '@sinclair/typebox';
import { BUILT_IN_MAX_DURATION_MESSAGE, CallControl, type ChannelPolicy, type VersionedConfig } from '../../contracts/agent.js';
import { LIVE_RESOLVED_FIELDS, type LiveResolved } from '../../contracts/live.js';
import { DEFAULTED_OBJECTS } from '../../domain/agents/defaults.js';
import { cloneJson } from '../../domain/agents/json.js';

export type Channel = 'voice' | 'chat';

export { BUILT_IN_MAX_DURATION_MESSAGE };

/** Platform defaults of `callControl` (agent.md), in schema order: the schema's `x-platform-default`s. */
export const CALL_CONTROL_DEFAULTS = Object.freeze(
  Object.fromEntries(
    Object.entries(CallControl.properties).map(([k, m]) => [k, (m as { 'x-platform-default'?: unknown })['x-platform-default']]),
  ),
) as Readonly<LiveResolved['callControl']>;

/** The built-in greeting, naming the agent. */
export function builtInGreeting(agentName: string): string {
  return `Hello, thanks for contacting ${agentName}. How can I help you today?`;
}

/** true when the channel is in enabledChannels and its override does not say enabled: false */
export function channelServed(config: VersionedConfig, channel: Channel): boolean {
  return config.enabledChannels.includes(channel) && config.channelOverrides?.[channel]?.enabled !== false;
}

/** Every member of `defaults` (in its order): the stored value, else the default (null counts as absent). */
function filled<T extends object>(stored: { [K in keyof T]?: T[K] | null } | null | undefined, defaults: T): T {
  const src = (stored ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(defaults)) {
    const v = Object.prototype.hasOwnProperty.call(src, k) ? src[k] : undefined;
    out[k] = v ?? d;
  }
  return out as T;
}

const nonEmpty = (s: string | null | undefined): s is string => typeof s === 'string' && s.length > 0;

/** The channel's effective config (a fresh deep copy). */
export function resolveConfig(config: VersionedConfig, channel: Channel): LiveResolved {
  const policy: Static<typeof ChannelPolicy> = config.channelOverrides?.[channel] ?? {};
  const src = config as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of LIVE_RESOLVED_FIELDS) {
    switch (k) {
      case 'persona':
      case 'tone':
      case 'llmModel':
      case 'llmTemperature':
        out[k] = policy[k] !== undefined ? policy[k] : config[k];
        break;
      case 'greeting':
        out[k] = nonEmpty(policy.greeting) ? policy.greeting : config.greeting;
        break;
      case 'callControl':
        out[k] = filled(config.callControl, CALL_CONTROL_DEFAULTS);
        break;
      case 'voiceSettings':
        out[k] = filled(config.voiceSettings, DEFAULTED_OBJECTS.voiceSettings());
        break;
      case 'endpointing':
        out[k] = filled(config.endpointing, DEFAULTED_OBJECTS.endpointing());
        break;
      default:
        out[k] = cloneJson(src[k]);
    }
  }
  return out as unknown as LiveResolved;
}

/** The effective greeting: override (non-empty), else shared (non-empty), else built-in. */
export function effectiveGreeting(config: VersionedConfig, channel: Channel): string {
  const policyGreeting = config.channelOverrides?.[channel]?.greeting;
  if (nonEmpty(policyGreeting)) return policyGreeting;
  if (nonEmpty(config.greeting)) return config.greeting;
  return builtInGreeting(config.name);
}
