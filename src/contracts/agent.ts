/**
 * The Agent resource's contract (agent.md) as TypeBox / JSON Schema. One source:
 * the response schema `Agent` declares every field; the request bodies `AgentCreateBody` and
 * `AgentPatchBody` are derived from it mechanically (see `deriveBody`), so bounds never drift.
 *
 * The schemas check the request's own shape only (types, ranges, formats, lengths, unknown
 * members). Defaults, normalisation, cross-field rules and read-only comparison live in
 * src/domain/agents/. The custom formats used here are registered by
 * src/contracts/formats.ts `registerFormats` (an Ajv without them refuses to compile).
 */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { FORMATS, URL_MAX_LENGTH, SIP_MAX_LENGTH } from './formats.js';
import { ListQuery } from './common.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** A copy of a schema with TypeBox's symbol keys dropped (plain JSON Schema). */
function plain(schema: TSchema | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(schema)) out[k] = (schema as Record<string, unknown>)[k];
  return out;
}

/**
 * `T | null` written as `type: [T, 'null']` (plus `null` in an `enum`), not as anyOf, so Ajv
 * reports one clean error and OpenAPI 3.1 shows a plain nullable type.
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const s = plain(schema);
  const types = Array.isArray(s.type) ? [...(s.type as string[])] : [s.type as string];
  if (!types.includes('null')) types.push('null');
  s.type = types;
  if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  return Type.Unsafe<Static<T> | null>(s);
}

/** A string enum as `{ type: 'string', enum: [...] }` (no anyOf of literals). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** An open map `string → string`, keys and values bounded. */
function StringMap(
  key: Record<string, unknown>,
  value: TSchema,
  options: Record<string, unknown>,
): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({
    type: 'object',
    propertyNames: { type: 'string', ...key },
    additionalProperties: plain(value),
    ...options,
  });
}

/**
 * The default of a member (agent.md "Fields"): documented in OpenAPI, and the source of the
 * domain's defaults tables (src/domain/agents/defaults.ts). Never applied by the validator.
 */
function Default<T extends TSchema>(schema: T, value: Static<T>): T {
  return { ...schema, default: value };
}

/**
 * The platform default of a member stored as given (`callControl`): not stored, but what the
 * live config fills in (agent.md "callControl"); shown in OpenAPI as `x-platform-default`.
 */
function PlatformDefault<T extends TSchema>(schema: T, value: Static<T>): T {
  return { ...schema, 'x-platform-default': value };
}

/** Said when a call reaches `maxCallSeconds` and no `maxDurationMessage` is set. */
export const BUILT_IN_MAX_DURATION_MESSAGE = "We've reached the time limit for this call. Thank you for calling — goodbye.";

/** Marks a member set by the server; the field lists below are derived from this marker. */
function ReadOnly<T extends TSchema>(schema: T): T & { readOnly: true } {
  return Object.assign(schema, { readOnly: true as const });
}

/** Marks an editable member that is operational: not versioned (lifecycle.md "AgentVersion"). */
function Operational<T extends TSchema>(schema: T): T & { 'x-operational': true } {
  return Object.assign(schema, { 'x-operational': true as const });
}

// ---------------------------------------------------------------------------------------------
// Constants shared with the domain

