/** Human names of agent fields (dotted API paths), for notices and the version diff. */
const LABELS: Record<string, string> = {
  name: 'Name',
  persona: 'Persona',
  tone: 'Tone',
  goals: 'Goals',
  neverDo: 'Never do',
  primaryLanguage: 'Primary language',
  languages: 'Languages',
  sku: 'Language mode',
  enabledChannels: 'Channels',
  lexicon: 'Lexicon',
  'lexicon.preferred': 'Preferred words',
  'lexicon.banned': 'Banned words',
  'lexicon.pronunciations': 'Pronunciations',
  voiceMap: 'Voice per language',
  defaultVoiceId: 'Default voice',
  voiceSettings: 'Voice settings',
  'voiceSettings.stability': 'Voice stability',
  'voiceSettings.similarityBoost': 'Similarity boost',
  'voiceSettings.style': 'Style exaggeration',
  'voiceSettings.useSpeakerBoost': 'Speaker boost',
  'voiceSettings.speed': 'Speaking speed',
  llmModel: 'Language model',
  llmTemperature: 'Temperature',
  ttsModel: 'Text-to-speech model',
  sttModel: 'Speech-to-text model',
  endpointing: 'Turn-taking',
  'endpointing.minSilenceMs': 'Minimum silence',
  'endpointing.maxSilenceMs': 'Maximum silence',
  'endpointing.semantic': 'Semantic end-of-turn',
  greeting: 'Greeting',
  handoffConfig: 'Handoff',
  'handoffConfig.warm': 'Warm transfer',
  'handoffConfig.transferDestination': 'Default transfer destination',
  'handoffConfig.escalationThreshold': 'Escalation threshold',
  'handoffConfig.contextSummaryUrl': 'Handoff summary URL',
  'handoffConfig.transferRules': 'Transfer rules',
  callControl: 'Call control',
  'callControl.maxCallSeconds': 'Maximum call length',
  'callControl.maxDurationMessage': 'Message at the time limit',
  'callControl.idleReminderDelaySeconds': 'First reminder after',
  'callControl.idleReminderIntervalSeconds': 'Between reminders',
  'callControl.maxIdleReminders': 'Reminders',
  'callControl.endCallPhrasesEnabled': 'End on goodbye',
  'callControl.onNoResponseAction': 'When the caller stays silent',
  businessHours: 'Business hours',
  'businessHours.timezone': 'Time zone',
  'businessHours.weekly': 'Weekly hours',
  'businessHours.holidays': 'Holidays',
  'businessHours.afterHours': 'After hours',
  channelOverrides: 'Channel overrides',
  'channelOverrides.voice': 'Voice channel overrides',
  'channelOverrides.chat': 'Chat channel overrides',
  avgTicketCents: 'Average ticket',
  isActive: 'Active',
};

/**
 * A dotted API path in words: the nearest labelled ancestor, then the rest, list indices counted
 * from 1 (`handoffConfig.transferRules[1].label` → "Transfer rules #2 › label").
 */
export function fieldLabel(path: string): string {
  if (LABELS[path]) return LABELS[path]!;
  const names = path.replace(/\[(\d+)\]/g, '').split('.');
  for (let i = names.length; i > 0; i--) {
    const head = names.slice(0, i).join('.');
    if (!LABELS[head]) continue;
    // the same prefix in the real path (with its indices)
    const segs = path.split('.');
    const rest = segs.slice(i - 1);
    const first = rest[0]!.match(/(\[\d+\])+$/)?.[0] ?? '';
    const tail = [first ? first.replace(/\[(\d+)\]/g, (_, n) => ` #${Number(n) + 1}`).trim() : '', ...rest.slice(1)].filter(Boolean);
    const pretty = tail.map((t) => t.replace(/\[(\d+)\]/g, (_, n) => ` #${Number(n) + 1}`));
    return [LABELS[head] + (pretty[0]?.startsWith('#') ? ` ${pretty.shift()}` : ''), ...pretty].join(' › ');
  }
  return path.replace(/\[(\d+)\]/g, (_, n) => ` #${Number(n) + 1}`);
}

/** API paths inside a server message (e.g. "same as handoffConfig.transferRules[0].label") in words. */
export function humanizeMessage(message: string): string {
  return message.replace(/\b[a-z][A-Za-z]*(?:\.[A-Za-z]+|\[\d+\])+(?:\.[A-Za-z]+|\[\d+\])*/g, (p) => (p.includes('.') || p.includes('[') ? fieldLabel(p) : p));
}
