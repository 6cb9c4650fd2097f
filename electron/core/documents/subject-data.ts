import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import { normaliseEmail } from '../../../shared/email';
import type { RequestDetail } from '../../../shared/requests';
import type { EventKind } from '../../../shared/events';
import { packageRoot } from '../paths';
import type { Db } from '../store/database';
import { REGISTRANT_PERSONAL_FIELDS } from '../store/registrants';

// subject-data.json: what the mirror holds of one subject, grouped by the address it was found
// under, then by the Zoom account that holds it, then by event and source (Art 15), or for
// portability only what the subject gave us, their registrations (Art 20). It is checked
// against the schema that ships with the app before it is written. Other people's names in the
// same records (who answered a question) are left out (Art 15(4)).

export const SCHEMA_FILE = 'subject-data.schema.json';
export const SUBJECT_DATA_FILE = 'subject-data.json';
export const FORMAT = 'dsr-desk/subject-data';

export function schemaPath(): string {
  return path.join(packageRoot(), 'shared', SCHEMA_FILE);
}

type Row = Record<string, string | number | null>;

export interface SubjectData {
  format: string;
  version: 3;
  request: { id: string; type: 'access' | 'portability'; received_at: string };
  generated_at: string;
  controller: { name: string | null; contact: string | null };
  /** email: the request's first address; emails: every address of the person (version 3). */
  subject: { email: string; emails: string[] };
  scope: 'all' | 'provided_by_subject';
  mirror: { synced_from_run: number | null; synced_at: string | null };
  /** Totals over every address. */
  counts: Counts;
  /** The records under each address of the person, in the request's order, each by Zoom account (version 3). */
  by_address: AddressGroup[];
}

export type Counts = { webinars: number; meetings: number; registrations: number; attendance: number; qa: number; polls: number; surveys: number; absences: number; panelist: number };

export interface AddressGroup {
  email: string;
  counts: Counts;
  /** The accounts holding records under this address, by name; none when the mirror holds nothing under it. */
  accounts: AccountGroup[];
}

export interface AccountGroup extends EventGroups {
  account: string;
  counts: Counts;
}

export interface EventGroups {
  webinars: EventData[];
  /** Meetings apart, as Zoom keeps them: no absentees or panelists (schema version 2). */
  meetings: Omit<EventData, 'absences' | 'panelist' | 'webinar_id'>[];
}

export interface EventData {
  event_type: EventKind;
  event_id: string;
  /** On webinars only, as in version 1. */
  webinar_id?: string;
  topic: string | null;
  start_time: string | null;
  registrations: Registration[];
  attendance: Row[];
  absences: Row[];
  qa: Row[];
  polls: Row[];
  surveys: Row[];
  panelist: Row[];
}

interface Registration {
  registrant_id: string;
  status: string;
  listed: boolean;
  registered_at: string | null;
  occurrence_ids: string[];
  fields: Record<string, string>;
  custom_questions: { title: string; value: string }[];
}

const FIELDS = REGISTRANT_PERSONAL_FIELDS.filter((f) => f !== 'custom_questions');

/** Reads the subject's records from the mirror under each of their addresses (each table by its email_norm index). */
export function collectSubjectData(
  db: Db,
  request: RequestDetail,
  emails: string[],
  basis: { run_id: number | null; at: string | null },
  now: Date,
  controller: SubjectData['controller'],
): SubjectData {
  const portability = request.type === 'portability';
  const wanted = [...new Set(emails.map(normaliseEmail))];
  const accountOf = db.prepare('SELECT account FROM events WHERE id = ?').pluck();
  const byAddress = wanted.map((email): AddressGroup => {
    const events = eventsUnder(db, email, portability);
    const byAccount = new Map<string, EventData[]>();
    for (const event of events) {
      const account = (accountOf.get(event.event_id) as string | undefined) ?? DEFAULT_ACCOUNT;
      byAccount.set(account, [...(byAccount.get(account) ?? []), event]);
    }
    const accounts = [...byAccount.keys()].sort().map((account) => ({ account, counts: countsOf(byAccount.get(account)!), ...splitByKind(byAccount.get(account)!) }));
    return { email, counts: countsOf(events), accounts };
  });
  const all = byAddress.flatMap((group) => eventsOfAddress(group));
  return {
    format: FORMAT,
    version: 3,
    request: { id: request.id, type: request.type as 'access' | 'portability', received_at: request.received_at },
    generated_at: now.toISOString(),
    controller,
    subject: { email: wanted[0]!, emails: wanted },
    scope: portability ? 'provided_by_subject' : 'all',
    mirror: { synced_from_run: basis.run_id, synced_at: basis.at },
    counts: {
      ...countsOf(all),
      webinars: new Set(all.filter((e) => e.event_type === 'webinar').map((e) => e.event_id)).size,
      meetings: new Set(all.filter((e) => e.event_type === 'meeting').map((e) => e.event_id)).size,
    },
    by_address: byAddress,
  };
}