export const CHANNELS = ['voice', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];
export const SKUS = ['single_language', 'code_switch'] as const;
export const STATUSES = ['draft', 'published'] as const;
export const NO_RESPONSE_ACTIONS = ['end', 'transfer'] as const;
export const AFTER_HOURS_MODES = ['answer', 'take_message', 'forward'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Bounds the spec leaves open, chosen here (documented in the report / docs). */
export const LIMITS = {
  nameRaw: 1000, // raw length before trimming; the real rule is 1–120 after trim (format)
  languageTag: 100,
  languages: 50,
  enabledChannels: 20,
  rangesPerList: 48,
  holidays: 366,
  timezone: 64,
} as const;

// ---------------------------------------------------------------------------------------------
// Leaf schemas

const LanguageTag = Type.String({
  minLength: 1,
  maxLength: LIMITS.languageTag,
  format: FORMATS.languageTag,
  description: 'A BCP 47 language tag, stored canonicalised (`en-us` → `en-US`).',
  examples: ['en-US'],
});

const Destination = Type.String({
  minLength: 1,
  maxLength: SIP_MAX_LENGTH,
  format: FORMATS.destination,
  description:
    'A phone number (stored in E.164 form; 10-digit US numbers get +1) or a sip:/sips: URI (stored as given).',
  examples: ['+14155550134', 'sip:frontdesk@example.com'],
});

const VoiceId = Type.String({ minLength: 1, maxLength: 100, description: 'A voice id.', examples: ['rachel'] });
const ModelName = (what: string) =>
  Type.String({ minLength: 1, maxLength: 100, description: `The ${what} model.`, examples: ['default'] });
const Temperature = Type.Number({ minimum: 0, maximum: 2, description: 'LLM sampling temperature, 0–2.', examples: [0.4] });
const Persona = Type.String({ maxLength: 10000, description: 'Who the agent is and how it behaves (≤ 10 000 characters).' });
const Tone = Type.String({ maxLength: 200, description: 'Tone of voice (≤ 200 characters).', examples: ['warm and concise'] });
const Greeting = Type.String({ maxLength: 1000, description: 'Opening line (≤ 1000 characters).' });
const Instruction = Type.String({ minLength: 1, maxLength: 500 });
const Term = Type.String({ minLength: 1, maxLength: 100 });
const Unit = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

// ---------------------------------------------------------------------------------------------
// Business hours (business-hours.md)

export const WeeklyRange = Type.Object(
  {
    start: Type.String({
      minLength: 5,
      maxLength: 5,
      format: FORMATS.hhmmStart,
      description: 'Opening time HH:MM, 00:00–23:59.',
      examples: ['09:00'],
    }),
    end: Type.String({
      minLength: 5,
      maxLength: 5,
      format: FORMATS.hhmmEnd,
      description: 'Closing time HH:MM, 00:01–24:00; earlier than start = runs past midnight.',
      examples: ['17:00'],
    }),
  },
  { additionalProperties: false, description: 'An opening range in local time.' },
);

const RangeList = (description: string) =>
  Type.Array(WeeklyRange, { maxItems: LIMITS.rangesPerList, description });

const dayRanges = (day: string) => Type.Optional(RangeList(`Opening ranges on ${day}; missing or [] = closed.`));

export const Weekly = Type.Object(
  {
    mon: dayRanges('Mondays'),
    tue: dayRanges('Tuesdays'),
    wed: dayRanges('Wednesdays'),
    thu: dayRanges('Thursdays'),
    fri: dayRanges('Fridays'),
    sat: dayRanges('Saturdays'),
    sun: dayRanges('Sundays'),
  },
  {
    additionalProperties: false,
    description: 'Weekly opening hours by weekday (`mon`…`sun`); `{}` = closed every day.',
    examples: [{ mon: [{ start: '09:00', end: '17:00' }], sat: [{ start: '10:00', end: '14:00' }] }],
  },
);

const CalendarDate = (description: string) =>
  Type.String({ minLength: 10, maxLength: 10, format: FORMATS.date, description, examples: ['2026-12-24'] });

export const Holiday = Type.Object(
  {
    // required members first: responses are serialised required-first (fast-json-stringify), so
    // this order is the order on the wire too
    date: CalendarDate('First date (YYYY-MM-DD, in the agent\'s timezone).'),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Name of the holiday.', examples: ['Christmas'] }),
    endDate: Type.Optional(CalendarDate('Last date, inclusive; not before `date`. Omitted = `date`.')),
    closed: Type.Optional(Type.Boolean({ description: 'Closed all day (default true).' })),
    ranges: Type.Optional(
      RangeList('With `closed: false`: the ranges (non-empty) that replace the weekly hours.'),
    ),
  },
  { additionalProperties: false, description: 'A holiday or special opening.' },
);

export const AfterHours = Type.Object(
  {
    mode: Type.Optional(
      StringEnum(AFTER_HOURS_MODES, { description: 'What the agent does after hours (default `answer`).' }),
    ),
    message: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 1000,
          description: 'Said after hours; `{nextOpen}` is replaced by the next opening. Default null (built-in).',
        }),
      ),
    ),
    allowHumanTransfer: Type.Optional(
      Type.Boolean({ description: 'Allow transfers to a person after hours (default false); needs `number`.' }),
    ),
    number: Type.Optional(Nullable(Destination)),
    emergencyNumber: Type.Optional(Nullable(Destination)),
  },
  { additionalProperties: false, description: 'After-hours behaviour; stored as given.' },
);

