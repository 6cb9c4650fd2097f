import { REQUEST_ARTICLES } from '../../../shared/requests';
import type { Settings } from '../../../shared/settings';
import { PdfWriter } from './pdf/typeset';
import type { AuditVerdict } from '../audit';
import type { RequestRecord } from './request-record';
import { describeResidual } from '../../../shared/jobs';

// The evidence PDF of one request (Art 5(2)): what was asked, decided, done and confirmed, each
// as recorded when it happened, and the audit chain's anchor when the document was made, so an
// auditor can hold the document against the log later.

const REMOTE = new Set(['job.cancel', 'job.delete', 'job.verify']);
const dash = (value: unknown) => (value === null || value === undefined || value === '' ? '-' : String(value));
/** One registration (or a webinar's lists) as a table names it. */
const recordOf = (webinar: string, occurrence: string | null | undefined, registrant: string | null) => [webinar, occurrence, registrant].filter(Boolean).join(' · ') || '-';
/** What Zoom answered: the HTTP status, and Zoom's own code where it gave one. */
const answer = (http: unknown, code: unknown) => (http === null || http === undefined ? 'no answer' : code === null || code === undefined ? String(http) : `${String(http)} · ${String(code)}`);

export interface EvidenceContext {
  record: RequestRecord;
  /** The chain as `audit verify` found it when the document was made. */
  chain: AuditVerdict;
  settings: Settings;
  generatedAt: Date;
  appVersion: string;
  /** The organisation's settings are incomplete: every page says DRAFT. */
  draft: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function evidencePdf({ record, chain, settings, generatedAt, appVersion, draft, onProgress }: EvidenceContext): Promise<{ bytes: Buffer; pages: number }> {
  const { request, run, steps, audit, processor } = record;
  const at = generatedAt.toISOString();
  const pdf = new PdfWriter({
    title: `Evidence of data-subject request ${request.id}`,
    footer: `DSR Desk ${appVersion} · evidence of ${request.id} · generated ${at}`,
    generatedAt,
    lang: 'en',
    pageLabel: (page, pages) => `Page ${page} of ${pages}`,
    draft,
  });

  pdf.title(`Evidence of data-subject request ${request.id}`);
  pdf.paragraph(
    `Made by DSR Desk ${appVersion} at ${at} for ${settings.organisation_name ?? 'an organisation not yet named'}` +
      `${settings.dpo_email ? `, data protection officer ${settings.dpo_email}` : ''}. Every status, code and time below is the one recorded when it happened; times are UTC.`,
    { color: '#444444' },
  );

  pdf.heading('1. The request');
  const closedDays = request.closed_at ? Math.round((Date.parse(request.closed_at) - Date.parse(request.received_at)) / 86_400_000) : null;
  pdf.fields([
    ['Request', request.id],
    ['Type', `${request.type} (GDPR ${REQUEST_ARTICLES[request.type]})`],
    ['Channel', request.channel],
    ['Received', request.received_at],
    ['Due (Art 12(3))', request.extension ? `${request.original_due_at}, extended to ${request.due_at}` : request.due_at],
    ['Extension', request.extension ? `by ${request.extension.by} at ${request.extension.at}; reason: ${request.extension.reason}; subject notified ${request.extension.notified_at}` : 'none'],
    ['Status', `${request.status}${request.closed_at ? ` (closed ${request.closed_at})` : ''}`],
    ['Days taken', closedDays !== null ? `${closedDays} days from receipt to closing` : `open: ${Math.max(0, Math.round((generatedAt.getTime() - Date.parse(request.received_at)) / 86_400_000))} days so far`],
  ]);

  pdf.heading('2. The data subject');
  pdf.fields([
    ['Address (masked)', request.subject_masked],
    ['Keyed hash', request.subject_hash],
    ['Full address', request.subject_email ? 'held in the register (sealed), not printed here' : `purged ${dash(request.address_purged_at ?? request.purged_at)}`],
  ]);
  pdf.paragraph(
    'How to recompute the keyed hash: HMAC-SHA-256, in hex, of the email address with surrounding spaces removed and lower-cased, ' +
      'keyed with this desk\'s suppression key (kept in the operating system\'s keychain, never in the database). On this desk, ' +
      '`dsr-desk subject-hash --email ADDRESS` prints it for any address, so an auditor who is given the address can confirm that this document concerns it.',
    { size: 8.5, color: '#444444' },
  );

  pdf.heading('3. Identity verification and decisions');
  pdf.fields([
    ['Identity checked', request.identity ? `${request.identity.method} (by ${request.identity.by}, ${request.identity.at})` : 'not recorded'],
    [
      'Decision',
      request.decision
        ? `${request.decision.outcome} by ${request.decision.by} at ${request.decision.at}; article: ${request.decision.article ? `Art ${request.decision.article}` : REQUEST_ARTICLES[request.type]}${request.decision.reason ? `; reason: ${request.decision.reason}` : ''}`
        : 'none yet',
    ],
  ]);
  pdf.table(
    [
      { header: 'When', width: 2.5 },
      { header: 'Who', width: 1.4 },
      { header: 'What', width: 1.5 },
      { header: 'From → to', width: 2 },
      { header: 'Reason or note', width: 2.6 },
    ],
    request.timeline.map((e) => [e.at, e.by, e.action, `${dash(e.from)} → ${dash(e.to)}`, dash(e.reason)]),
  );

  pdf.heading('4. The plan');
  if (!run) {
    pdf.paragraph('No job has run for this request.');
  } else {
    const basis = run.planned_from;
    pdf.fields([
      ['Planned', run.planned_at],
      ['From the mirror as of', basis ? `sync ${basis.id} (${basis.mode}, ${basis.status}), started ${basis.started_at}, finished ${dash(basis.finished_at)}` : 'no completed sync (rectification needs none)'],
      ['Steps', `${steps.length} (${steps.filter((s) => s.source === 'registrant').length} registrations, ${steps.filter((s) => s.source === 'lists').length} list sweeps, ${steps.filter((s) => s.source !== 'registrant' && s.source !== 'lists').length} report records)`],
    ]);
    for (const note of run.notes) pdf.paragraph(`Note: ${note}`, { size: 8.5 });
    pdf.table(
      [
        { header: 'Step', width: 0.6, align: 'right' },
        { header: 'Record (webinar · occurrence · registrant)', width: 4.4 },
        { header: 'Source', width: 1.1 },
        { header: 'Planned actions', width: 3 },
      ],
      steps.map((s) => [String(s.step), recordOf(s.webinar_id, s.occurrence_id, s.registrant_id), s.source, s.actions.map((a) => a.action).join(', ')]),
      { size: 7.5 },
    );
  }
  onProgress?.(1, 3);

  pdf.heading('5. Every call to Zoom, as Zoom answered it');
  const calls = audit.filter((e) => REMOTE.has(e.action));
  if (calls.length === 0) pdf.paragraph('No call to Zoom was made for this request.');
  else {
    pdf.paragraph('One row per attempt, in order: a failed call and its retry both appear. HTTP status and Zoom code are those of the call\'s own answer, or of the read-back that settled it.', { size: 8.5, color: '#444444' });
    pdf.table(
      [
        { header: 'Audit #', width: 0.7, align: 'right' },
        { header: 'At', width: 2.2 },
        { header: 'Record (webinar · occurrence · registrant)', width: 4 },
        { header: 'Action: result', width: 1.7 },
        { header: 'HTTP · Zoom code', width: 1.4 },
      ],
      calls.map((e) => [
        String(e.seq),
        e.at,
        recordOf(String(e.details.webinar_id), e.details.occurrence_id as string | null, (e.details.registrant_id as string | null) ?? 'lists sweep'),
        `${e.action.replace('job.', '')}: ${dash(e.details.result)}`,
        answer(e.details.http_status, e.details.zoom_code),
      ]),
      { size: 7.5 },
    );
  }
  const local = audit.filter((e) => e.action === 'job.anonymize_local' || e.action === 'job.collect');
  for (const e of local) pdf.paragraph(`${e.at}: ${e.action === 'job.collect' ? 'collected the subject\'s records from the mirror' : 'erased the mirror\'s copy'} (${Object.entries(e.details).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')})`, { size: 8.5 });

  pdf.heading('6. Verification, read back from Zoom');
  const verifications = steps.flatMap((s) => s.actions.filter((a) => a.action === 'verify').map((a) => ({ s, a })));
  if (verifications.length === 0) pdf.paragraph('Nothing to verify on Zoom for this request.');
  else
    pdf.table(
      [
        { header: 'Record (webinar · occurrence · registrant)', width: 3.6 },
        { header: 'Verified', width: 0.9 },
        { header: 'HTTP · Zoom code', width: 1.3 },
        { header: 'What the read-back showed, and when', width: 4.2 },
      ],
      verifications.map(({ s, a }) => [recordOf(s.webinar_id, s.occurrence_id, s.registrant_id ?? 'lists sweep'), a.state === 'done' ? 'yes' : a.state, answer(a.http_status, a.zoom_code), `${dash(a.message)} (${dash(a.at)})`]),
      { size: 7.5 },
    );

  pdf.heading('7. What Zoom still holds, and the processor request');
  const residual = run?.residual ?? [];
  if (residual.length === 0) pdf.paragraph('Nothing is recorded as left with Zoom.');
  else pdf.paragraph(residual.map((r) => `• ${describeResidual(r)}`).join('\n'));
  if (processor) {
    pdf.paragraph(`Processor request to Zoom (Art 28(3)(e), Art 19): ${processor.status}, prepared ${processor.created_at}.`, { weight: 'bold' });
    pdf.table([{ header: 'When', width: 2.5 }, { header: 'Who', width: 1.5 }, { header: 'Status', width: 1.5 }, { header: 'Note', width: 4 }], processor.history.map((h) => [h.at, h.by, h.action.replace('processor_request_', ''), dash(h.reason)]));
  } else pdf.paragraph('No processor request was needed.');
  if (run?.package) {
    pdf.paragraph('Package written for the subject:', { weight: 'bold' });
    pdf.table([{ header: 'File', width: 3 }, { header: 'SHA-256', width: 5 }], run.package.map((f) => [f.path.split(/[\\/]/).pop()!, f.sha256]));
  }
  onProgress?.(2, 3);

  pdf.heading('8. The audit log');
  pdf.paragraph(`Entries of this request (${audit.length}), each with its hash in the chain:`, { size: 8.5 });
  pdf.table(
    [
      { header: '#', width: 0.6, align: 'right' },
      { header: 'At', width: 2.5 },
      { header: 'Actor: action', width: 2.6 },
      { header: 'Entry hash (SHA-256)', width: 5.4 },
    ],
    audit.map((e) => [String(e.seq), e.at, `${e.actor}: ${e.action}`, e.hash]),
    { size: 7.5 },
  );
  pdf.keep(90);
  pdf.paragraph('The chain when this document was made', { weight: 'bold' });
  pdf.fields([
    ['Verified', `${chain.ok ? 'intact' : `BROKEN at entry ${chain.first_bad}`}: ${chain.message}`],
    ['Entries', String(chain.entries)],
    ['Head (hash of the last entry)', chain.head],
    ['Anchor in the keychain', chain.anchor ? `entry ${chain.anchor.entries}, ${chain.anchor.head}, kept ${chain.anchor.at}` : 'none'],
  ]);
  pdf.paragraph(
    `To confirm later that this document matches the log: \`dsr-desk audit verify\` must report the chain intact, and in \`dsr-desk audit export\` entry ${chain.entries} must carry the hash ${chain.head}, ` +
      'and every entry listed above its hash. Writing this document adds one entry (document.evidence) with the SHA-256 of this file.',
    { size: 8.5, color: '#444444' },
  );
  onProgress?.(3, 3);
  return pdf.finish();
}
