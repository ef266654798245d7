// Realistic agent bodies for the benchmark data set: a few businesses, each with a persona,
// goals, prohibitions, a lexicon, business hours with holidays and after-hours rules, transfer
// rules and channel overrides. bench/seed.mjs creates one agent per template through the real
// API (so the stored JSON is exactly what the app writes) and copies them in bulk.

const HOLIDAYS_US = [
  { date: '2026-11-26', endDate: '2026-11-27', name: 'Thanksgiving' },
  { date: '2026-12-24', endDate: '2026-12-26', name: 'Christmas' },
  { date: '2026-12-31', name: "New Year's Eve", closed: false, ranges: [{ start: '08:00', end: '12:00' }] },
  { date: '2027-01-01', name: 'New Year' },
  { date: '2027-05-31', name: 'Memorial Day' },
  { date: '2027-07-05', name: 'Independence Day' },
];
const HOLIDAYS_EU = [
  { date: '2026-12-24', endDate: '2026-12-26', name: 'Weihnachten' },
  { date: '2026-12-31', name: 'Silvester', closed: false, ranges: [{ start: '09:00', end: '13:00' }] },
  { date: '2027-01-01', name: 'Neujahr' },
  { date: '2027-03-26', endDate: '2027-03-29', name: 'Ostern' },
  { date: '2027-05-01', name: 'Tag der Arbeit' },
];
const WEEKDAYS_9_17 = { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] };

