import { AppError } from '../../../shared/errors';
import type { Residual } from '../../../shared/jobs';
import type { Language, Settings } from '../../../shared/settings';
import { settingText } from './access';
import { PdfWriter } from './pdf/typeset';
import type { RequestRecord } from './request-record';

// The reply to the data subject, in English or German: what the request's state calls for. A
// confirmation of what was done (and, for an erasure, what Zoom still holds and that it has been
// asked to erase it), a refusal with its reasons and the subject's remedies (Art 12(4)), or the
// notice of an extension with its reasons (Art 12(3)).

export type LetterKind = 'erasure' | 'restriction' | 'objection' | 'rectification' | 'access' | 'portability' | 'refusal' | 'extension';

/** Which letter the request's state calls for, or why none is due yet. */
export function letterKind(record: RequestRecord): LetterKind {
  const { request } = record;
  if (request.status === 'refused') return 'refusal';
  if (request.status === 'completed' || request.status === 'partial' || request.status === 'waiting_for_processor') return request.type;
  if (request.extension) return 'extension';
  throw new AppError(
    'INVALID_STATE',
    `Request ${request.id} is ${request.status}: no reply is due yet. A reply confirms a completed job, a refusal, or an extension (\`dsr-desk request extend\`).`,
  );
}

const T = {
  en: {
    subject: (id: string, date: string) => `Your data protection request of ${date} (our reference ${id})`,
    greeting: 'Dear Sir or Madam,',
    closing: 'Yours faithfully,',
    dpo: 'Data Protection Officer',
    to: 'To',
    date: 'Date',
    page: (p: number, n: number) => `Page ${p} of ${n}`,
    erasure: (deleted: number, local: boolean) =>
      `we have erased your personal data from the records of our Zoom webinars, as you asked (Article 17 GDPR). ${deleted > 0 ? `${deleted} registration(s) were deleted from Zoom, and we read each back afterwards to confirm that Zoom no longer holds it.` : 'Zoom held no registration of your address.'}${local ? ' Our own copy of the data has been erased as well; we keep only a one-way code of your address so that your data is not copied back from Zoom.' : ''}`,
    residualIntro: 'Some data remains with Zoom that Zoom\'s interface does not let us erase ourselves:',
    residualAsked: (status: string) => `We have asked Zoom, which processes this data for us, to erase it (Article 28(3)(e) and 19 GDPR); that request is ${status}. We will tell you when Zoom confirms.`,
    restriction: 'we have restricted the processing of your data, as you asked (Article 18 GDPR): your registration(s) with us on Zoom have been cancelled, and we only store the data and use it for nothing else while the restriction lasts. We will tell you before the restriction is lifted (Article 18(3)).',
    objection: 'we have stopped processing your data for the webinars, as you objected (Article 21 GDPR): your registration(s) on Zoom have been cancelled.',
    rectification: (fields: string) =>
      `we have corrected your data in our records, as you asked (Article 16 GDPR)${fields ? `: ${fields}` : ''}. Please note that Zoom offers no way to edit a registration once made: the registration held by Zoom still shows the earlier details. If you wish, we can cancel it and you may register again with the correct details.`,
    access: 'as you asked (Article 15 GDPR), we enclose a copy of the personal data we hold about you in the records of our Zoom webinars, with information on why we process it, who receives it, how long we keep it, and your rights: see the enclosed document and the file subject-data.json.',
    portability: 'as you asked (Article 20 GDPR), we enclose the data you provided when you registered for our webinars, in a structured, machine-readable format: the file subject-data.json, described by subject-data.schema.json.',
    refusal: (reason: string, article: string | null) => `after careful review we cannot act on your request${article ? ` (Article ${article} GDPR)` : ''}, for the following reason: ${reason}`,
    remedies: (authority: string) =>
      `You have the right to lodge a complaint with a supervisory authority, in particular ${authority} (Article 77 GDPR), and to seek a judicial remedy before the courts (Article 79 GDPR).`,
    extension: (due: string, reason: string) =>
      `we received your request and are working on it. We need more time than the usual one month (Article 12(3) GDPR), for this reason: ${reason}. We will reply by ${due} at the latest.`,
    complaint: (authority: string) => `If you are not satisfied with how we handled your request, you may complain to a supervisory authority: ${authority} (Article 77 GDPR).`,
    questions: (contact: string) => `If you have any questions, please contact us at ${contact}, quoting our reference.`,
    statuses: { open: 'being prepared', sent: 'sent', answered: 'answered by Zoom', closed: 'closed' } as Record<string, string>,
    residual: (r: Residual) =>
      r.source === 'blocked_list'
        ? `your address on the list of addresses blocked from registering for webinar ${r.webinar_id}`
        : r.source === 'registrant'
          ? `a registration for webinar ${r.webinar_id} that Zoom refused to delete`
          : `${r.records} ${({ participant: 'attendance record(s)', absentee: 'absence record(s)', qa: 'question(s) you asked', poll: 'poll answer(s)', survey: 'survey answer(s)', panelist: 'panelist entry(ies)' } as Record<string, string>)[r.source] ?? r.source} for webinar ${r.webinar_id}`,
  },
  de: {
    subject: (id: string, date: string) => `Ihre datenschutzrechtliche Anfrage vom ${date} (unser Zeichen ${id})`,
    greeting: 'Sehr geehrte Damen und Herren,',
    closing: 'Mit freundlichen Grüßen',
    dpo: 'Datenschutzbeauftragte(r)',
    to: 'An',
    date: 'Datum',
    page: (p: number, n: number) => `Seite ${p} von ${n}`,
    erasure: (deleted: number, local: boolean) =>
      `wir haben Ihre personenbezogenen Daten wie gewünscht aus den Unterlagen unserer Zoom-Webinare gelöscht (Art. 17 DSGVO). ${deleted > 0 ? `${deleted} Registrierung(en) wurden bei Zoom gelöscht; wir haben jede danach erneut abgefragt und bestätigt, dass Zoom sie nicht mehr führt.` : 'Zoom führte keine Registrierung Ihrer Adresse.'}${local ? ' Auch unsere eigene Kopie der Daten ist gelöscht; wir behalten nur einen nicht umkehrbaren Code Ihrer Adresse, damit Ihre Daten nicht erneut von Zoom übernommen werden.' : ''}`,
    residualIntro: 'Einige Daten liegen weiterhin bei Zoom, die wir über die Schnittstelle von Zoom nicht selbst löschen können:',
    residualAsked: (status: string) => `Wir haben Zoom, das diese Daten in unserem Auftrag verarbeitet, um Löschung gebeten (Art. 28 Abs. 3 lit. e und Art. 19 DSGVO); diese Anfrage ist ${status}. Wir informieren Sie, sobald Zoom die Löschung bestätigt.`,
    restriction: 'wir haben die Verarbeitung Ihrer Daten wie gewünscht eingeschränkt (Art. 18 DSGVO): Ihre Registrierung(en) bei Zoom wurden storniert, und wir speichern die Daten nur noch, ohne sie anderweitig zu nutzen, solange die Einschränkung gilt. Vor Aufhebung der Einschränkung unterrichten wir Sie (Art. 18 Abs. 3 DSGVO).',
    objection: 'wir haben die Verarbeitung Ihrer Daten für die Webinare aufgrund Ihres Widerspruchs eingestellt (Art. 21 DSGVO): Ihre Registrierung(en) bei Zoom wurden storniert.',
    rectification: (fields: string) =>
      `wir haben Ihre Daten in unseren Unterlagen wie gewünscht berichtigt (Art. 16 DSGVO)${fields ? `: ${fields}` : ''}. Bitte beachten Sie, dass Zoom keine Möglichkeit bietet, eine bestehende Registrierung zu ändern: Die bei Zoom geführte Registrierung zeigt weiterhin die früheren Angaben. Auf Wunsch stornieren wir sie, und Sie können sich mit den richtigen Angaben neu registrieren.`,
    access: 'wie gewünscht (Art. 15 DSGVO) erhalten Sie anbei eine Kopie der personenbezogenen Daten, die wir in den Unterlagen unserer Zoom-Webinare über Sie führen, mit Angaben zu Zwecken, Empfängern, Speicherdauer und Ihren Rechten: siehe das beigefügte Dokument und die Datei subject-data.json.',
    portability: 'wie gewünscht (Art. 20 DSGVO) erhalten Sie anbei die Daten, die Sie bei der Registrierung für unsere Webinare angegeben haben, in einem strukturierten, maschinenlesbaren Format: die Datei subject-data.json, beschrieben durch subject-data.schema.json.',
    refusal: (reason: string, article: string | null) => `nach sorgfältiger Prüfung können wir Ihrem Antrag nicht nachkommen${article ? ` (Art. ${article} DSGVO)` : ''}, aus folgendem Grund: ${reason}`,
    remedies: (authority: string) =>
      `Sie haben das Recht, sich bei einer Aufsichtsbehörde zu beschweren, insbesondere bei ${authority} (Art. 77 DSGVO), und einen gerichtlichen Rechtsbehelf einzulegen (Art. 79 DSGVO).`,
    extension: (due: string, reason: string) =>
      `wir haben Ihren Antrag erhalten und bearbeiten ihn. Wir benötigen mehr Zeit als die übliche Frist von einem Monat (Art. 12 Abs. 3 DSGVO), aus folgendem Grund: ${reason}. Sie erhalten unsere Antwort spätestens bis zum ${due}.`,
    complaint: (authority: string) => `Wenn Sie mit der Bearbeitung Ihres Antrags nicht zufrieden sind, können Sie sich bei einer Aufsichtsbehörde beschweren: ${authority} (Art. 77 DSGVO).`,
    questions: (contact: string) => `Bei Fragen erreichen Sie uns unter ${contact}; bitte geben Sie unser Zeichen an.`,
    statuses: { open: 'in Vorbereitung', sent: 'versandt', answered: 'von Zoom beantwortet', closed: 'abgeschlossen' } as Record<string, string>,
    residual: (r: Residual) =>
      r.source === 'blocked_list'
        ? `Ihre Adresse auf der Liste der für Registrierungen gesperrten Adressen des Webinars ${r.webinar_id}`
        : r.source === 'registrant'
          ? `eine Registrierung für das Webinar ${r.webinar_id}, deren Löschung Zoom abgelehnt hat`
          : `${r.records} ${({ participant: 'Teilnahmedatensatz/-sätze', absentee: 'Abwesenheitsdatensatz/-sätze', qa: 'von Ihnen gestellte Frage(n)', poll: 'Umfrageantwort(en)', survey: 'Antwort(en) auf Befragungen', panelist: 'Diskussionsteilnehmer-Eintrag/-Einträge' } as Record<string, string>)[r.source] ?? r.source} zum Webinar ${r.webinar_id}`,
  },
};

