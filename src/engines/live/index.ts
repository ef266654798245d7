/**
 * Live-config engine (lifecycle.md "LiveConfig"): pure and synchronous. `resolveStatic` does
 * everything that depends only on (config, channel) — overlay, defaults, greeting, compiled
 * hours, both forms of `transfers`, the prompt's head — and is cached by the caller per
 * version+channel. `resolveAt` does only what depends on the instant.
 */
import type { VersionedConfig } from '../../contracts/agent.js';
import type { LiveResolved, LiveTransfersView } from '../../contracts/live.js';
import { compileHours, evaluateHours, type BusinessHoursInput, type CompiledHours, type HoursStatus } from '../hours/index.js';
import { effectiveGreeting, resolveConfig, type Channel } from './config.js';
import { hoursSection, promptHead } from './prompt.js';
import { buildTransfers } from './transfers.js';

export { BUILT_IN_MAX_DURATION_MESSAGE, CALL_CONTROL_DEFAULTS, builtInGreeting, channelServed } from './config.js';
export type { Channel } from './config.js';

/** Everything that depends only on (config, channel): computed once per version+channel and cached by the caller. Throws nothing; call channelServed first. */
export interface LiveStatic {
  readonly channel: Channel;
  /** The resolved config (a deep copy owned by this object; callers only serialise it). */
  readonly config: LiveResolved;
  readonly greeting: string;
  readonly hours: CompiledHours;
  /** `transfers` while open / while closed: frozen, returned by reference. */
  readonly transfersOpen: LiveTransfersView;
  readonly transfersClosed: LiveTransfersView;
  /** The system prompt without its hours section (the whole prompt when unconfigured). */
  readonly promptHead: string;
}

export function resolveStatic(config: VersionedConfig, channel: Channel): LiveStatic {
  const resolved = resolveConfig(config, channel);
  const hours = compileHours(resolved.businessHours as BusinessHoursInput);
  const transfers = buildTransfers(resolved, hours);
  return {
    channel,
    config: resolved,
    greeting: effectiveGreeting(config, channel),
    hours,
    transfersOpen: transfers.open,
    transfersClosed: transfers.closed,
    promptHead: promptHead(resolved, channel),
  };
}

/** The per-instant part. */
export interface LiveDynamic {
  hours: HoursStatus;
  transfers: LiveTransfersView;
  systemPrompt: string;
}

export function resolveAt(s: LiveStatic, atMs: number): LiveDynamic {
  const status = statusAt(s, atMs);
  return { hours: status, transfers: transfersFor(s, status), systemPrompt: s.promptHead + promptHoursPart(s, status, atMs) };
}

/*
 * The per-instant part piece by piece, for callers that cache what follows from a status
 * (resolveAt is their composition).
 */

/** The HoursStatus at the instant. */
export function statusAt(s: Pick<LiveStatic, 'hours'>, atMs: number): HoursStatus {
  return evaluateHours(s.hours, atMs);
}

/** `transfers` for a status: the open form while open (always, unconfigured), else the closed one. */
export function transfersFor(s: LiveStatic, status: HoursStatus): LiveTransfersView {
  return status.open ? s.transfersOpen : s.transfersClosed;
}

/**
 * What follows the prompt's head at the instant: `""` for an unconfigured schedule, else a blank
 * line and the hours section. A function of the status without its local-time members and of
 * the local date (the next change is spoken relative to it).
 */
export function promptHoursPart(s: Pick<LiveStatic, 'hours' | 'channel'>, status: HoursStatus, atMs: number): string {
  return s.hours.configured ? `\n\n${hoursSection(s.hours, s.channel, status, atMs)}` : '';
}
