import type { RegistrantStatus, ZoomEvent } from '../zoom/types';
import type { EventKind } from '../../../shared/events';
import { makePerson, type Person } from './people';
import { SeededRandom } from './random';
import { SandboxAccount, type SandboxRegistrant, type SandboxEvent } from './state';

export const SEEDS = ['demo', 'empty', 'large'] as const;
export type SeedName = (typeof SEEDS)[number];

/** The demo's data subject: registered for every demo webinar, attended, asked, voted, answered. */
export const DEMO_SUBJECT = { first_name: 'Erika', last_name: 'Mustermann', email: 'erika.mustermann@example.com' };
/** Her private address: a sandbox of another account has her register with it (one person, two addresses, two accounts). */
export const DEMO_SUBJECT_PRIVATE = 'erika.m@mail.example.net';

/** The account ID of a sandbox unless told another (`sandbox --account-id`). */
export const SANDBOX_ACCOUNT_ID = 'sandbox-account';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SeedOptions {
  now?: Date;
  /** PRNG seed: the same seed gives the same IDs, people and statuses. */
  rngSeed?: number;
  /** large only: how many webinars and meetings (taking registration) share how many registrants */
  webinars?: number;
  meetings?: number;
  registrants?: number;
  /** Zoom's account ID; another than the default gives the events other numbers (Zoom's numbers are one space across accounts). */
  accountId?: string;
}

/**
 * What a sandbox of another account adds to every event number: 0 for the default account, else a
 * multiple of 100,000 derived from the account ID, so two sandboxes side by side never share one.
 */
export function eventIdOffset(accountId: string): number {
  if (accountId === SANDBOX_ACCOUNT_ID) return 0;
  let hash = 2166136261;
  for (const char of accountId) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return (1 + (hash % 9000)) * 100_000;
}

function baseAccount(random: SeededRandom, accountId = SANDBOX_ACCOUNT_ID): SandboxAccount {
  const account = new SandboxAccount(random, accountId);
  account.users = [
    { id: 'sbxHost0000000000000001', email: 'host@sandbox.example.org', first_name: 'Hannah', last_name: 'Host', type: 2 },
    { id: 'sbxHost0000000000000002', email: 'events@sandbox.example.org', first_name: 'Evan', last_name: 'Events', type: 2 },
  ];
  return account;
}

export interface EventSpec {
  id: number;
  topic: string;
  hostId: string;
  startMs: number;
  /** Recurring (type 9) with this many occurrences a week apart. */
  occurrences?: number;
  /** 0 approves automatically, 1 manually; 2 takes no registration (meetings: listed, but not mirrored). */
  approval?: 0 | 1 | 2;
  ended?: boolean;
}

/** A webinar (type 5, recurring 9) or a meeting (type 2, recurring with fixed time 8; zoom-api.md §4.1a). */
export function makeEvent(account: SandboxAccount, kind: EventKind, spec: EventSpec): SandboxEvent {
  const { random } = account;
  const recurring = (spec.occurrences ?? 0) > 0;
  const event: ZoomEvent = {
    id: spec.id,
    uuid: `${random.id(22)}==`,
    host_id: spec.hostId,
    topic: spec.topic,
    type: kind === 'webinar' ? (recurring ? 9 : 5) : recurring ? 8 : 2,
    start_time: iso(spec.startMs),
    duration: 60,
    timezone: 'Europe/Berlin',
    created_at: iso(spec.startMs - 30 * DAY),
    join_url: `https://sandbox.zoom.example/j/${spec.id}`,
    settings: { approval_type: spec.approval ?? 0, registration_type: 1 },
    ...(recurring
      ? {
          occurrences: Array.from({ length: spec.occurrences! }, (_, i) => ({
            occurrence_id: String(spec.startMs + i * 7 * DAY),
            start_time: iso(spec.startMs + i * 7 * DAY),
            duration: 60,
            status: 'available' as const,
          })),
        }
      : {}),
  };
  return account.addEvent(kind, event, spec.ended ? iso(spec.startMs + 60 * 60_000) : null);
}

/** The registration form a generated person fills in. */
export function registrationFields(person: Person, random: SeededRandom) {
  return {
    email: person.email,
    first_name: person.first_name,
    last_name: person.last_name,
    org: person.org,
    job_title: person.job_title,
    city: person.city,
    country: person.country,
    phone: person.phone,
    custom_questions: [{ title: 'How did you hear about us?', value: random.pick(['Newsletter', 'Colleague', 'LinkedIn', '']) }],
  };
}

