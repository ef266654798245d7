/**
 * The Agent's editable fields (agent.md "Fields") and their defaults. Pure data.
 */
import {
  Agent, AfterHours, BusinessHours, CallControl, ChannelOverrides, ChannelPolicy, EDITABLE_FIELDS, Holiday, Weekly,
  type AgentView, type EditableField,
} from '../../contracts/agent.js';

/** Every editable field of an agent, fully defaulted and normalised (agent.md table order). */
export type AgentConfig = Pick<AgentView, EditableField>;

export type Lexicon = AgentConfig['lexicon'];
export type VoiceSettings = AgentConfig['voiceSettings'];
export type Endpointing = AgentConfig['endpointing'];
export type HandoffConfig = AgentConfig['handoffConfig'];
export type TransferRule = HandoffConfig['transferRules'][number];
export type CallControl = AgentConfig['callControl'];
export type BusinessHours = AgentConfig['businessHours'];
export type Holiday = NonNullable<BusinessHours['holidays']>[number];
export type AfterHours = NonNullable<BusinessHours['afterHours']>;
export type TimeRange = NonNullable<NonNullable<BusinessHours['weekly']>['mon']>[number];
export type ChannelOverrides = AgentConfig['channelOverrides'];
export type ChannelPolicy = NonNullable<ChannelOverrides['voice']>;

export const DEFAULT_PRIMARY_LANGUAGE = 'en';

interface SchemaNode {
  default?: unknown;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
}
const FIELD_SCHEMAS = Agent.properties as unknown as Record<EditableField, SchemaNode>;
const hasDefault = (n: SchemaNode) => Object.prototype.hasOwnProperty.call(n, 'default');
/** Objects with declared members (not maps such as voiceMap). */
const isObjectSchema = (n: SchemaNode) => n.properties !== undefined;
const copyOf = <T>(v: T): T => structuredClone(v);

/*
 * The defaults tables, derived from the `default` annotations of the Agent schema (the one
 * source, also shown in the OpenAPI document). `name` and the language trio have computed
 * defaults (languages.ts) and no annotation.
 */

/** Objects whose members all have defaults: stored with every member present. */
export const DEFAULTED_OBJECTS: Readonly<Record<string, () => Record<string, unknown>>> = Object.fromEntries(
  EDITABLE_FIELDS.filter((f) => isObjectSchema(FIELD_SCHEMAS[f]) && Object.values(FIELD_SCHEMAS[f].properties!).every(hasDefault)).map((f) => {
    const members = Object.entries(FIELD_SCHEMAS[f].properties!);
    return [f, () => Object.fromEntries(members.map(([k, m]) => [k, copyOf(m.default)]))];
  }),
);
export type DefaultedObjectField = 'lexicon' | 'voiceSettings' | 'endpointing' | 'handoffConfig';

/** Objects stored as given (`{}` = platform defaults / unconfigured / no overrides): members without defaults. */
export const AS_GIVEN_OBJECTS = EDITABLE_FIELDS.filter(
  (f) => isObjectSchema(FIELD_SCHEMAS[f]) && !Object.values(FIELD_SCHEMAS[f].properties!).some(hasDefault),
) as AsGivenObjectField[];
export type AsGivenObjectField = 'callControl' | 'businessHours' | 'channelOverrides';

/** Fields whose type includes null: a PATCH null stores null. */
export const NULLABLE_FIELDS: readonly string[] = EDITABLE_FIELDS.filter((f) => {
  const t = FIELD_SCHEMAS[f].type;
  return Array.isArray(t) && t.includes('null');
});

/** Defaults of the remaining fields (the objects above, name and the language trio excluded). */
export const SCALAR_DEFAULTS: Readonly<Record<string, () => unknown>> = Object.fromEntries(
  EDITABLE_FIELDS.filter((f) => hasDefault(FIELD_SCHEMAS[f]) && !isObjectSchema(FIELD_SCHEMAS[f])).map((f) => [
    f,
    () => copyOf(FIELD_SCHEMAS[f].default),
  ]),
);

/** Member order used when storing the as-given objects: the declaration order of their schemas. */
export const MEMBER_ORDER = {
  callControl: Object.keys(CallControl.properties),
  businessHours: Object.keys(BusinessHours.properties),
  weekly: Object.keys(Weekly.properties) as (keyof typeof Weekly.properties)[],
  holiday: Object.keys(Holiday.properties),
  afterHours: Object.keys(AfterHours.properties),
  channelOverrides: Object.keys(ChannelOverrides.properties),
  channelPolicy: Object.keys(ChannelPolicy.properties),
} as const;
