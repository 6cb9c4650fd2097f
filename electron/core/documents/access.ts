import type { Language, Settings } from '../../../shared/settings';
import { ACCESS_TEXTS } from './access-texts';
import { PdfWriter } from './pdf/typeset';
import { eventsOf, eventsOfAddress, type EventData, type SubjectData } from './subject-data';
import { wordsFor, type Words } from './words';

// The readable half of an access or portability package, in English or German: the Art 15(1)-(2)
// information and the data itself, webinar by webinar, with times in the register's time zone,
// durations and statuses in words. Texts the organisation has not set are defaults that read as a
// whole (Settings shows which are defaults), never placeholders.

export const DEFAULT_TEXTS = {
  purposes:
    'We process the data of people who register for and attend our webinars to run the webinars: to register you, send you the joining link and reminders, admit you, ' +
    'answer your questions, and keep a record of attendance (Article 6(1)(b) GDPR, the arrangement you made by registering; Article 6(1)(f) GDPR for the attendance record).',
  retention_text: 'Registration and attendance data are kept for as long as needed for the webinar and its follow-up, and then erased; requests like yours are kept on file for three years.',
  supervisory_authority: 'the data protection supervisory authority of the EU member state where you live, work, or where you believe the infringement took place',
};

const DEFAULT_TEXTS_DE: typeof DEFAULT_TEXTS = {
  purposes:
    'Wir verarbeiten die Daten der Personen, die sich zu unseren Webinaren anmelden und daran teilnehmen, um die Webinare durchzuführen: um Sie anzumelden, Ihnen den Zugangslink und Erinnerungen zu senden, Sie einzulassen, ' +
    'Ihre Fragen zu beantworten und die Teilnahme festzuhalten (Art. 6 Abs. 1 lit. b DSGVO, die mit Ihrer Anmeldung getroffene Vereinbarung; Art. 6 Abs. 1 lit. f DSGVO für den Teilnahmenachweis).',
  retention_text:
    'Anmelde- und Teilnahmedaten bewahren wir so lange auf, wie das Webinar und seine Nachbereitung es erfordern, und löschen sie dann; Anträge wie Ihren bewahren wir drei Jahre lang auf.',
  supervisory_authority: 'der Datenschutz-Aufsichtsbehörde des EU-Mitgliedstaats Ihres Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes',
};

/** A settings text, or its default in the document's language. */
export function settingText(settings: Settings, key: keyof typeof DEFAULT_TEXTS, lang: Language = 'en'): string {
  return settings[key] ?? (lang === 'de' ? DEFAULT_TEXTS_DE : DEFAULT_TEXTS)[key];
}

const SECTIONS = ['attendance', 'absences', 'qa', 'polls', 'surveys', 'panelist'] as const;
const TIME_COLUMNS = new Set(['join_time', 'leave_time', 'create_time', 'date_time']);