export const BusinessHours = Type.Object(
  {
    timezone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.timezone,
        format: FORMATS.timezone,
        description: 'IANA time zone, stored as written; required whenever the schedule is not empty.',
        examples: ['America/New_York'],
      }),
    ),
    weekly: Type.Optional(Weekly),
    holidays: Type.Optional(
      Type.Array(Holiday, { maxItems: LIMITS.holidays, description: 'Holidays; the first matching one wins.' }),
    ),
    afterHours: Type.Optional(AfterHours),
  },
  {
    additionalProperties: false,
    description: 'Opening hours; `{}` = unconfigured (always open). Stored as given.',
    examples: [{ timezone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end: '17:00' }] } }],
  },
);

// ---------------------------------------------------------------------------------------------
// Other nested objects

export const Lexicon = Type.Object(
  {
    preferred: Default(Type.Array(Term, { maxItems: 200, description: 'Terms the agent should use.' }), []),
    banned: Default(Type.Array(Term, { maxItems: 200, description: 'Terms the agent must not use.' }), []),
    pronunciations: Default(StringMap({ minLength: 1, maxLength: 100 }, Term, {
      maxProperties: 200,
      description: 'Term → how to say it.',
      examples: [{ 'Dr.': 'doctor' }],
    }), {}),
  },
  { additionalProperties: false, description: 'Vocabulary; omitted members default to empty.' },
);

export const VoiceMap = StringMap(
  { minLength: 1, maxLength: LIMITS.languageTag, format: FORMATS.languageTag },
  VoiceId,
  {
    maxProperties: LIMITS.languages,
    description: 'Language tag (one of `languages`, canonicalised) → voice id.',
    examples: [{ 'en-US': 'rachel', es: 'lucia' }],
  },
);

export const VoiceSettings = Type.Object(
  {
    stability: Default(Unit('0–1 (default 0.5).'), 0.5),
    similarityBoost: Default(Unit('0–1 (default 0.75).'), 0.75),
    style: Default(Unit('0–1 (default 0).'), 0),
    useSpeakerBoost: Default(Type.Boolean({ description: 'Default true.' }), true),
    speed: Default(Type.Number({ minimum: 0.7, maximum: 1.2, description: '0.7–1.2 (default 1.0).' }), 1.0),
  },
  { additionalProperties: false, description: 'Voice synthesis settings; omitted members take their defaults.' },
);

export const Endpointing = Type.Object(
  {
    minSilenceMs: Default(Type.Integer({ minimum: 100, maximum: 5000, description: '100–5000 ms (default 400).' }), 400),
    maxSilenceMs: Default(Type.Integer({
      minimum: 200,
      maximum: 10000,
      description: '200–10 000 ms, ≥ minSilenceMs (default 2000).',
    }), 2000),
    semantic: Default(Type.Boolean({ description: 'Semantic end-of-turn detection (default true).' }), true),
  },
  { additionalProperties: false, description: 'End-of-turn detection; omitted members take their defaults.' },
);

export const TransferRule = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 80, description: 'Unique within the agent.', examples: ['billing'] }),
    when: Type.String({ minLength: 1, maxLength: 500, description: 'When to use this rule.', examples: ['the caller asks about an invoice'] }),
    destination: Destination,
  },
  { additionalProperties: false, description: 'A transfer rule.' },
);

