/**
 * `transfers` of the live config. They depend on the instant only through open/closed, so both
 * forms are built once per version+channel, frozen, and returned by reference.
 */
import type { LiveResolved, LiveTransfersView } from '../../contracts/live.js';
import type { CompiledHours } from '../hours/index.js';

export interface PrebuiltTransfers {
  /** While open (and always, for an unconfigured schedule). */
  readonly open: LiveTransfersView;
  /** While closed: the after-hours number only, no rules. */
  readonly closed: LiveTransfersView;
}

function freeze(t: LiveTransfersView): LiveTransfersView {
  Object.freeze(t.rules);
  return Object.freeze(t);
}

export function buildTransfers(config: LiveResolved, hours: CompiledHours): PrebuiltTransfers {
  const h = config.handoffConfig;
  const rules = h.transferRules.map((r) => Object.freeze({ label: r.label, when: r.when, destination: r.destination }));
  // The compiled schedule's after-hours block has the defaults filled in, like HoursStatus.afterHours.
  const ah = hours.configured
    ? hours.afterHours
    : { mode: 'answer' as const, allowHumanTransfer: false, number: null, emergencyNumber: null };
  const emergencyNumber = ah.emergencyNumber ?? null;
  const afterHoursAllowed = (ah.mode === 'forward' || ah.allowHumanTransfer === true) && ah.number !== null;
  return {
    open: freeze({
      humanTransferAllowed: h.transferDestination !== null || rules.length > 0,
      destination: h.transferDestination,
      rules,
      emergencyNumber,
      warm: h.warm,
    }),
    closed: freeze({
      humanTransferAllowed: afterHoursAllowed,
      destination: afterHoursAllowed ? ah.number : null,
      rules: [],
      emergencyNumber,
      warm: h.warm,
    }),
  };
}
