/**
 * The live config's contract (lifecycle.md "LiveConfig"): what a voice or chat runtime gets at
 * the start of a conversation. `LiveResolvedConfig` is derived from the Agent schema: the
 * versioned fields minus `channelOverrides` (already applied), with `callControl` in its
 * effective form (every member present, defaults filled in).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Agent, CallControl, CHANNELS, Nullable, StringEnum, VERSIONED_FIELDS, type VersionedField } from './agent.js';
import { HoursStatusSchema } from './hours.js';
import { InstantParam } from './common.js';

/** `callControl` as the live config returns it: every member required, no null message. */
export const LiveCallControl = Type.Object(
  {
    ...Type.Required(CallControl).properties,
    maxDurationMessage: Type.String({
      maxLength: 500,
      description: 'Said when the limit is reached (the stored message, else a built-in sentence).',
    }),
  },
  { description: 'Effective call limits: the stored values, platform defaults for the rest.' },
);

/** The fields of the resolved config, in the Agent schema's order. */
export type LiveResolvedField = Exclude<VersionedField, 'channelOverrides'>;
export const LIVE_RESOLVED_FIELDS = VERSIONED_FIELDS.filter(
  (k): k is LiveResolvedField => k !== 'channelOverrides',
);

type AgentProps = typeof Agent.properties;
type LiveResolvedProps = {
  [K in LiveResolvedField]: K extends 'callControl' ? typeof LiveCallControl : AgentProps[K];
};

function liveResolvedProps(): LiveResolvedProps {
  const props: Record<string, TSchema> = {};
  for (const k of LIVE_RESOLVED_FIELDS) props[k] = k === 'callControl' ? LiveCallControl : Agent.properties[k];
  return props as LiveResolvedProps;
}

export const LiveResolvedConfig = Type.Object(liveResolvedProps(), {
  description:
    "The version's editable fields with this channel's overrides applied; callControl, endpointing and voiceSettings with every default filled in.",
});

export const LiveTransferRule = Type.Object(
  {
    label: Type.String({ description: 'The rule label.', examples: ['billing'] }),
    when: Type.String({ description: 'When to use this rule.', examples: ['the caller asks about an invoice'] }),
    destination: Type.String({ description: 'Phone number (E.164) or SIP URI.', examples: ['+14155550134'] }),
  },
  { description: 'A transfer rule.' },
);

export const LiveTransfers = Type.Object(
  {
    humanTransferAllowed: Type.Boolean({
      description: 'Open: a destination or rule exists. Closed: afterHours.allowHumanTransfer or mode forward.',
    }),
    destination: Nullable(
      Type.String({ description: 'Default transfer destination now (after hours: afterHours.number); null = none.' }),
    ),
    rules: Type.Array(LiveTransferRule, { description: 'Transfer rules in force now; empty when closed.' }),
    emergencyNumber: Nullable(Type.String({ description: 'After-hours emergency number, whenever set.' })),
    warm: Type.Boolean({ description: 'Summarise caller and reason before connecting.' }),
  },
  { description: 'Transfers to a person, resolved for this instant.' },
);

export const LiveConfigSchema = Type.Object(
  {
    agentId: Type.String({ description: 'The agent (`agt_…`).' }),
    versionId: Nullable(Type.String({ description: 'The version resolved (`agv_…`); null for the draft.' })),
    versionNumber: Nullable(Type.Integer({ minimum: 1, description: 'Its number; null for the draft.' })),
    channel: StringEnum(CHANNELS, { description: 'The channel resolved.' }),
    at: Type.String({ format: 'date-time', description: 'The instant resolved (ISO 8601 UTC).' }),
    config: LiveResolvedConfig,
    greeting: Type.String({ description: 'Effective greeting for this channel; never null.' }),
    hours: HoursStatusSchema,
    transfers: LiveTransfers,
    systemPrompt: Type.String({
      description: 'Compiled from persona, goals, neverDo, tone, lexicon, languages, hours status and after-hours behaviour.',
    }),
  },
  { description: 'Everything a runtime needs to run one conversation, already resolved.' },
);

/** GET /agents/{id}/live query: typed and validated like a body (src/contracts/validator.ts). */
export const LiveQuery = Type.Object({
  channel: StringEnum(CHANNELS, { description: 'The channel to resolve.' }),
  at: Type.Optional(InstantParam('RFC 3339 instant with Z or an offset (default: now).')),
  draft: Type.Optional(Type.Boolean({ description: 'true: resolve the draft (testers); default false.' })),
});

export type LiveConfig = Static<typeof LiveConfigSchema>;
export type LiveResolved = Static<typeof LiveResolvedConfig>;
export type LiveTransfersView = Static<typeof LiveTransfers>;
