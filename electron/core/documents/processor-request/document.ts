import type { Residual } from '../../../../shared/jobs';
import { PdfWriter } from '../pdf/typeset';
import { PROCESSOR_TEXTS } from './texts';
import { wordsFor, type RequestDocumentContext, type Words } from '../words';

// The processor request to Zoom (Art 28(3)(e), Art 19) as a letter ready to send, in English or
// German: what Zoom's API can't erase, by webinar title and date, and when Zoom must answer; on a
// separate sheet the data subject's address, so the letter itself can be filed or forwarded
// without it.

function recordLine(w: Words, r: Residual): string {
  const webinar = w.event(r.event_id);
  return w.t(r.source, { count: r.records, webinar, defaultValue: w.t('other', { count: r.records, webinar }) });
}

export async function processorRequestPdf({ record, settings, lang, generatedAt, timeZone, draft, webinars }: RequestDocumentContext): Promise<{ bytes: Buffer; pages: number }> {
  const w = wordsFor(lang, timeZone, PROCESSOR_TEXTS, webinars);
  const { t } = w;
  const { request, run, processor } = record;
  const organisation = settings.organisation_name ?? '';
  const residual = run?.residual ?? [];
  const title = t('title', { id: request.id });
  const pdf = new PdfWriter({ title, footer: [organisation, request.id].filter(Boolean).join(' · '), generatedAt, lang, pageLabel: (page, pages) => t('page', { page, pages }), draft });

  pdf.paragraph([organisation, settings.organisation_contact, settings.dpo_email ? `${t('dpo')}: ${settings.dpo_email}` : null].filter(Boolean).join('\n'), { size: 9, color: '#444444' });
  pdf.space(12);
  pdf.fields(
    [
      [t('to'), t('toZoom')],
      [t('date'), w.date(generatedAt.toISOString())],
    ],
    0.15,
  );
  pdf.space(8);
  pdf.paragraph(title, { weight: 'bold', size: 11 });
  pdf.space(6);
  const body = (text: string) => {
    pdf.paragraph(text, { size: 10 });
    pdf.space(3);
  };
  const list = (items: string[]) => body(items.map((item) => `• ${item}`).join('\n'));
  body(t('intro', { controller: organisation, erasureLaw: w.law('17') }));
  const records = residual.filter((r) => r.source !== 'registrant' && r.source !== 'blocked_list');
  const refused = residual.filter((r) => r.source === 'registrant');
  const blocked = [...new Set(residual.filter((r) => r.source === 'blocked_list').map((r) => r.event_id))];
  if (records.length > 0) {
    body(t('records'));
    list(records.map((r) => recordLine(w, r)));
  }
  if (refused.length > 0) {
    body(t('refused'));
    list(refused.map((r) => t('registrant', { webinar: w.event(r.event_id), registrant: r.registrant_id })));
  }
  if (blocked.length > 0) {
    body(t('blocked'));
    list(blocked.map((id) => w.event(id)));
  }
  // Zoom finds an account's data by its account ID: where several of ours are concerned, each is named.
  const accounts = [...new Map(residual.map((r) => webinars(r.event_id)).flatMap((name) => (name?.account ? [[name.account, name.account_id ?? null] as const] : []))).entries()];
  if (accounts.length > 0) body(t('accounts', { accounts: accounts.map(([name, id]) => (id ? t('accountWithId', { name, id }) : name)).join(', ') }));
  body(t('unseen'));
  const law = w.law('28(3)(e)', '17(2)', '19');
  body(processor?.due_at ? t('ask', { law, due: w.date(processor.due_at) }) : t('askNoDate', { law }));
  body(t('separate', { id: request.id }));
  pdf.space(10);
  body(t('closing'));
  pdf.space(18);
  body([organisation, t('dpo')].filter(Boolean).join('\n'));

  pdf.newPage();
  pdf.title(t('sheetTitle', { id: request.id }));
  body(t('sheetIntro'));
  pdf.fields([
    [t('reference'), request.id],
    // Every address of the person: Zoom is asked to erase what it holds under each.
    ...request.addresses.map(
      (a, i) =>
        [
          request.addresses.length > 1 ? `${t('address')} ${i + 1}` : t('address'),
          a.email ?? t('purged', { date: w.date(request.address_purged_at ?? request.purged_at ?? generatedAt.toISOString()), masked: a.masked }),
        ] as [string, string],
    ),
  ]);
  return pdf.finish();
}