export const HandoffConfig = Type.Object(
  {
    warm: Default(Type.Boolean({ description: 'Summarise caller and reason before connecting (default false).' }), false),
    transferDestination: Default(Nullable(Destination), null),
    escalationThreshold: Default(Type.Integer({
      minimum: 0,
      maximum: 10,
      description: 'Negative-sentiment turns before offering a person; 0 = never (default 3).',
    }), 3),
    contextSummaryUrl: Default(Nullable(
      Type.String({
        minLength: 1,
        maxLength: URL_MAX_LENGTH,
        format: FORMATS.httpsUrl,
        description: 'https:// URL that receives the handoff summary (default null).',
        examples: ['https://example.com/handoff'],
      }),
    ), null),
    transferRules: Default(Type.Array(TransferRule, { maxItems: 50, description: 'At most 50 rules.' }), []),
  },
  { additionalProperties: false, description: 'Handoff to a person; omitted members take their defaults.' },
);

export const CallControl = Type.Object(
  {
    maxCallSeconds: Type.Optional(PlatformDefault(Type.Integer({ minimum: 60, maximum: 7200, description: '60–7200 (platform default 600).' }), 600)),
    maxDurationMessage: Type.Optional(
      PlatformDefault(
        Nullable(Type.String({ maxLength: 500, description: 'Said when the limit is reached (platform default: a built-in sentence).' })),
        BUILT_IN_MAX_DURATION_MESSAGE,
      ),
    ),
    idleReminderDelaySeconds: Type.Optional(
      PlatformDefault(Type.Integer({ minimum: 3, maximum: 120, description: 'Caller silence before the first reminder, 3–120 (default 10).' }), 10),
    ),
    idleReminderIntervalSeconds: Type.Optional(
      PlatformDefault(Type.Integer({ minimum: 3, maximum: 120, description: 'Between reminders, 3–120 (default 10).' }), 10),
    ),
    maxIdleReminders: Type.Optional(
      PlatformDefault(Type.Integer({ minimum: 0, maximum: 10, description: '0–10; 0 turns reminders off (default 2).' }), 2),
    ),
    endCallPhrasesEnabled: Type.Optional(PlatformDefault(Type.Boolean({ description: 'End the call on goodbye (default true).' }), true)),
    onNoResponseAction: Type.Optional(
      PlatformDefault(
        StringEnum(NO_RESPONSE_ACTIONS, {
          description: 'After the last reminder (default `end`); `transfer` needs handoffConfig.transferDestination.',
        }),
        'end',
      ),
    ),
  },
  { additionalProperties: false, description: 'Call limits; stored as given, `{}` = platform defaults.' },
);

export const ChannelPolicy = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: '`false` turns this channel off.' })),
    greeting: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Empty or null inherits the shared greeting.' }))),
    tone: Type.Optional(Tone),
    persona: Type.Optional(Persona),
    llmModel: Type.Optional(ModelName('LLM')),
    llmTemperature: Type.Optional(Temperature),
  },
  { additionalProperties: false, description: 'What differs from the shared config on this channel.' },
);

export const ChannelOverrides = Type.Object(
  { voice: Type.Optional(ChannelPolicy), chat: Type.Optional(ChannelPolicy) },
  {
    additionalProperties: false,
    'x-unknown-member-message': 'must be one of: voice, chat',
    description: 'Per-channel policies (`voice`, `chat`); stored as given.',
    examples: [{ chat: { greeting: 'Hi! How can I help?' } }],
  },
);

// ---------------------------------------------------------------------------------------------
// The Agent (response)