export const TEMPLATES = [
  {
    kind: 'Dental',
    body: {
      name: 'Bright Smile Dental',
      persona: 'You are the front desk of a family dental practice. You are calm, friendly and precise. You know the dentists, the hygienists and the practice policies, and you never guess about a patient\'s treatment. '.repeat(3),
      languages: ['en-US', 'es'],
      goals: ['Book, move or cancel appointments', 'Answer questions about insurance and prices', 'Take a message for the dentist', 'Send new patients the intake form link'],
      neverDo: ['Give medical advice', 'Quote prices not in the price list', "Share other patients' information"],
      tone: 'warm and brief',
      lexicon: { preferred: ['appointment', 'cleaning', 'hygienist'], banned: ['cheap', 'pain-free'], pronunciations: { Invisalign: 'in-vis-a-line', 'Dr.': 'doctor' } },
      greeting: 'Thanks for calling Bright Smile Dental! How can I help?',
      handoffConfig: {
        warm: true,
        transferDestination: '(415) 555-0134',
        transferRules: [
          { label: 'billing', when: 'the caller asks about an invoice or a payment plan', destination: '+14155550135' },
          { label: 'emergency', when: 'the caller is in pain, bleeding or has a broken tooth', destination: '+14155550136' },
        ],
      },
      callControl: { maxCallSeconds: 900, maxIdleReminders: 3 },
      businessHours: {
        timezone: 'America/New_York',
        weekly: {
          mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }],
          tue: [{ start: '08:00', end: '17:00' }], wed: [{ start: '08:00', end: '17:00' }],
          thu: [{ start: '08:00', end: '19:00' }], fri: [{ start: '08:00', end: '15:00' }], sat: [{ start: '09:00', end: '12:00' }],
        },
        holidays: HOLIDAYS_US,
        afterHours: { mode: 'take_message', message: 'Our office is closed. We reopen {nextOpen}.', emergencyNumber: '(415) 555-0199' },
      },
      channelOverrides: { chat: { greeting: 'Hi! How can we help with your smile today?', tone: 'friendly' } },
    },
  },
  {
    kind: 'Law',
    body: {
      name: 'Harper & Cole Law',
      persona: 'You are the intake assistant of a small law firm handling family, employment and tenancy matters. You collect facts carefully, you never give legal advice, and you book consultations with the right attorney. '.repeat(3),
      languages: ['en-US'],
      sku: 'single_language',
      goals: ['Qualify new matters', 'Book a consultation', 'Route existing clients to their attorney'],
      neverDo: ['Give legal advice', 'Promise an outcome', 'Discuss fees beyond the consultation fee'],
      tone: 'professional and reassuring',
      lexicon: { preferred: ['consultation', 'matter'], banned: ['guarantee'], pronunciations: { LLP: 'L L P' } },
      greeting: 'Harper & Cole, how may I direct your call?',
      handoffConfig: {
        warm: true,
        transferDestination: '+13125550110',
        escalationThreshold: 2,
        transferRules: [
          { label: 'family', when: 'divorce, custody or support', destination: '+13125550111' },
          { label: 'employment', when: 'wrongful termination, wages or discrimination', destination: '+13125550112' },
          { label: 'tenancy', when: 'eviction, deposits or repairs', destination: 'sip:tenancy@harpercole.example' },
        ],
      },
      callControl: { maxCallSeconds: 1200, onNoResponseAction: 'transfer' },
      businessHours: {
        timezone: 'America/Chicago',
        weekly: WEEKDAYS_9_17,
        holidays: HOLIDAYS_US,
        afterHours: { mode: 'forward', number: '+13125550199', allowHumanTransfer: true },
      },
      channelOverrides: { chat: { greeting: 'Welcome to Harper & Cole. What can we help you with?', llmTemperature: 0.2 } },
    },
  },
  {
    kind: 'Plumbing',
    body: {
      name: 'Rapid Rooter Plumbing',
      persona: 'You answer the phone for a 24/7 plumbing company. You find out what is wrong, how urgent it is and where the customer is, then you dispatch a technician or book a visit. '.repeat(3),
      languages: ['en-US', 'es'],
      goals: ['Triage the problem', 'Dispatch emergencies at once', 'Book routine visits', 'Give the call-out fee when asked'],
      neverDo: ['Diagnose over the phone', 'Promise an arrival time shorter than dispatch confirms'],
      tone: 'direct and calm',
      lexicon: { preferred: ['technician', 'visit'], banned: [], pronunciations: { PEX: 'pecks' } },
      greeting: 'Rapid Rooter, what is going on with your plumbing?',
      handoffConfig: { transferDestination: '+12135550140', transferRules: [{ label: 'dispatch', when: 'water is leaking now or sewage is backing up', destination: '+12135550141' }] },
      businessHours: {
        timezone: 'America/Los_Angeles',
        weekly: { mon: [{ start: '07:00', end: '19:00' }], tue: [{ start: '07:00', end: '19:00' }], wed: [{ start: '07:00', end: '19:00' }], thu: [{ start: '07:00', end: '19:00' }], fri: [{ start: '07:00', end: '19:00' }], sat: [{ start: '08:00', end: '14:00' }], sun: [{ start: '22:00', end: '02:00' }] },
        holidays: HOLIDAYS_US.slice(0, 4),
        afterHours: { mode: 'answer', message: 'Our office is closed, but emergencies are dispatched around the clock.', emergencyNumber: '+12135550141' },
      },
      channelOverrides: { voice: { tone: 'calm and quick' }, chat: { greeting: 'Hi! Tell us what is wrong and your ZIP code.' } },
    },
  },
  {
    kind: 'Zahnarzt',
    body: {
      name: 'Zahnarztpraxis Müller',
      persona: 'Du bist die Rezeption einer Zahnarztpraxis in Berlin. Du vereinbarst Termine, beantwortest Fragen zu Öffnungszeiten und Leistungen und nimmst Nachrichten für das Praxisteam auf. '.repeat(3),
      languages: ['de', 'en'],
      goals: ['Termine vereinbaren, verschieben oder absagen', 'Fragen zur Kostenübernahme beantworten', 'Nachrichten aufnehmen'],
      neverDo: ['Medizinische Ratschläge geben', 'Preise ohne Heil- und Kostenplan nennen'],
      tone: 'freundlich und sachlich',
      lexicon: { preferred: ['Termin', 'Prophylaxe'], banned: ['billig'], pronunciations: { PZR: 'professionelle Zahnreinigung' } },
      greeting: 'Zahnarztpraxis Müller, guten Tag! Wie kann ich helfen?',
      handoffConfig: { warm: true, transferDestination: '+493055501230', transferRules: [{ label: 'notfall', when: 'starke Schmerzen oder ein Unfall', destination: '+493055501231' }] },
      callControl: { maxCallSeconds: 600, idleReminderDelaySeconds: 8 },
      businessHours: {
        timezone: 'Europe/Berlin',
        weekly: { mon: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }], tue: [{ start: '08:00', end: '18:00' }], wed: [{ start: '08:00', end: '13:00' }], thu: [{ start: '08:00', end: '19:00' }], fri: [{ start: '08:00', end: '14:00' }] },
        holidays: HOLIDAYS_EU,
        afterHours: { mode: 'take_message', message: 'Die Praxis ist geschlossen. Wir sind {nextOpen} wieder erreichbar.', emergencyNumber: '+49301234567' },
      },
      channelOverrides: { chat: { greeting: 'Hallo! Wie können wir helfen?' }, voice: { llmTemperature: 0.3 } },
    },
  },
  {
    kind: 'Hotel',
    body: {
      name: 'Hotel Sol de Madrid',
      persona: 'Eres el recepcionista virtual de un hotel boutique en Madrid. Gestionas reservas, informas sobre servicios y transfieres a recepción cuando hace falta. '.repeat(3),
      languages: ['es', 'en', 'fr'],
      goals: ['Gestionar reservas', 'Informar sobre check-in, desayuno y aparcamiento', 'Recomendar restaurantes cercanos'],
      neverDo: ['Confirmar tarifas no publicadas', 'Compartir datos de otros huéspedes'],
      tone: 'cálido y elegante',
      lexicon: { preferred: ['reserva', 'habitación'], banned: [], pronunciations: { 'Sol de Madrid': 'sol de madríd' } },
      greeting: '¡Bienvenido al Hotel Sol de Madrid! ¿En qué puedo ayudarle?',
      handoffConfig: { transferDestination: '+34915550100', transferRules: [{ label: 'reception', when: 'the guest is in the hotel and needs something now', destination: '+34915550101' }, { label: 'events', when: 'weddings, meetings or groups over 10', destination: '+34915550102' }] },
      businessHours: {
        timezone: 'Europe/Madrid',
        weekly: { mon: [{ start: '00:00', end: '24:00' }], tue: [{ start: '00:00', end: '24:00' }], wed: [{ start: '00:00', end: '24:00' }], thu: [{ start: '00:00', end: '24:00' }], fri: [{ start: '00:00', end: '24:00' }], sat: [{ start: '00:00', end: '24:00' }], sun: [{ start: '00:00', end: '24:00' }] },
        holidays: [{ date: '2026-12-25', name: 'Navidad', closed: false, ranges: [{ start: '08:00', end: '20:00' }] }],
        afterHours: { mode: 'answer' },
      },
      channelOverrides: { chat: { greeting: '¡Hola! ¿Busca habitación?', tone: 'cercano' } },
    },
  },
  {
    kind: 'Vet',
    body: {
      name: 'Maple Street Veterinary',
      persona: 'You are the receptionist of a veterinary clinic for dogs, cats and small animals. You book visits, answer questions about vaccinations and recognise emergencies. '.repeat(3),
      languages: ['en-GB'],
      sku: 'single_language',
      goals: ['Book consultations and vaccinations', 'Recognise emergencies and transfer them', 'Explain repeat-prescription requests'],
      neverDo: ['Diagnose an animal', 'Recommend medication doses'],
      tone: 'kind and reassuring',
      lexicon: { preferred: ['consultation', 'booster'], banned: ['put down'], pronunciations: { MRCVS: 'M R C V S' } },
      greeting: 'Maple Street Veterinary, how can we help you and your pet?',
      handoffConfig: { warm: false, transferDestination: '+442075550190', transferRules: [{ label: 'emergency', when: 'the animal is collapsed, bleeding or poisoned', destination: '+442075550191' }] },
      callControl: { maxIdleReminders: 1 },
      businessHours: {
        timezone: 'Europe/London',
        weekly: { ...WEEKDAYS_9_17, sat: [{ start: '09:00', end: '13:00' }] },
        holidays: [{ date: '2026-12-25', endDate: '2026-12-26', name: 'Christmas' }, { date: '2027-01-01', name: "New Year's Day" }, { date: '2027-03-26', name: 'Good Friday' }],
        afterHours: { mode: 'forward', number: '+442075550199', allowHumanTransfer: true, emergencyNumber: '+442075550191' },
      },
      channelOverrides: { voice: { greeting: 'Maple Street Vets, hello!' }, chat: { tone: 'friendly and short', llmModel: 'fast' } },
    },
  },
];

export const TONES = ['warm and brief', 'friendly', 'professional', 'calm and precise', 'upbeat', 'formal', 'reassuring', 'concise'];
export const CITIES = ['Downtown', 'Riverside', 'Northgate', 'Oak Park', 'Harbor', 'Mitte', 'Chamberí', 'Camden', 'Westside', 'Lakeview', 'Südstadt', 'Old Town'];