export function registerPerson(account: SandboxAccount, entry: SandboxEvent, person: Person, status: RegistrantStatus, createMs: number): SandboxRegistrant {
  const registrant = account.register(entry, registrationFields(person, account.random), { status, createTime: iso(createMs) });
  if (status === 'denied') entry.blocked.add(person.email.toLowerCase());
  return registrant;
}

/** Attendance, Q&A, polls and survey answers for an ended webinar, from some of its approved registrants. */
export function addAttendance(account: SandboxAccount, entry: SandboxEvent, attendees: SandboxRegistrant[]): void {
  const { random } = account;
  const start = Date.parse(entry.event.start_time!);
  attendees.forEach((registrant, i) => {
    const join = start + random.int(10) * 60_000;
    const leave = join + (20 + random.int(40)) * 60_000;
    const name = `${registrant.first_name} ${registrant.last_name ?? ''}`.trim();
    entry.participants.push({
      id: random.id(22),
      user_id: String(16778240 + i),
      name,
      user_email: registrant.email,
      join_time: iso(join),
      leave_time: iso(leave),
      duration: Math.round((leave - join) / 1000),
      registrant_id: registrant.id,
      status: 'in_meeting',
    });
    if (i % 5 === 0) {
      entry.qa.push({
        name,
        email: registrant.email,
        question_details: [
          {
            question: random.pick(['Will the slides be shared?', 'Is there a recording?', 'How do I delete my data?']),
            question_id: random.id(16),
            create_time: iso(join + 300_000),
            question_status: 'answered',
            answer_details: [],
          },
        ],
      });
    }
    if (i % 3 === 0) {
      entry.polls.push({
        name,
        first_name: registrant.first_name,
        last_name: registrant.last_name ?? '',
        email: registrant.email,
        question_details: [{ question: 'How useful was this session?', answer: random.pick(['Very', 'Somewhat', 'Not really']), polling_id: 'poll-1', date_time: iso(join + 900_000) }],
      });
    }
    if (i % 4 === 0) {
      entry.survey.push({
        name,
        first_name: registrant.first_name,
        last_name: registrant.last_name ?? '',
        email: registrant.email,
        answer_details: [{ question: 'Any other comments?', question_id: 'q1', answer: random.pick(['Great talk', 'Too long', 'More examples please']), date_time: iso(leave) }],
      });
    }
  });
}

function seedDemo(now: number, random: SeededRandom, accountId: string): SandboxAccount {
  const account = baseAccount(random, accountId);
  const [host, events] = account.users;
  const offset = eventIdOffset(accountId);
  // In another account's sandbox the subject registers with her private address: one person, two addresses.
  const subject = (offset === 0 ? DEMO_SUBJECT : { ...DEMO_SUBJECT, email: DEMO_SUBJECT_PRIVATE }) as Person;
  let n = 0;
  const nextPerson = () => makePerson(random, ++n);
  const midday = Math.floor(now / DAY) * DAY + 12 * 3600_000;

  const upcoming = makeEvent(account, 'webinar', { id: offset + 81_234_567_890, topic: 'Data protection in practice', hostId: host!.id, startMs: midday + 14 * DAY, approval: 1 });
  const recurring = makeEvent(account, 'webinar', { id: offset + 81_234_567_891, topic: 'Monthly product update', hostId: events!.id, startMs: midday + 3 * DAY, occurrences: 3 });
  const past = makeEvent(account, 'webinar', { id: offset + 81_234_567_892, topic: 'Spring launch', hostId: host!.id, startMs: midday - 7 * DAY, ended: true });
  past.panelists.push(
    { id: random.id(), name: 'Paula Panel', email: 'paula.panel@example.org', join_url: 'https://sandbox.zoom.example/p/1' },
    { id: random.id(), name: 'Peter Podium', email: 'peter.podium@example.net', join_url: 'https://sandbox.zoom.example/p/2' },
  );

  const created = (daysBefore: number) => midday - daysBefore * DAY;
  registerPerson(account, upcoming, subject, 'approved', created(20));
  registerPerson(account, recurring, subject, 'approved', created(19));
  const subjectPast = registerPerson(account, past, subject, 'approved', created(30));

  for (let i = 0; i < 23; i++) registerPerson(account, upcoming, nextPerson(), i < 15 ? 'approved' : i < 20 ? 'pending' : 'denied', created(18 - (i % 10)));
  for (let i = 0; i < 14; i++) registerPerson(account, recurring, nextPerson(), 'approved', created(15 - (i % 10)));
  const pastRegistrants = [subjectPast];
  for (let i = 0; i < 19; i++) pastRegistrants.push(registerPerson(account, past, nextPerson(), 'approved', created(28 - (i % 10))));
  addAttendance(account, past, pastRegistrants.slice(0, 14));

  // Meetings take registration too (zoom-api.md §4.1): a members' meeting to come, a consultation
  // held last week, and a team call without registration, which the mirror leaves out.
  const members = makeEvent(account, 'meeting', { id: offset + 85_234_567_890, topic: "Members' meeting", hostId: host!.id, startMs: midday + 10 * DAY });
  const consultation = makeEvent(account, 'meeting', { id: offset + 85_234_567_891, topic: 'Data protection consultation', hostId: events!.id, startMs: midday - 5 * DAY, ended: true });
  makeEvent(account, 'meeting', { id: offset + 85_234_567_892, topic: 'Team call', hostId: host!.id, startMs: midday + 2 * DAY, approval: 2 });
  registerPerson(account, members, subject, 'approved', created(12));
  const subjectConsultation = registerPerson(account, consultation, subject, 'approved', created(9));
  for (let i = 0; i < 8; i++) registerPerson(account, members, nextPerson(), 'approved', created(11 - (i % 5)));
  const consultationRegistrants = [subjectConsultation];
  for (let i = 0; i < 6; i++) consultationRegistrants.push(registerPerson(account, consultation, nextPerson(), 'approved', created(8 - (i % 4))));
  addAttendance(account, consultation, consultationRegistrants.slice(0, 5));
  return account;
}

