/**
 * The Agent's editable fields (agent.md "Fields") and their defaults. Pure data.
 */
import {
  AfterHours, BusinessHours, CallControl, ChannelOverrides, ChannelPolicy, Holiday, Weekly,
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

/** Objects whose members all have defaults: stored with every member present. */
export const DEFAULTED_OBJECTS = {
  lexicon: (): Lexicon => ({ preferred: [], banned: [], pronunciations: {} }),
  voiceSettings: (): VoiceSettings => ({ stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1.0 }),
  endpointing: (): Endpointing => ({ minSilenceMs: 400, maxSilenceMs: 2000, semantic: true }),
  handoffConfig: (): HandoffConfig => ({
    warm: false,
    transferDestination: null,
    escalationThreshold: 3,
    contextSummaryUrl: null,
    transferRules: [],
  }),
} as const;
export type DefaultedObjectField = keyof typeof DEFAULTED_OBJECTS;

/** Objects stored as given (`{}` = platform defaults / unconfigured / no overrides). */
export const AS_GIVEN_OBJECTS = ['callControl', 'businessHours', 'channelOverrides'] as const;
export type AsGivenObjectField = (typeof AS_GIVEN_OBJECTS)[number];

/** Fields whose type includes null: a PATCH null stores null. */
export const NULLABLE_FIELDS = ['defaultVoiceId', 'greeting', 'avgTicketCents'] as const;

/** Defaults of the remaining fields (name, the language trio and the objects above excluded). */
export const SCALAR_DEFAULTS = {
  persona: (): string => '',
  enabledChannels: (): string[] => ['voice', 'chat'],
  goals: (): string[] => [],
  neverDo: (): string[] => [],
  tone: (): string => '',
  voiceMap: (): Record<string, string> => ({}),
  defaultVoiceId: (): string | null => null,
  llmModel: (): string => 'default',
  llmTemperature: (): number => 0.4,
  ttsModel: (): string => 'default',
  sttModel: (): string => 'default',
  greeting: (): string | null => null,
  avgTicketCents: (): number | null => null,
  isActive: (): boolean => true,
} as const;

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
