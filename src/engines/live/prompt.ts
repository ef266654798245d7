/**
 * The system prompt: a static head (everything but the hours, built once per version+channel)
 * and an hours section built per instant. The hours section never contains the current local
 * time: only open/closed, the zone, the next change spoken in local time, the holiday, the
 * after-hours behaviour — so it stays identical while those do (the live ETag relies on it).
 */
import type { LiveResolved } from '../../contracts/live.js';
import type { CompiledHours, HoursStatus } from '../hours/index.js';
import { DAY } from '../hours/civil.js';
import { spokenNextOpen } from '../hours/spoken.js';
import { offsetAt, tableFor } from '../hours/zone-offsets.js';
import type { Channel } from './config.js';

type ConfiguredHours = Extract<CompiledHours, { configured: true }>;

/** How the prompt calls the other party on each channel. */
export function counterpart(channel: Channel): string {
  return channel === 'voice' ? 'caller' : 'customer';
}

const list = (items: readonly string[]): string => items.map((i) => `- ${i}`).join('\n');

function section(title: string, body: string): string {
  return `## ${title}\n${body}`;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** `English (en-US)`: the English name the runtime's model understands, and the tag itself. */
function languageName(tag: string): string {
  let name: string | undefined;
  try {
    name = LANGUAGE_NAMES.of(tag);
  } catch {
    name = undefined;
  }
  return name && name !== tag ? `${name} (${tag})` : tag;
}

function languageText(c: LiveResolved, who: string): string {
  if (c.sku === 'code_switch' && c.languages.length > 1) {
    return (
      `Start in ${languageName(c.primaryLanguage)}, the primary language. When the ${who} speaks another of these ` +
      `languages, you may switch to it: ${c.languages.map(languageName).join(', ')}.`
    );
  }
  return `Always speak ${languageName(c.primaryLanguage)}, even if the ${who} uses another language.`;
}

/** Everything but the hours: persona, tone, goals, neverDo, languages, lexicon. */
export function promptHead(c: LiveResolved, channel: Channel): string {
  const who = counterpart(channel);
  const intro =
    channel === 'voice'
      ? `You are ${c.name}, an AI receptionist answering a phone call. Keep your replies short and easy to say aloud.`
      : `You are ${c.name}, an AI receptionist answering a chat. Keep your replies short and clear.`;
  const parts = [intro];
  if (c.persona.length > 0) parts.push(section('Persona', c.persona));
  if (c.tone.length > 0) parts.push(section('Tone', c.tone));
  if (c.goals.length > 0) parts.push(section('Goals', list(c.goals)));
  if (c.neverDo.length > 0) parts.push(section('Never do', list(c.neverDo)));
  parts.push(section('Language', languageText(c, who)));
  const lex: string[] = [];
  const { preferred, banned, pronunciations } = c.lexicon;
  if (preferred.length > 0) lex.push(`Prefer these terms:\n${list(preferred)}`);
  if (banned.length > 0) lex.push(`Never use these terms:\n${list(banned)}`);
  const pron = Object.entries(pronunciations);
  if (pron.length > 0) lex.push(`Pronounce these terms as shown:\n${list(pron.map(([t, s]) => `${t} → ${s}`))}`);
  if (lex.length > 0) parts.push(section('Vocabulary', lex.join('\n\n')));
  return parts.join('\n\n');
}

const AFTER_HOURS_INSTRUCTIONS = {
  answer: (who: string) =>
    `Keep helping the ${who} with everything as usual, and tell them the business is closed and when it opens again.`,
  take_message: (who: string) =>
    `Explain the opening hours and offer to take a message: ask for the ${who}'s name, phone number and the reason ` +
    'for contacting us, and tell them when the business opens again.',
  forward: (who: string) => `Tell the ${who} you will transfer them to the after-hours line, then transfer them.`,
} as const;

/** The hours part of the prompt at the instant `atMs`, whose status is `st` (configured schedules). */
export function hoursSection(hours: ConfiguredHours, channel: Channel, st: HoursStatus, atMs: number): string {
  const who = counterpart(channel);
  const changeMs = st.nextChangeAt === null ? null : Date.parse(st.nextChangeAt);
  const z = tableFor(hours.zone, atMs, changeMs ?? atMs);
  const today = Math.floor((atMs + offsetAt(z, atMs)) / DAY);
  const spoken = changeMs === null ? null : spokenNextOpen(today, changeMs + offsetAt(z, changeMs));
  const lines = [`Times are local to the ${st.timezone} time zone.`];
  const ah = st.afterHours;
  if (st.open || ah === null) {
    lines.push(
      st.holiday !== null ? `The business is open now, with special hours (${st.holiday.name}).` : 'The business is open now.',
    );
    lines.push(spoken !== null ? `It closes ${spoken}.` : 'No closing time is scheduled within the next year.');
  } else {
    lines.push(st.holiday !== null ? `The business is closed now (holiday: ${st.holiday.name}).` : 'The business is closed now.');
    lines.push(spoken !== null ? `It opens again ${spoken}.` : 'No opening is scheduled within the next year.');
    lines.push(`When you tell the ${who} the business is closed, say: "${ah.message}"`);
    lines.push(AFTER_HOURS_INSTRUCTIONS[ah.mode](who));
    if (ah.mode !== 'forward') {
      lines.push(
        ah.allowHumanTransfer && ah.number !== null
          ? `If the ${who} asks for a person, you may transfer them to the after-hours line.`
          : 'Transfers to a person are not available until the business opens again.',
      );
    }
  }
  const emergency = ah?.emergencyNumber ?? hours.afterHours.emergencyNumber;
  if (emergency !== null) lines.push(`In an emergency, the ${who} can reach ${emergency}.`);
  return section('Business hours', lines.join('\n'));
}
