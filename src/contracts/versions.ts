/**
 * lifecycle.md: AgentVersion, the publish and rollback bodies, and Diff. The version's `config`
 * is derived from the Agent schema (its versioned fields), never listed by hand.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Agent, Nullable, StringEnum, VERSIONED_FIELDS } from './agent.js';
import { FORMATS } from './formats.js';

/** Every editable field except the operational ones, as it was when published. */
export const VersionedConfigSchema = Type.Pick(Agent, VERSIONED_FIELDS, {
  description: 'Every editable agent field except `isActive` and `avgTicketCents`, frozen at publish.',
});


export const AgentVersionSchema = Type.Object(
  {
    id: Type.String({ description: '`agv_` + ULID.', examples: ['agv_01JD4ZQ6W5N1KXG3M8P7R2T9VB'] }),
    agentId: Type.String({ description: 'The agent this version belongs to.' }),
    number: Type.Integer({ minimum: 1, description: '1, 2, 3 … per agent, without gaps.' }),
    note: Nullable(Type.String({ description: 'The note given at publish.' })),
    config: VersionedConfigSchema,
    publishedAt: Type.String({ format: 'date-time' }),
    publishedBy: Nullable(Type.String({ description: 'Id of the API key that published it.' })),
    sourceAgentVersion: Type.Integer({ minimum: 1, description: "The agent's `version` that was published (before publish's own increment)." }),
    isLive: Type.Boolean({ description: 'This version is the one live channels serve.' }),
  },
  { description: 'An immutable, numbered snapshot of an agent\'s draft.' },
);
export type AgentVersionView = Static<typeof AgentVersionSchema>;

export const PublishBody = Type.Object(
  { note: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'What changed, for the history (≤ 500 characters).' }))) },
  { additionalProperties: false },
);

export const RollbackBody = Type.Object(
  {
    versionId: Type.String({
      maxLength: 30,
      format: FORMATS.agentVersionId,
      description: 'The version to make live: any version of this agent (`agv_…`).',
    }),
  },
  { required: ['versionId'], additionalProperties: false },
);

/** `?against=` of the diff: another version of the same agent. */
export const DiffQuery = Type.Object({
  against: Type.Optional(Type.String({ maxLength: 30, format: FORMATS.agentVersionId, description: 'Another version of the same agent (`agv_…`)' })),
});

export const DiffEntrySchema = Type.Object({
  field: Type.String({ description: 'Path of the differing leaf, e.g. `businessHours.weekly.mon[0].end`.', examples: ['greeting'] }),
  kind: StringEnum(['added', 'removed', 'changed'] as const),
  before: Type.Optional(Type.Unknown({ description: 'Absent when added.' })),
  after: Type.Optional(Type.Unknown({ description: 'Absent when removed.' })),
});

export const DiffSchema = Type.Object(
  {
    from: Type.String({ description: 'The version compared from.' }),
    to: Type.String({ description: '`draft`, or the version given as `against`.' }),
    changes: Type.Array(DiffEntrySchema, { description: 'One entry per differing leaf, sorted by field; empty = identical.' }),
  },
  { description: 'What differs between a version and the draft (or another version).' },
);
export type DiffView = Static<typeof DiffSchema>;
