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

/** `businessHours.weekly.mon[0].end` → the nearest labelled ancestor plus the rest. */
export function fieldLabel(path: string): string {
  if (LABELS[path]) return LABELS[path];
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const head = parts.slice(0, i).join('.');
    if (LABELS[head]) return `${LABELS[head]} › ${parts.slice(i).join('.')}`;
  }
  return path;
}
