import { AppError } from '../../../shared/errors';
import type { Residual } from '../../../shared/jobs';
import { DEFAULT_TEXTS } from './access';
import { PdfWriter } from './pdf/typeset';
import type { RequestRecord } from './request-record';
import { wordsFor, type RequestDocumentContext, type Words } from './words';
import { LETTER_TEXTS } from './reply-letter-texts';

// The reply to the data subject, in English or German: what the request's state calls for. A
// confirmation of what was done (for an erasure, which registrations Zoom deleted, what Zoom still
// holds, that it was asked to erase it and what it answered), a refusal with its reasons and the
// subject's remedies (Art 12(4)), or the notice of an extension with its reasons (Art 12(3)).
// Sendable as it is: webinars by title and date, dates in the register's time zone, each article
// cited once in the letter's own style, no placeholder and nothing of the app's.

export type LetterKind = 'erasure' | 'restriction' | 'objection' | 'rectification' | 'access' | 'portability' | 'refusal' | 'extension';

/** Which letter the request's state calls for, or why none is due yet. */
export function letterKind(record: RequestRecord): LetterKind {
  const { request } = record;
  if (request.status === 'refused') return 'refusal';
  if (request.status === 'completed' || request.status === 'partial' || request.status === 'waiting_for_processor') return request.type;
  if (request.extension) return 'extension';
  throw new AppError('INVALID_STATE', `Request ${request.id} is ${request.status}: no reply is due yet. A reply confirms a completed job, a refusal, or an extension (\`dsr-desk request extend\`).`);
}

export type LetterContext = RequestDocumentContext;

/** What Zoom still holds, one line each, in the subject's words. */
function residualLine(w: Words, r: Residual): string {
  const webinar = w.event(r.event_id);
  if (r.source === 'blocked_list') return w.t('residual.blocked', { webinar });
  if (r.source === 'registrant') return w.t('residual.registrant', { webinar });
  return w.t(`residual.${r.source}`, { count: r.records, webinar, defaultValue: w.t('residual.other', { count: r.records, webinar }) });
}

/** The webinars whose registrations Zoom deleted and we read back as gone. */
/** Events where a registration was deleted and read back gone, each with the address it was under when the person has several. */
function deletedWebinars(record: RequestRecord): { event_id: string; address: string | null }[] {
  const several = record.request.addresses.length > 1;
  const addressOf = new Map(record.request.addresses.map((a) => [a.subject_hash, a.email ?? a.masked]));
  const deleted = record.steps
    .filter((s) => s.source === 'registrant' && s.actions.some((a) => a.action === 'delete' && a.state === 'done') && s.actions.some((a) => a.action === 'verify' && a.state === 'done'))
    .map((s) => ({ event_id: s.event_id, address: several ? (addressOf.get(s.subject_hash ?? '') ?? record.request.subject_email ?? record.request.subject_masked) : null }));
  return deleted.filter((d, i) => deleted.findIndex((o) => o.event_id === d.event_id && o.address === d.address) === i);
}

