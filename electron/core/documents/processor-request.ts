import type { Settings } from '../../../shared/settings';
import { PdfWriter } from './pdf/typeset';
import type { RequestRecord } from './request-record';

// The processor request to Zoom (Art 28(3)(e), Art 19) as a PDF ready to send: the letter the job
// prepared, and on a separate sheet the data subject's address, so the letter itself can be filed
// or forwarded without it.

export async function processorRequestPdf(record: RequestRecord, settings: Settings, generatedAt: Date, draft = false): Promise<{ bytes: Buffer; pages: number }> {
  const { request, processor } = record;
  const organisation = settings.organisation_name ?? '';
  const pdf = new PdfWriter({
    title: `Processor request to Zoom: ${request.id}`,
    footer: `${organisation} · processor request ${request.id} · ${generatedAt.toISOString().slice(0, 10)}`,
    generatedAt,
    lang: 'en',
    pageLabel: (page, pages) => `Page ${page} of ${pages}`,
    draft,
  });
  pdf.paragraph(`${generatedAt.toISOString().slice(0, 10)}`, { size: 9, color: '#444444' });
  pdf.space(6);
  for (const block of processor!.letter.split('\n\n')) pdf.paragraph(block.startsWith('To:') ? block : block.replace(/\n(?!- )/g, ' '), { size: 10 });
  pdf.space(12);
  pdf.paragraph(`${settings.dpo_email ? 'Data Protection Officer' : 'For the controller'}, ${organisation}`, { size: 10 });

  pdf.newPage();
  pdf.title(`Separate sheet: the data subject of ${request.id}`);
  pdf.paragraph('Send this sheet separately from the letter, through a channel agreed with Zoom\'s privacy team. Please use the address only to find and erase the records named in our request, and do not keep it afterwards.', { size: 10 });
  pdf.space(6);
  pdf.fields([
    ['Our reference', request.id],
    ['Email address', request.subject_email ?? `no longer held: the register purged it on ${request.address_purged_at ?? request.purged_at ?? '-'} (masked: ${request.subject_masked})`],
  ]);
  return pdf.finish();
}
