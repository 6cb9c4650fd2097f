import type { ZoomPanelist, ZoomParticipant, ZoomPollEntry, ZoomQaEntry, ZoomRegistrant, ZoomSurveyEntry } from '../zoom/types';

// The attendee-type records Zoom keeps and its API can't erase (zoom-api.md §4): one table each,
// one row per thing a person did (a join, a question, a poll answer). `keep` names the columns
// that stay when the person is suppressed: Zoom's own keys, never anything about the person.

export const REPORT_SOURCES = ['participant', 'absentee', 'qa', 'poll', 'survey', 'panelist'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export type ReportRow = Record<string, string | number | null> & { email: string | null };

export interface ReportTable {
  table: string;
  /** Columns besides the key (event_id, instance_uuid, ordinal, last_seen_run) and email/email_norm/suppressed. */
  columns: readonly string[];
  keep: readonly string[];
}

export const REPORT_TABLES: Record<ReportSource, ReportTable> = {
  participant: {
    table: 'participants',
    columns: ['participant_id', 'user_id', 'registrant_id', 'name', 'join_time', 'leave_time', 'duration', 'status'],
    keep: ['registrant_id'],
  },
  absentee: { table: 'absentees', columns: ['registrant_id', 'first_name', 'last_name', 'details'], keep: ['registrant_id'] },
  qa: { table: 'qa_questions', columns: ['name', 'user_id', 'question', 'question_id', 'create_time', 'question_status', 'answers'], keep: ['question_id'] },
  poll: { table: 'poll_answers', columns: ['name', 'first_name', 'last_name', 'question', 'answer', 'polling_id', 'date_time'], keep: ['polling_id'] },
  survey: { table: 'survey_answers', columns: ['name', 'first_name', 'last_name', 'question', 'question_id', 'answer', 'date_time'], keep: ['question_id'] },
  panelist: { table: 'panelists', columns: ['panelist_id', 'name'], keep: ['panelist_id'] },
};

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function participantRows(p: ZoomParticipant): ReportRow[] {
  return [
    {
      participant_id: text(p.id),
      user_id: text(p.user_id),
      registrant_id: text(p.registrant_id),
      name: text(p.name),
      email: text(p.user_email),
      join_time: text(p.join_time),
      leave_time: text(p.leave_time),
      duration: typeof p.duration === 'number' ? p.duration : null,
      status: text(p.status),
    },
  ];
}

export function absenteeRows(r: ZoomRegistrant): ReportRow[] {
  const { id, email, first_name, last_name, ...rest } = r;
  return [{ registrant_id: text(id), first_name: text(first_name), last_name: text(last_name), email: text(email), details: JSON.stringify(rest) }];
}

export function qaRows(entry: ZoomQaEntry): ReportRow[] {
  return entry.question_details.map((q) => ({
    name: text(entry.name),
    email: text(entry.email),
    user_id: text(entry.user_id),
    question: text(q.question),
    question_id: text(q.question_id),
    create_time: text(q.create_time),
    question_status: text(q.question_status),
    answers: q.answer_details && q.answer_details.length > 0 ? JSON.stringify(q.answer_details) : null,
  }));
}

export function pollRows(entry: ZoomPollEntry): ReportRow[] {
  return entry.question_details.map((q) => ({
    name: text(entry.name),
    first_name: text(entry.first_name),
    last_name: text(entry.last_name),
    email: text(entry.email),
    question: text(q.question),
    answer: text(q.answer),
    polling_id: text(q.polling_id),
    date_time: text(q.date_time),
  }));
}

export function surveyRows(entry: ZoomSurveyEntry): ReportRow[] {
  return entry.answer_details.map((a) => ({
    name: text(entry.name),
    first_name: text(entry.first_name),
    last_name: text(entry.last_name),
    email: text(entry.email),
    question: text(a.question),
    question_id: text(a.question_id),
    answer: text(a.answer),
    date_time: text(a.date_time),
  }));
}

export function panelistRows(p: ZoomPanelist): ReportRow[] {
  return [{ panelist_id: text(p.id), name: text(p.name), email: text(p.email) }];
}

/** Zoom's Q&A answer_details (stored as JSON) with a subject's own answers stripped of who gave them, and every answer's text scrubbed. */
export function scrubAnswers(answers: string | null, isSubject: (email: string | null | undefined) => boolean, scrubText: (text: string) => string = (t) => t): string | null {
  if (answers === null) return null;
  const details = JSON.parse(answers) as { name?: string | null; email?: string | null; content?: string }[];
  return JSON.stringify(
    details.map((d) => ({
      ...d,
      ...(isSubject(d.email) ? { name: null, email: null } : {}),
      ...(typeof d.content === 'string' ? { content: scrubText(d.content) } : {}),
    })),
  );
}