function countsOf(list: EventData[]): Counts {
  const count = (key: keyof EventData) => list.reduce((sum, w) => sum + (w[key] as unknown[]).length, 0);
  return {
    webinars: list.filter((e) => e.event_type === 'webinar').length,
    meetings: list.filter((e) => e.event_type === 'meeting').length,
    registrations: count('registrations'),
    attendance: count('attendance'),
    qa: count('qa'),
    polls: count('polls'),
    surveys: count('surveys'),
    absences: count('absences'),
    panelist: count('panelist'),
  };
}

/** Webinars and meetings apart, each in event order (a meeting has no absentees or panelists). */
function splitByKind(list: EventData[]): EventGroups {
  return {
    webinars: list.filter((e) => e.event_type === 'webinar'),
    meetings: list.filter((e) => e.event_type === 'meeting').map(({ absences: _absences, panelist: _panelist, webinar_id: _none, ...meeting }) => meeting),
  };
}

/** Every record under one address, by event. */
function eventsUnder(db: Db, wanted: string, portability: boolean): EventData[] {
  const webinars = new Map<string, EventData>();
  const webinar = (id: string): EventData => {
    let w = webinars.get(id);
    if (!w) {
      const info = db.prepare('SELECT kind, topic, start_time FROM events WHERE id = ?').get(id) as { kind: EventKind; topic: string | null; start_time: string | null } | undefined;
      const kind = info?.kind ?? 'webinar';
      w = {
        event_type: kind,
        event_id: id,
        ...(kind === 'webinar' ? { webinar_id: id } : {}),
        topic: info?.topic ?? null,
        start_time: info?.start_time ?? null,
        registrations: [],
        attendance: [],
        absences: [],
        qa: [],
        polls: [],
        surveys: [],
        panelist: [],
      };
      webinars.set(id, w);
    }
    return w;
  };

  const occurrences = db.prepare('SELECT occurrence_id FROM registrant_occurrences WHERE registrant_row = ? ORDER BY occurrence_id').pluck();
  const registrants = db
    .prepare(`SELECT id, event_id, registrant_id, email, status, present, create_time, ${REGISTRANT_PERSONAL_FIELDS.join(', ')} FROM registrants WHERE email_norm = ? ORDER BY event_id, id`)
    .all(wanted) as Row[];
  for (const r of registrants) {
    const fields: Record<string, string> = { email: String(r.email) };
    for (const f of FIELDS) if (r[f] !== null && r[f] !== '') fields[f] = String(r[f]);
    webinar(String(r.event_id)).registrations.push({
      registrant_id: String(r.registrant_id),
      status: String(r.status),
      listed: r.present === 1,
      registered_at: (r.create_time as string | null) ?? null,
      occurrence_ids: occurrences.all(r.id) as string[],
      fields,
      custom_questions: r.custom_questions ? (JSON.parse(String(r.custom_questions)) as { title: string; value: string }[]) : [],
    });
  }

  if (!portability) {
    const sources: [keyof EventData, string, string][] = [
      ['attendance', 'participants', 'name, email, join_time, leave_time, duration, status'],
      ['absences', 'absentees', 'registrant_id, first_name, last_name, email'],
      ['qa', 'qa_questions', 'name, email, question, create_time, question_status, answers'],
      ['polls', 'poll_answers', 'name, email, question, answer, date_time'],
      ['surveys', 'survey_answers', 'name, email, question, answer, date_time'],
      ['panelist', 'panelists', 'name, email'],
    ];
    for (const [key, table, columns] of sources) {
      for (const row of db.prepare(`SELECT event_id, instance_uuid, ${columns} FROM ${table} WHERE email_norm = ? ORDER BY event_id, instance_uuid, ordinal`).all(wanted) as Row[]) {
        const { event_id, instance_uuid, ...rest } = row;
        const entry: Row = { session: instance_uuid ?? null, ...rest };
        // Who answered the subject's question is someone else's data: only the answers' text.
        if (key === 'qa')
          entry.answers = row.answers
            ? (JSON.parse(String(row.answers)) as { content?: string }[])
                .map((a) => a.content ?? '')
                .filter(Boolean)
                .join('\n') || null
            : null;
        (webinar(String(event_id))[key] as Row[]).push(entry);
      }
    }
  }

  return [...webinars.values()].sort((a, b) => a.event_id.localeCompare(b.event_id));
}

/** Every event of a group (one account's under one address), webinars first, each with every section (a meeting's absences and panelist entries are none). */
export function eventsOf(data: EventGroups): EventData[] {
  return [...data.webinars, ...data.meetings.map((meeting) => ({ ...meeting, absences: [], panelist: [] }))];
}

/** Every event under one address, account by account. */
export function eventsOfAddress(group: AddressGroup): EventData[] {
  return group.accounts.flatMap((account) => eventsOf(account));
}

let validator: ValidateFunction | undefined;

/** Checks the package against the shipped schema; the errors name paths, never values. */
export function validateSubjectData(data: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(fs.readFileSync(schemaPath(), 'utf8')));
  }
  return validator(data) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