export const Agent = Type.Object(
  {
    id: ReadOnly(Type.String({ description: 'Read-only. `agt_` + ULID.', examples: ['agt_01JD4ZQ6W5N1KXG3M8P7R2T9VB'] })),
    organizationId: ReadOnly(Type.String({ description: 'Read-only. `org_` + ULID.' })),
    name: Type.String({
      minLength: 1,
      maxLength: 120,
      description: '1–120 characters after trimming; unique per organization (case-insensitive).',
      examples: ['Front desk'],
    }),
    version: ReadOnly(Type.Integer({ minimum: 1, description: 'Read-only. Increases by 1 with every change.' })),
    status: ReadOnly(StringEnum(STATUSES, { description: 'Read-only. `published` once a version is live.' })),
    hasUnpublishedChanges: ReadOnly(Type.Boolean({ description: 'Read-only. The draft differs from the live version.' })),
    persona: Default(Persona, ''),
    primaryLanguage: LanguageTag,
    languages: Type.Array(LanguageTag, {
      minItems: 1,
      maxItems: LIMITS.languages,
      description: '1–50 unique language tags; contains primaryLanguage.',
      examples: [['en-US', 'es']],
    }),
    sku: StringEnum(SKUS, { description: '`single_language` requires exactly one language.' }),
    enabledChannels: Default(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), {
      maxItems: LIMITS.enabledChannels,
      description: 'Channels served: now `voice`, `chat`. An open enum: tolerate unknown values.',
      examples: [['voice', 'chat']],
    }), ['voice', 'chat']),
    goals: Default(Type.Array(Instruction, { maxItems: 50, description: 'At most 50 goals, each 1–500 characters.' }), []),
    neverDo: Default(Type.Array(Instruction, { maxItems: 50, description: 'At most 50 prohibitions, each 1–500 characters.' }), []),
    tone: Default(Tone, ''),
    lexicon: Lexicon,
    voiceMap: Default(VoiceMap, {}),
    defaultVoiceId: Default(Nullable(VoiceId), null),
    voiceSettings: VoiceSettings,
    llmModel: Default(ModelName('LLM'), 'default'),
    llmTemperature: Default(Temperature, 0.4),
    ttsModel: Default(ModelName('text-to-speech'), 'default'),
    sttModel: Default(ModelName('speech-to-text'), 'default'),
    endpointing: Endpointing,
    greeting: Default(Nullable(Greeting), null),
    handoffConfig: HandoffConfig,
    callControl: Default(CallControl, {}),
    businessHours: Default(BusinessHours, {}),
    channelOverrides: Default(ChannelOverrides, {}),
    avgTicketCents: Default(Operational(Nullable(
      Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Average ticket in cents; null = unset.' }),
    )), null),
    publishedVersionId: ReadOnly(Nullable(Type.String({ description: 'Read-only. `agv_…` of the live version.' }))),
    isActive: Default(Operational(Type.Boolean({ description: 'An inactive agent keeps its config but live channels refuse it.' })), true),
    createdBy: ReadOnly(Type.String({ description: 'Read-only. Id of the API key that created the agent.' })),
    createdAt: ReadOnly(Type.String({ format: 'date-time', description: 'Read-only. ISO 8601 UTC.' })),
    updatedAt: ReadOnly(Type.String({ format: 'date-time', description: 'Read-only. ISO 8601 UTC.' })),
  },
  { additionalProperties: false, description: 'An agent (its draft).' },
);

export type AgentView = Static<typeof Agent>;

/** Members of `P` whose schema carries the marker `M`. */
type KeysWhere<P, M> = { [K in keyof P]: P[K] extends M ? K : never }[keyof P] & string;
type AgentProps = typeof Agent.properties;

/** Every member of an agent, in agent.md table order (the schema's order). */
export const AGENT_FIELDS = Object.keys(Agent.properties) as (keyof AgentView)[];

/** Set by the server (`readOnly` in the schema). */
export type ReadOnlyField = KeysWhere<AgentProps, { readOnly: true }>;
export const READ_ONLY_FIELDS = AGENT_FIELDS.filter(
  (k) => (Agent.properties[k] as { readOnly?: boolean }).readOnly === true,
) as ReadOnlyField[];

/** Every editable field, in agent.md table order. */
export type EditableField = Exclude<keyof AgentView, ReadOnlyField>;
export const EDITABLE_FIELDS = AGENT_FIELDS.filter(
  (k) => !(READ_ONLY_FIELDS as string[]).includes(k),
) as EditableField[];

/**
 * Operational fields (`x-operational`: `isActive`, `avgTicketCents`) take effect at once: they are
 * not versioned, not part of `hasUnpublishedChanges` and not diffed (lifecycle.md).
 */