function seedLarge(now: number, random: SeededRandom, webinars: number, meetings: number, registrants: number, accountId: string): SandboxAccount {
  const account = baseAccount(random, accountId);
  const offset = eventIdOffset(accountId);
  const midday = Math.floor(now / DAY) * DAY + 12 * 3600_000;
  // Webinars first, then meetings that take registration; the registrants are shared out evenly.
  const events: { kind: EventKind; n: number }[] = [
    ...Array.from({ length: webinars }, (_, n) => ({ kind: 'webinar' as const, n })),
    ...Array.from({ length: meetings }, (_, n) => ({ kind: 'meeting' as const, n })),
  ];
  const perEvent = Math.floor(registrants / events.length);
  let n = 0;
  events.forEach(({ kind, n: w }, index) => {
    const ended = w % 5 === 4; // one in five has ended (within Zoom's 30-day listing window)
    const entry = makeEvent(account, kind, {
      id: offset + (kind === 'webinar' ? 82_000_000_000 : 84_000_000_000) + w,
      topic: `${kind === 'webinar' ? 'Webinar' : 'Meeting'} ${w + 1}`,
      hostId: account.users[w % 2]!.id,
      startMs: ended ? midday - (1 + (w % 25)) * DAY : midday + (1 + (w % 60)) * DAY,
      occurrences: !ended && w % 7 === 0 ? 4 : 0,
      approval: w % 3 === 0 ? 1 : 0,
      ended,
    });
    const count = index === events.length - 1 ? registrants - perEvent * (events.length - 1) : perEvent;
    const attendees: SandboxRegistrant[] = [];
    for (let i = 0; i < count; i++) {
      const roll = random.next();
      const status: RegistrantStatus = roll < 0.85 ? 'approved' : roll < 0.95 ? 'pending' : 'denied';
      const registrant = registerPerson(account, entry, makePerson(random, ++n), status, midday - (40 + random.int(30)) * DAY);
      if (ended && status === 'approved' && random.next() < 0.6) attendees.push(registrant);
    }
    if (ended) addAttendance(account, entry, attendees);
  });
  return account;
}

export function seedAccount(name: SeedName, options: SeedOptions = {}): SandboxAccount {
  const now = (options.now ?? new Date()).getTime();
  const random = new SeededRandom(options.rngSeed ?? 42);
  const accountId = options.accountId ?? SANDBOX_ACCOUNT_ID;
  switch (name) {
    case 'demo':
      return seedDemo(now, random, accountId);
    case 'empty':
      return baseAccount(random, accountId);
    case 'large':
      return seedLarge(now, random, options.webinars ?? 50, options.meetings ?? 0, options.registrants ?? 100_000, accountId);
  }
}

/** The controller the demo's documents speak for: a made-up company under a real authority's address. */
export const DEMO_ORGANISATION = {
  organisation_name: 'Beispiel Webinare GmbH (demo)',
  organisation_contact: 'Beispielstraße 1, 10115 Berlin, Germany · privacy@example.org',
  dpo_email: 'dpo@example.org',
  supervisory_authority: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59-61, 10555 Berlin, Germany',
  time_zone: 'Europe/Berlin',
} as const;