const AUTHORITY_DEFAULT_DE = 'der Datenschutz-Aufsichtsbehörde des EU-Mitgliedstaats Ihres Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes';

export interface LetterContext {
  record: RequestRecord;
  settings: Settings;
  lang: Language;
  generatedAt: Date;
  timeZone: string;
  /** The organisation's settings are incomplete: every page says DRAFT. */
  draft: boolean;
}

export async function replyLetterPdf({ record, settings, lang, generatedAt, timeZone, draft }: LetterContext): Promise<{ bytes: Buffer; pages: number; kind: LetterKind }> {
  const kind = letterKind(record);
  const t = T[lang];
  const { request, run, steps, processor } = record;
  const day = (iso: string) => new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone }).format(new Date(iso));
  const organisation = settings.organisation_name ?? '';
  const authority = settings.supervisory_authority ?? (lang === 'de' ? AUTHORITY_DEFAULT_DE : settingText(settings, 'supervisory_authority'));
  const contact = settings.dpo_email ?? settings.organisation_contact ?? organisation;
  const pdf = new PdfWriter({ title: t.subject(request.id, day(request.received_at)), footer: `${organisation} · ${request.id}`, generatedAt, lang, pageLabel: t.page, draft });

  pdf.paragraph([organisation, settings.organisation_contact, settings.dpo_email ? `${t.dpo}: ${settings.dpo_email}` : null].filter(Boolean).join('\n'), { size: 9, color: '#444444' });
  pdf.space(14);
  pdf.fields([
    [t.to, request.subject_email ?? request.subject_masked],
    [t.date, day(generatedAt.toISOString())],
  ], 0.15);
  pdf.space(8);
  pdf.paragraph(t.subject(request.id, day(request.received_at)), { weight: 'bold', size: 11 });
  pdf.space(6);
  pdf.paragraph(t.greeting, { size: 10 });

  const body = (text: string) => {
    pdf.paragraph(text, { size: 10 });
    pdf.space(3);
  };
  const residual = run?.residual ?? [];
  switch (kind) {
    case 'erasure': {
      const deleted = steps.filter((s) => s.source === 'registrant' && s.actions.some((a) => a.action === 'delete' && a.state === 'done')).length;
      body(t.erasure(deleted, steps.some((s) => s.actions.some((a) => a.action === 'anonymize_local' && a.state === 'done'))));
      if (residual.length > 0) {
        body(t.residualIntro);
        body(residual.map((r) => `• ${t.residual(r)}`).join('\n'));
        body(t.residualAsked(t.statuses[processor?.status ?? 'open'] ?? processor?.status ?? ''));
      }
      break;
    }
    case 'rectification': {
      const change = request.timeline.filter((e) => e.action === 'rectify').map((e) => e.reason).filter(Boolean).join('; ');
      body(t.rectification(change));
      break;
    }
    case 'refusal':
      body(t.refusal(request.decision?.reason ?? '-', request.decision?.article ?? null));
      body(t.remedies(authority));
      break;
    case 'extension':
      body(t.extension(day(request.due_at), request.extension!.reason));
      break;
    default:
      body(t[kind]);
  }
  if (kind !== 'refusal') body(t.complaint(authority));
  body(t.questions(contact));
  pdf.space(10);
  body(t.closing);
  pdf.space(18);
  body(`${t.dpo}\n${organisation}`);
  const written = await pdf.finish();
  return { ...written, kind };
}