export type OperationalField = KeysWhere<AgentProps, { 'x-operational': true }>;
/** What a published version freezes: every editable field except the operational ones. */
export type VersionedField = Exclude<EditableField, OperationalField>;
export const VERSIONED_FIELDS = EDITABLE_FIELDS.filter(
  (k) => (Agent.properties[k] as { 'x-operational'?: boolean })['x-operational'] !== true,
) as VersionedField[];
/** An AgentVersion's `config`. */
export type VersionedConfig = Pick<AgentView, VersionedField>;

// ---------------------------------------------------------------------------------------------
// Request bodies, derived from `Agent`

type BodyMode = 'create' | 'patch';

/**
 * Derives a request-body schema from a response schema node:
 * - members of objects become optional (members of array items keep their `required`: arrays
 *   replace wholesale, so each item must be complete);
 * - in `patch` mode every object member and map value outside array items also accepts null
 *   (null = reset/remove, agent.md "Writes"); null is not accepted inside array items.
 */
function deriveBody(node: Record<string, unknown>, mode: BodyMode, inArrayItem: boolean): Record<string, unknown> {
  const s = plain(node);
  if (s.properties && typeof s.properties === 'object') {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) {
      const child = deriveBody(v, mode, inArrayItem);
      props[k] = mode === 'patch' && !inArrayItem ? nullable(child) : child;
    }
    s.properties = props;
    if (!inArrayItem) delete s.required;
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const child = deriveBody(s.additionalProperties as Record<string, unknown>, mode, inArrayItem);
    s.additionalProperties = mode === 'patch' && !inArrayItem ? nullable(child) : child;
  } else if (s.items && typeof s.items === 'object') {
    s.items = deriveBody(s.items as Record<string, unknown>, mode, true);
  }
  return s;
}

function nullable(s: Record<string, unknown>): Record<string, unknown> {
  return plain(Nullable(s as unknown as TSchema));
}

function bodySchema(mode: BodyMode): Record<string, unknown> {
  const view = Agent.properties as unknown as Record<string, Record<string, unknown>>;
  const properties: Record<string, unknown> = {};
  for (const key of Object.keys(view)) {
    if ((READ_ONLY_FIELDS as readonly string[]).includes(key)) {
      properties[key] = {
        readOnly: true,
        description:
          mode === 'create'
            ? 'Read-only: rejected in a create body.'
            : 'Read-only: accepted when equal to the current value (a differing `version` is a version conflict).',
      };
      continue;
    }
    if (key === 'name') {
      // Trimmed before its 1–120 rule applies, so the length rule is the format; never null.
      properties[key] = {
        type: 'string',
        maxLength: LIMITS.nameRaw,
        format: FORMATS.agentName,
        description: view.name!.description,
        examples: view.name!.examples,
      };
      continue;
    }
    let child = deriveBody(view[key]!, mode, false);
    if (key === 'enabledChannels') {
      child = {
        ...child,
        uniqueItems: true,
        items: { type: 'string', enum: [...CHANNELS] },
        description: 'Channels served: `voice`, `chat`; unique.',
      };
    }
    properties[key] = mode === 'patch' ? nullable(child) : child;
  }
  return {
    type: 'object',
    properties,
    ...(mode === 'create' ? { required: ['name'] } : {}),
    additionalProperties: false,
    description:
      mode === 'create'
        ? 'Any editable fields; `name` is required. Omitted fields take their defaults.'
        : 'JSON Merge Patch (RFC 7396) of the draft: null resets a field to its default (or null), or removes a member.',
  };
}

/** POST /agents body. Typed loosely: the domain reads it as a record after validation. */
export const AgentCreateBody = Type.Unsafe<Record<string, unknown>>(bodySchema('create'));
/** PATCH /agents/{id} body (JSON Merge Patch). */
export const AgentPatchBody = Type.Unsafe<Record<string, unknown>>(bodySchema('patch'));

/** GET /agents query (agent.md): paging, then the filters. */
export const AgentListQuery = Type.Object({
  ...ListQuery,
  status: Type.Optional(StringEnum(STATUSES, { description: 'draft | published' })),
  isActive: Type.Optional(Type.Boolean({ description: 'true | false' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'case-insensitive substring of the name' })),
});
