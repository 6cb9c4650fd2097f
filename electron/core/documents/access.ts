import type { Settings } from '../../../shared/settings';
import { PdfWriter } from './pdf/typeset';
import type { SubjectData } from './subject-data';

// The readable half of an access or portability package: the Art 15(1)-(2) information and the
// data itself, table by table. Texts the organisation has not set are defaults that read as a
// whole (Settings shows which are defaults), never placeholders.

export const DEFAULT_TEXTS = {
  purposes:
    'We process the data of people who register for and attend our webinars to run the webinars: to register you, send you the joining link and reminders, admit you, ' +
    'answer your questions, and keep a record of attendance (Art 6(1)(b) GDPR, the arrangement you made by registering; Art 6(1)(f) for the attendance record).',
  retention_text: 'Registration and attendance data are kept for as long as needed for the webinar and its follow-up, and then erased; requests like yours are kept on file for three years.',
  supervisory_authority: 'the data protection supervisory authority of the EU member state where you live, work, or where you believe the infringement took place (Art 77 GDPR)',
};

/** A settings text, or its default. */
export function settingText(settings: Settings, key: keyof typeof DEFAULT_TEXTS): string {
  return settings[key] ?? DEFAULT_TEXTS[key];
}

const label = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');

const LABELS: Record<string, string> = {
  attendance: 'Attendance (joins and leaves)',
  absences: 'Registered but did not attend',
  qa: 'Questions you asked (Q&A)',
  polls: 'Poll answers',
  surveys: 'Survey answers',
  panelist: 'Panelist entries',
};

export async function accessPdf(data: SubjectData, settings: Settings, generatedAt: Date, appVersion: string, draft = false): Promise<{ bytes: Buffer; pages: number }> {
  const portability = data.scope === 'provided_by_subject';
  const controller = settings.organisation_name ?? '';
  const pdf = new PdfWriter({
    title: `Your personal data: ${data.request.id}`,
    footer: `${controller} · ${data.request.id} · DSR Desk ${appVersion} · generated ${generatedAt.toISOString()}`,
    generatedAt,
    lang: 'en',
    pageLabel: (page, pages) => `Page ${page} of ${pages}`,
    draft,
  });
  pdf.title(portability ? 'Your data, in a portable form (Article 20 GDPR)' : 'Your personal data (Article 15 GDPR)');
  pdf.fields([
    ['Controller', `${controller}${settings.organisation_contact ? `, ${settings.organisation_contact}` : ''}`],
    ['Data protection officer', settings.dpo_email ?? '-'],
    ['Your request', `${data.request.id}, received ${data.request.received_at}`],
    ['About', data.subject.email],
    ['As of', `our copy of the webinar data as of sync ${data.mirror.synced_from_run ?? '-'} (${data.mirror.synced_at ?? 'never synced'})`],
  ]);

  pdf.heading('1. What we hold');
  const c = data.counts;
  pdf.paragraph(
    c.webinars === 0
      ? 'We found no personal data about this address in the records of our Zoom webinars.'
      : `We process personal data about you: ${c.registrations} registration(s) for ${c.webinars} webinar(s)` +
          (portability ? '.' : `, ${c.attendance} attendance record(s), ${c.qa} question(s), ${c.polls} poll answer(s), ${c.surveys} survey answer(s), ${c.absences} absence record(s).`),
  );
  pdf.paragraph(
    portability
      ? 'The enclosed file subject-data.json holds the data you provided when you registered, in a structured, machine-readable format (JSON) that you may pass to another organisation. Its structure is described by subject-data.schema.json.'
      : 'The enclosed file subject-data.json holds the same data in a machine-readable format (JSON), described by subject-data.schema.json.',
  );

  if (!portability) {
    pdf.heading('2. Why we process it (purposes)');
    pdf.paragraph(settingText(settings, 'purposes'));
    pdf.heading('3. Categories of data');
    const categories = ['identification and contact data you gave when registering (name, email, and any other fields of the form)'];
    if (data.webinars.some((w) => w.registrations.some((r) => r.custom_questions.length > 0))) categories.push('your answers to the registration form\'s own questions');
    if (c.attendance + c.absences > 0) categories.push('attendance data (when you joined and left, or that you did not attend)');
    if (c.qa + c.polls + c.surveys > 0) categories.push('what you contributed during the webinar (questions, poll and survey answers)');
    pdf.paragraph(categories.map((x) => `• ${x}`).join('\n'));
    pdf.heading('4. Recipients and transfers');
    pdf.paragraph(
      'Zoom Video Communications, Inc. (USA) hosts our webinars as our processor (Art 28 GDPR) and holds this data on our behalf. Data is transferred to the USA; ' +
        'the transfer rests on the EU-US Data Privacy Framework adequacy decision and, where it does not apply, the European Commission\'s standard contractual clauses (Art 45, 46(2)(c) GDPR). ' +
        'You may ask us for a copy of these safeguards. No other recipient receives this data.',
    );
    pdf.heading('5. How long we keep it');
    pdf.paragraph(settingText(settings, 'retention_text'));
    pdf.heading('6. Where it comes from');
    pdf.paragraph('You gave us the registration data when you registered. Attendance, questions, poll and survey answers were recorded by Zoom for us while you took part.');
    pdf.heading('7. Your rights');
    pdf.paragraph(
      'You may ask us to correct inaccurate data (Art 16), to erase it (Art 17), to restrict its processing (Art 18), and to receive the data you provided in a portable form (Art 20); ' +
        'you may object to processing based on our legitimate interests (Art 21). There is no automated decision-making or profiling based on this data (Art 22).',
    );
    pdf.paragraph(`You have the right to lodge a complaint with a supervisory authority: ${settingText(settings, 'supervisory_authority')}.`);
  }

  pdf.heading(portability ? '2. The data you provided' : '8. The data');
  for (const w of data.webinars) {
    pdf.keep(80);
    pdf.paragraph(`Webinar ${w.webinar_id}${w.topic ? `: ${w.topic}` : ''}${w.start_time ? ` (${w.start_time})` : ''}`, { weight: 'bold', size: 10 });
    for (const r of w.registrations) {
      pdf.fields(
        [
          ['Registration', `${r.registrant_id}, ${r.listed ? r.status : `${r.status} (no longer listed by Zoom)`}${r.registered_at ? `, registered ${r.registered_at}` : ''}`],
          ...(r.occurrence_ids.length > 0 ? ([['Sessions', r.occurrence_ids.join(', ')]] as [string, string][]) : []),
          ...Object.entries(r.fields).map(([k, v]) => [label(k), v] as [string, string]),
          ...r.custom_questions.map((q) => [q.title, q.value] as [string, string]),
        ],
        0.3,
      );
    }
    for (const key of ['attendance', 'absences', 'qa', 'polls', 'surveys', 'panelist'] as const) {
      const rows = w[key];
      if (rows.length === 0) continue;
      // The session's ID and the address repeat on every row: the JSON has them, the page leaves them out.
      const columns = Object.keys(rows[0]!).filter((col) => col !== 'session' && col !== 'email');
      pdf.keep(60);
      pdf.paragraph(LABELS[key]!, { weight: 'bold', size: 9 });
      pdf.table(
        columns.map((col) => ({ header: label(col), width: col === 'question' || col === 'answers' || col === 'answer' ? 3 : col.endsWith('time') ? 2 : 1.5 })),
        rows.map((row) => columns.map((col) => (row[col] === null || row[col] === undefined ? '-' : String(row[col])))),
        { size: 7.5 },
      );
    }
  }
  if (data.webinars.length === 0) pdf.paragraph('None.');
  return pdf.finish();
}