/** One cell as a person reads it: times in the register's zone, durations with units, statuses in words. */
function cell(w: Words, column: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  if (TIME_COLUMNS.has(column) && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return w.dateTime(value);
  if (column === 'duration' && typeof value === 'number') return w.duration(value);
  if (column === 'status' || column === 'question_status') return w.t(`status.${value}`, { defaultValue: String(value) });
  return String(value);
}

const label = (w: Words, key: string) => w.t(`column.${key}`, { defaultValue: key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ') });

export interface AccessContext {
  data: SubjectData;
  settings: Settings;
  lang: Language;
  generatedAt: Date;
  timeZone: string;
  appVersion: string;
  draft: boolean;
}

export async function accessPdf({ data, settings, lang, generatedAt, timeZone, draft }: AccessContext): Promise<{ bytes: Buffer; pages: number }> {
  const events = data.by_address.flatMap((group) => eventsOfAddress(group));
  const several = data.by_address.length > 1;
  const severalAccounts = new Set(data.by_address.flatMap((group) => group.accounts.map((a) => a.account))).size > 1;
  const names = new Map(events.map((x) => [x.event_id, { kind: x.event_type, topic: x.topic, start_time: x.start_time, account: null }]));
  const w = wordsFor(lang, timeZone, ACCESS_TEXTS, (id) => names.get(id));
  const { t } = w;
  const portability = data.scope === 'provided_by_subject';
  const controller = settings.organisation_name ?? '';
  const title = t(portability ? 'titlePortable' : 'title', { id: data.request.id });
  const pdf = new PdfWriter({ title, footer: [controller, data.request.id].filter(Boolean).join(' · '), generatedAt, lang, pageLabel: (page, pages) => t('page', { page, pages }), draft });
  pdf.title(t(portability ? 'headingPortable' : 'heading', { law: w.law(portability ? '20' : '15') }));
  pdf.fields([
    [t('controller'), [controller, settings.organisation_contact].filter(Boolean).join(', ') || '–'],
    [t('dpo'), settings.dpo_email ?? '–'],
    [t('request'), `${data.request.id}, ${t('received', { date: w.date(data.request.received_at) })}`],
    [t('about'), data.subject.emails.join(', ')],
    [t('asOf'), data.mirror.synced_at ? t('asOfValue', { date: w.dateTime(data.mirror.synced_at) }) : t('neverSynced')],
  ]);

  pdf.heading(t('whatWeHold'));
  const c = data.counts;
  if (events.length === 0) pdf.paragraph(t('nothing'));
  else {
    pdf.paragraph(`${t('holdRegistrations', { count: c.registrations })} ${t('holdWebinars', { count: new Set(events.map((x) => x.event_id)).size })}.`);
    const more = portability ? [] : SECTIONS.filter((key) => c[key] > 0).map((key) => t(key, { count: c[key] }));
    if (more.length > 0) pdf.paragraph(`${t('alsoHold')}\n${more.map((m) => `• ${m}`).join('\n')}`);
  }
  pdf.paragraph(t(portability ? 'filePortable' : 'fileAccess'));

  if (!portability) {
    pdf.heading(t('purposes'));
    pdf.paragraph(settingText(settings, 'purposes', lang));
    pdf.heading(t('categories'));
    const categories = [t('categoryIdentity')];
    if (events.some((x) => x.registrations.some((r) => r.custom_questions.length > 0))) categories.push(t('categoryQuestions'));
    if (c.attendance + c.absences > 0) categories.push(t('categoryAttendance'));
    if (c.qa + c.polls + c.surveys > 0) categories.push(t('categoryContributions'));
    pdf.paragraph(categories.map((x) => `• ${x}`).join('\n'));
    pdf.heading(t('recipients'));
    pdf.paragraph(t('recipientsText', { processorLaw: w.law('28'), transferLaw: w.law('45', '46(2)(c)') }));
    pdf.heading(t('retention'));
    pdf.paragraph(settingText(settings, 'retention_text', lang));
    pdf.heading(t('source'));
    pdf.paragraph(t('sourceText'));
    pdf.heading(t('rights'));
    pdf.paragraph(t('rightsText', { law: w.law('16', '17', '18', '20', '21', '22') }));
    pdf.paragraph(t('complaint', { authority: settingText(settings, 'supervisory_authority', lang), law: w.law('77') }));
  }

  pdf.heading(t(portability ? 'dataPortable' : 'data'));
  for (const group of data.by_address) {
    // Grouped by the address the records were found under, as in subject-data.json.
    if (several) {
      pdf.keep(100);
      pdf.paragraph(t('underAddress', { email: group.email }), { weight: 'bold', size: 11 });
      if (group.counts.registrations + group.counts.attendance + group.counts.qa + group.counts.polls + group.counts.surveys + group.counts.absences + group.counts.panelist === 0)
        pdf.paragraph(t('none'));
    }
    for (const account of group.accounts) {
      // Then by the Zoom account that holds them, where more than one does.
      if (severalAccounts) {
        pdf.keep(90);
        pdf.paragraph(t('inAccount', { account: account.account }), { weight: 'bold', size: 10 });
      }
      eventSections(pdf, w, eventsOf(account));
    }
  }
  if (events.length === 0) pdf.paragraph(t('none'));
  return pdf.finish();
}

function eventSections(pdf: PdfWriter, w: Words, events: EventData[]): void {
  const { t } = w;
  for (const webinar of events) {
    pdf.keep(80);
    pdf.paragraph(w.event(webinar.event_id), { weight: 'bold', size: 10 });
    for (const r of webinar.registrations) {
      const status = t(`status.${r.status}`, { defaultValue: r.status });
      pdf.fields(
        [
          [t('registration'), r.listed ? (r.registered_at ? t('registrationValue', { status, date: w.date(r.registered_at) }) : t('registrationNoDate', { status })) : t('notListed', { status })],
          ...(r.occurrence_ids.length > 0 ? ([[t('sessions'), r.occurrence_ids.join(', ')]] as [string, string][]) : []),
          ...Object.entries(r.fields).map(([k, v]) => [label(w, k), v] as [string, string]),
          ...r.custom_questions.map((q) => [q.title, q.value] as [string, string]),
        ],
        0.3,
      );
    }
    for (const key of SECTIONS) {
      const rows = webinar[key];
      if (rows.length === 0) continue;
      // The session's ID and the address repeat on every row: the JSON has them, the page leaves them out.
      const columns = Object.keys(rows[0]!).filter((col) => col !== 'session' && col !== 'email');
      pdf.keep(60);
      pdf.paragraph(t(`section.${key}`), { weight: 'bold', size: 9 });
      pdf.table(
        columns.map((col) => ({ header: label(w, col), width: col === 'question' || col === 'answers' || col === 'answer' ? 3 : TIME_COLUMNS.has(col) ? 2.2 : 1.5 })),
        rows.map((row) => columns.map((col) => cell(w, col, row[col]))),
        { size: 7.5 },
      );
    }
  }
}