export async function replyLetterPdf({ record, settings, lang, generatedAt, timeZone, draft, webinars }: LetterContext): Promise<{ bytes: Buffer; pages: number; kind: LetterKind }> {
  const kind = letterKind(record);
  const w = wordsFor(lang, timeZone, LETTER_TEXTS, webinars);
  const { t } = w;
  const { request, run, processor } = record;
  const organisation = settings.organisation_name ?? '';
  const authority = settings.supervisory_authority ?? (lang === 'de' ? t('authorityDefault') : DEFAULT_TEXTS.supervisory_authority);
  const contact = settings.dpo_email ?? settings.organisation_contact ?? organisation;
  const subject = t('subject', { date: w.date(request.received_at), id: request.id });
  const pdf = new PdfWriter({ title: subject, footer: [organisation, request.id].filter(Boolean).join(' · '), generatedAt, lang, pageLabel: (page, pages) => t('page', { page, pages }), draft });

  pdf.paragraph([organisation, settings.organisation_contact, settings.dpo_email ? `${t('dpo')}: ${settings.dpo_email}` : null].filter(Boolean).join('\n'), { size: 9, color: '#444444' });
  pdf.space(14);
  pdf.fields(
    [
      [t('to'), request.subject_email ?? request.subject_masked],
      [t('date'), w.date(generatedAt.toISOString())],
    ],
    0.15,
  );
  pdf.space(8);
  pdf.paragraph(subject, { weight: 'bold', size: 11 });
  pdf.space(6);
  pdf.paragraph(t('greeting'), { size: 10 });
  if (request.addresses.length > 1) {
    pdf.space(3);
    pdf.paragraph(`${t('covers')}\n${request.addresses.map((a) => `• ${a.email ?? a.masked}`).join('\n')}`, { size: 10 });
  }

  const body = (text: string) => {
    pdf.paragraph(text, { size: 10 });
    pdf.space(3);
  };
  const list = (items: string[]) => body(items.map((item) => `• ${item}`).join('\n'));
  const residual = run?.residual ?? [];
  // Art 77 is cited once: in the refusal's remedies, or in the closing line of every other letter.
  let complaintSaid = false;
  switch (kind) {
    case 'erasure': {
      const deleted = deletedWebinars(record);
      body(t('erasure.done', { law: w.law('17') }));
      if (deleted.length > 0) {
        body(t('erasure.deleted', { count: new Set(deleted.map((d) => d.event_id)).size }));
        list(deleted.map((d) => (d.address ? `${w.event(d.event_id)} (${d.address})` : w.event(d.event_id))));
      } else body(t('erasure.noneOnZoom'));
      body(t('erasure.local'));
      if (residual.length > 0) {
        body(t('erasure.residualIntro', { count: residual.length }));
        list(residual.map((r) => residualLine(w, r)));
        const asked = { law: w.law('28(3)(e)', '19') };
        if (!processor || processor.status === 'open') body(t('erasure.askingZoom', asked));
        else if (processor.outcome === 'erased') body(t('erasure.zoomErased', { ...asked, date: w.date(processor.answered_at ?? processor.sent_at!) }));
        else if (processor.outcome === 'refused' || processor.outcome === 'partial') {
          body(t(`erasure.zoom_${processor.outcome}`, { ...asked, date: w.date(processor.answered_at!), authority, complaintLaw: w.law('77') }));
          complaintSaid = true;
        } else body(t('erasure.zoomAsked', { ...asked, date: w.date(processor.sent_at!) }));
      }
      break;
    }
    case 'rectification': {
      const fields = request.timeline.filter((e) => e.action === 'rectify').length;
      body(t('rectification', { law: w.law('16'), count: Math.max(fields, 1) }));
      break;
    }
    case 'refusal':
      body(t('refusal', { reason: request.decision?.reason ?? '', law: request.decision?.article ? w.law(request.decision.article) : w.law('12(4)') }));
      body(t('remedies', { authority, complaintLaw: w.law('77'), courtLaw: w.law('79') }));
      complaintSaid = true;
      break;
    case 'extension':
      body(t('extension', { law: w.law('12(3)'), reason: request.extension!.reason, due: w.date(request.due_at) }));
      break;
    case 'restriction':
      body(t('restriction', { law: w.law('18'), liftLaw: w.law('18(3)') }));
      break;
    default:
      body(t(kind, { law: w.law(kind === 'access' ? '15' : kind === 'portability' ? '20' : '21') }));
  }
  if (!complaintSaid) body(t('complaint', { authority, law: w.law('77') }));
  // The last paragraph, the closing and the signature stay on one page: a letter never ends on a page holding only its signature.
  const ending = [t('questions', { contact }), t('closing'), [organisation, t('dpo')].filter(Boolean).join('\n')];
  pdf.keep(ending.reduce((height, text) => height + pdf.paragraphHeight(text, { size: 10 }) + 3, 10 + 18));
  body(ending[0]!);
  pdf.space(10);
  body(ending[1]!);
  pdf.space(18);
  body(ending[2]!);
  const written = await pdf.finish();
  return { ...written, kind };
}
